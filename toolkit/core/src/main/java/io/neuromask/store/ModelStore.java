package io.neuromask.store;

import io.neuromask.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Resolves manifest files to verified local paths, in this order:
 * <ol>
 *   <li>the local cache ({@code ~/.neuromask/cache}; env {@code NEUROMASK_CACHE}, property
 *       {@code neuromask.cache});</li>
 *   <li>a mirror folder laid out like {@code shared/} (env {@code NEUROMASK_MIRROR}, property
 *       {@code neuromask.mirror}; the property wins, and an empty property means no mirror), copied into the
 *       cache;</li>
 *   <li>the file's public source: a download of its canonical URL, or, for a file with a
 *       {@link Manifest.Derive derivation}, the member of a downloaded archive (checked by the publisher's md5;
 *       the archive is not kept), a byte range of another manifest file, or a val-sample
 *       {@code annotations.csv} built from downloaded metadata. URLs pass through a {@link UrlRewrite}; a
 *       dropped connection is retried (3 tries, resuming with an HTTP range request); progress goes to a
 *       {@link DownloadListener}.</li>
 * </ol>
 * Every file is checked (its size and sha256; see {@link Manifest.FileEntry#sha256()} for archive members)
 * before it enters the cache, and it enters atomically: work files live in {@code .partial/} under the cache
 * and are deleted on failure. A download stops at the size the manifest declares.
 *
 * <p><b>Several processes, one cache.</b> Two notebooks (two JVMs) may fetch into one cache at once: a file is
 * obtained under a per-file lock ({@link CacheLock}, an OS file lock in {@code .locks/}), and the cache is
 * checked again once the lock is held, so each file is fetched once and the other process waits for it (saying
 * so on the log). Each process deletes only its own work files; work files older than a day are removed as
 * left by a killed process. Paths never leave the cache or the mirror ({@link #inside}).
 * A cached file that no longer matches is discarded and fetched again. A missing
 * file, a failed download or a mismatch is an {@link IOException} that names the file, the expected digest
 * and the fix.
 */
public final class ModelStore {

    private final Manifest manifest;
    private final Path cache;
    private final Path mirror;
    private final PrintStream log;
    private final UrlRewrite rewrite;
    private final DownloadListener listener;
    private final java.util.concurrent.atomic.AtomicBoolean sweptStale = new java.util.concurrent.atomic.AtomicBoolean();

    /** How old a work file in {@code .partial/} must be before a store removes it as left by a killed process. */
    static final java.time.Duration STALE_PART = java.time.Duration.ofDays(1);

    /**
     * A store without URL rewriting whose downloads show a console line on {@code log}.
     *
     * @param cache the cache folder, created on demand
     * @param mirror the mirror folder, or {@code null} for none
     * @param log where progress and warnings go (stderr in the CLI)
     */
    public ModelStore(Manifest manifest, Path cache, Path mirror, PrintStream log) {
        this(manifest, cache, mirror, log, UrlRewrite.NONE, new ConsoleDownloadListener(log));
    }

    private ModelStore(Manifest manifest, Path cache, Path mirror, PrintStream log, UrlRewrite rewrite,
            DownloadListener listener) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.cache = cache.toAbsolutePath().normalize();
        this.mirror = mirror == null ? null : mirror.toAbsolutePath().normalize();
        this.log = Objects.requireNonNull(log, "log");
        this.rewrite = Objects.requireNonNull(rewrite, "rewrite");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** This store with another URL rewrite. */
    public ModelStore withUrlRewrite(UrlRewrite urlRewrite) {
        return new ModelStore(manifest, cache, mirror, log, urlRewrite, listener);
    }

    /** This store reporting downloads to another listener. */
    public ModelStore withDownloadListener(DownloadListener downloadListener) {
        return new ModelStore(manifest, cache, mirror, log, rewrite, downloadListener);
    }

    /**
     * The store configured by system properties and the environment (the property wins): the manifest
     * ({@code neuromask.manifest} / {@code NEUROMASK_MANIFEST}: a models.json file used instead of the built-in
     * one, e.g. for private models), the cache, the mirror, the URL rewrite ({@code neuromask.urlRewrite} /
     * {@code NEUROMASK_URL_REWRITE}) and the download display ({@link DownloadListener#forEnvironment}).
     *
     * @throws IllegalArgumentException when a setting is malformed or the manifest file cannot be read
     */
    public static ModelStore fromEnvironment() {
        String cacheSetting = setting("neuromask.cache", "NEUROMASK_CACHE");
        // $HOME as Jupyter and the shell see it (Java's user.home comes from the password database and differs
        // when HOME is overridden: containers, Binder, tests)
        String home = System.getenv("HOME");
        Path cache = cacheSetting != null ? Path.of(cacheSetting)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".neuromask", "cache");
        String mirrorProperty = System.getProperty("neuromask.mirror");
        String mirror = mirrorProperty != null && mirrorProperty.isBlank() ? null
                : setting("neuromask.mirror", "NEUROMASK_MIRROR");
        return new ModelStore(environmentManifest(), cache, mirror == null ? null : Path.of(mirror), System.err,
                UrlRewrite.fromEnvironment(), DownloadListener.forEnvironment(System.err));
    }

    /** The manifest named by {@code neuromask.manifest} / {@code NEUROMASK_MANIFEST}, else the built-in one. */
    public static Manifest environmentManifest() {
        String file = setting("neuromask.manifest", "NEUROMASK_MANIFEST");
        if (file == null) {
            return Manifest.builtIn();
        }
        try {
            return Manifest.read(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("NEUROMASK_MANIFEST (or -Dneuromask.manifest) names " + file
                    + ", which cannot be used: " + e.getMessage() + "; point it at a models.json file or unset it", e);
        }
    }

    /** A system property, else an environment variable; blank and unresolved {@code ${...}} count as unset. */
    static String setting(String property, String env) {
        for (String v : new String[] {System.getProperty(property), System.getenv(env)}) {
            if (v != null && !v.isBlank() && !v.startsWith("${")) {
                return v;
            }
        }
        return null;
    }

    /** The manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** The cache folder. */
    public Path cache() {
        return cache;
    }

    /** The mirror folder, or {@code null}. */
    public Path mirror() {
        return mirror;
    }

    /** The URL rewrite. */
    public UrlRewrite urlRewrite() {
        return rewrite;
    }

    /** Where a file is now, without fetching or hashing it. */
    public Location locate(Manifest.FileEntry f) {
        if (Files.isRegularFile(inside(cache, f.path()))) {
            return Location.CACHE;
        }
        if (mirror != null && Files.isRegularFile(inside(mirror, f.path()))) {
            return Location.MIRROR;
        }
        return f.obtainable() ? Location.DOWNLOAD : Location.MISSING;
    }

    /** Whether a file is in the cache or the mirror (not checked). */
    public boolean isLocal(Manifest.FileEntry f) {
        Location l = locate(f);
        return l == Location.CACHE || l == Location.MIRROR;
    }

    /**
     * Checks a file where it is now (cache, else mirror) without copying it.
     *
     * @return {@code null} when it matches, else what is wrong
     */
    public String verify(Manifest.FileEntry f) throws IOException {
        Location where = locate(f);
        Path p = switch (where) {
            case CACHE -> inside(cache, f.path());
            case MIRROR -> inside(mirror, f.path());
            default -> null;
        };
        if (p == null) {
            return "not in the cache or the mirror" + (mirror == null ? " (NEUROMASK_MIRROR is not set)" : "");
        }
        String problem = check(f, p);
        return problem == null ? null : problem + " at " + p;
    }

    /** Resolves every file of a list and returns the cache folder, under which they now lie. */
    public Path resolveAll(List<String> paths) throws IOException {
        for (String p : paths) {
            resolve(p);
        }
        return cache;
    }

    /** Resolves one manifest file by path. */
    public Path resolve(String path) throws IOException {
        return resolve(manifest.file(path));
    }

    /**
     * Resolves one file to a verified path in the cache.
     *
     * @throws IOException naming the file, the expected digest and how to fix it
     */
    public Path resolve(Manifest.FileEntry f) throws IOException {
        Path target = inside(cache, f.path());
        if (Files.isRegularFile(target) && check(f, target) == null) {
            return target;
        }
        try (CacheLock lock = CacheLock.acquire(cache, f.path(), log)) {
            return resolveLocked(f, target);
        }
    }

    /** {@link #resolve} while this process holds the file's lock: another may have fetched it meanwhile. */
    private Path resolveLocked(Manifest.FileEntry f, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            String problem = check(f, target);
            if (problem == null) {
                return target;
            }
            log.println("neuromask: cached " + target + " has " + problem + "; fetching it again");
            Files.delete(target);
        }
        if (mirror != null && Files.isRegularFile(inside(mirror, f.path()))) {
            Path source = inside(mirror, f.path());
            try {
                Path tmp = partial(f);
                try {
                    Files.copy(source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    install(f, tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (ChecksumException e) {
                throw new IOException("mirror file " + source + " has " + e.problem + " (" + f.size() + " bytes expected, "
                        + "sha256 " + f.sha256() + "); the mirror copy is corrupt or outdated: replace it with a good copy"
                        + " (source " + f.url() + ") or point NEUROMASK_MIRROR at a good mirror", e);
            }
            return target;
        }
        String where = "not in the cache (" + cache + ") nor in the mirror ("
                + (mirror == null ? "NEUROMASK_MIRROR is not set" : mirror) + ")";
        if (!f.obtainable()) {
            throw new IOException("model store: " + f.path() + " is " + where + ", and it cannot be downloaded directly"
                    + " (" + f.note() + "; source " + f.url() + "). Expected sha256 " + f.sha256()
                    + ". Fix: set NEUROMASK_MIRROR (or -Dneuromask.mirror) to a folder laid out like shared/, e.g. "
                    + "NEUROMASK_MIRROR=../shared");
        }
        try {
            obtain(f);
        } catch (ChecksumException e) {
            throw new IOException("model store: " + f.path() + " obtained from " + source(f) + " has " + e.problem
                    + "; the source changed or the transfer was corrupted, and nothing was cached. Fix: try again, or "
                    + "set NEUROMASK_MIRROR to a folder with a good copy", e);
        } catch (IOException e) {
            throw new IOException("model store: " + f.path() + " is " + where + ", and obtaining it from " + source(f)
                    + " failed: " + e.getMessage() + ". Expected " + expected(f) + ". Fix: check the network (or "
                    + "NEUROMASK_URL_REWRITE), or set NEUROMASK_MIRROR (or -Dneuromask.mirror) to a folder laid out like "
                    + "shared/, e.g. NEUROMASK_MIRROR=../shared", e);
        }
        return target;
    }

    /**
     * {@code root.resolve(path)}, refused unless it lies inside {@code root}: the store never reads, writes or
     * deletes outside the cache and the mirror, whatever a manifest says ({@link Manifest} refuses such paths too).
     */
    static Path inside(Path root, String path) {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("manifest path '" + path + "' resolves to " + p + ", outside " + root
                    + "; manifest paths must be relative and free of '..'");
        }
        return p;
    }

    /** Where a file comes from when it is downloaded or derived, for messages. */
    private String source(Manifest.FileEntry f) {
        Manifest.Derive d = f.derive();
        if (d == null) {
            return rewrite.apply(f.url());
        }
        return switch (d.kind()) {
            case Manifest.Derive.TAR_GZ_MEMBER -> "member " + d.member() + " of " + rewrite.apply(d.url());
            case Manifest.Derive.BYTE_RANGE -> "bytes " + d.offset() + " to " + (d.offset() + d.length()) + " of "
                    + d.file();
            default -> "metadata " + d.urls().values().stream().map(rewrite::apply).toList();
        };
    }

    private static String expected(Manifest.FileEntry f) {
        return f.sha256() != null ? "sha256 " + f.sha256() : f.size() + " bytes checked by its derived files' sha256";
    }

    // ---- obtaining a file from its public source

    private void obtain(Manifest.FileEntry f) throws IOException {
        Manifest.Derive d = f.derive();
        if (d == null) {
            Path tmp = partial(f);
            try {
                new Downloader(listener, log).download(rewrite.apply(f.url()), f.path(), f.size(), f.size(), tmp);
                install(f, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return;
        }
        switch (d.kind()) {
            case Manifest.Derive.TAR_GZ_MEMBER -> extract(f);
            case Manifest.Derive.BYTE_RANGE -> slice(f);
            case Manifest.Derive.VAL_SAMPLE_ANNOTATIONS -> {
                Path tmp = partial(f);
                try {
                    Files.write(tmp, ValSampleAnnotations.build(this, f));
                    install(f, tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            default -> throw new IOException("unknown derive kind " + d.kind());
        }
    }

    /**
     * Downloads a URL (already rewritten) into a work file under the cache; the caller deletes it.
     *
     * @param limit the most bytes the download may have (it is stopped beyond), or -1 for no limit
     */
    Path download(String url, String name, long limit) throws IOException {
        Path tmp = Files.createTempFile(partialDir(), name.replaceAll("[^A-Za-z0-9._-]", "_") + ".", ".part");
        try {
            new Downloader(listener, log).download(url, name, limit, limit, tmp);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Takes a byte range of another manifest file (resolved first). */
    private void slice(Manifest.FileEntry f) throws IOException {
        Manifest.Derive d = f.derive();
        Path source = resolve(manifest.file(d.file()));
        long size = Files.size(source);
        if (d.offset() + d.length() > size) {
            throw new IOException(d.file() + " has " + size + " bytes, too few for bytes " + d.offset() + " to "
                    + (d.offset() + d.length()));
        }
        Path tmp = partial(f);
        try {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long done = 0;
                while (done < d.length()) {
                    done += in.transferTo(d.offset() + done, d.length() - done, out);
                }
            }
            install(f, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Downloads the archive of a {@code tar-gz-member} file once, checks its md5 and extracts every manifest
     * file of that archive that the cache lacks; the archive is deleted afterwards.
     */
    private void extract(Manifest.FileEntry requested) throws IOException {
        Manifest.Derive d = requested.derive();
        Map<String, Manifest.FileEntry> wanted = new LinkedHashMap<>();
        for (Manifest.FileEntry g : manifest.files()) {
            Manifest.Derive gd = g.derive();
            if (g == requested || (gd != null && Manifest.Derive.TAR_GZ_MEMBER.equals(gd.kind()) && d.url().equals(gd.url())
                    && d.md5().equals(gd.md5()) && !Files.isRegularFile(inside(cache, g.path())))) {
                wanted.put(gd.member(), g);
            }
        }
        String url = rewrite.apply(d.url());
        Path archive = download(url, url.substring(url.lastIndexOf('/') + 1), d.size() > 0 ? d.size() : -1);
        Map<Manifest.FileEntry, Path> extracted = new LinkedHashMap<>();
        try {
            String md5 = md5(archive);
            if (!md5.equals(d.md5())) {
                throw new ChecksumException("md5 " + md5 + " for the archive " + url + ", expected " + d.md5()
                        + " (the publisher's checksum)");
            }
            List<String> seen = new ArrayList<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                    new BufferedInputStream(Files.newInputStream(archive), 1 << 16)))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    seen.add(e.getName());
                    Manifest.FileEntry g = wanted.get(e.getName());
                    if (g != null && e.isFile()) {
                        Path tmp = partial(g);
                        extracted.put(g, tmp);
                        try (OutputStream out = Files.newOutputStream(tmp)) {
                            tar.transferTo(out);
                        }
                    }
                }
            }
            if (!extracted.containsKey(requested)) {
                throw new IOException("the archive " + url + " (md5 " + md5 + ") has no member " + d.member()
                        + "; its members are " + (seen.size() > 12 ? seen.subList(0, 12) + " ..." : seen));
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<Manifest.FileEntry, Path> e : extracted.entrySet()) {
                String problem = check(e.getKey(), e.getValue());
                if (problem != null) {
                    problems.add("member " + e.getKey().derive().member() + " has " + problem);
                }
            }
            if (!problems.isEmpty()) {
                throw new ChecksumException(String.join("; ", problems));
            }
            for (Map.Entry<Manifest.FileEntry, Path> e : extracted.entrySet()) {
                Path target = inside(cache, e.getKey().path());
                Files.createDirectories(target.getParent());
                AtomicFiles.move(e.getValue(), target);
            }
        } finally {
            Files.deleteIfExists(archive);
            for (Path tmp : extracted.values()) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    // ---- checking and installing

    /** A new work file for {@code f} under the cache's {@code .partial/} folder. */
    private Path partial(Manifest.FileEntry f) throws IOException {
        return Files.createTempFile(partialDir(), Path.of(f.path()).getFileName() + ".", ".part");
    }

    /**
     * The cache's {@code .partial/} folder, shared by every process using the cache: each deletes only its own work
     * files, never the folder, and the first use in this store removes work files older than {@link #STALE_PART}
     * (left by a process that was killed).
     */
    private Path partialDir() throws IOException {
        Path dir = Files.createDirectories(cache.resolve(".partial"));
        if (sweptStale.compareAndSet(false, true)) {
            removeStaleParts(dir, java.time.Instant.now().minus(STALE_PART));
        }
        return dir;
    }

    /** Deletes the {@code .part} files in {@code dir} last modified before {@code cutoff}; returns how many. */
    static int removeStaleParts(Path dir, java.time.Instant cutoff) {
        int removed = 0;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    if (p.getFileName().toString().endsWith(".part") && Files.isRegularFile(p)
                            && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to delete: leave it
                }
            }
        } catch (IOException e) {
            // an unreadable folder: the downloads will say so
        }
        return removed;
    }

    /** Checks a work file, then moves it to its place in the cache; throws when it does not match. */
    private void install(Manifest.FileEntry f, Path tmp) throws IOException {
        String problem = check(f, tmp);
        if (problem != null) {
            throw new ChecksumException(problem);
        }
        Path target = inside(cache, f.path());
        Files.createDirectories(target.getParent());
        AtomicFiles.move(tmp, target);
    }

    /**
     * What is wrong with {@code file} as a copy of {@code f}, or {@code null}: its size, then its sha256, or for a
     * file without one the sha256 of each byte range the manifest derives from it.
     */
    String check(Manifest.FileEntry f, Path file) throws IOException {
        long size = Files.size(file);
        if (f.sha256() != null) {
            String actual = Sha256.of(file);
            if (!actual.equals(f.sha256())) {
                return "sha256 " + actual + ", expected " + f.sha256() + (size != f.size() ? " (" + size + " bytes, expected "
                        + f.size() + ")" : "");
            }
            return null;
        }
        if (size != f.size()) {
            return size + " bytes, expected " + f.size();
        }
        for (Manifest.FileEntry range : manifest.derivedRanges(f)) {
            String actual = sha256(file, range.derive().offset(), range.derive().length());
            if (!actual.equals(range.sha256())) {
                return "sha256 " + actual + " for bytes " + range.derive().offset() + " to "
                        + (range.derive().offset() + range.derive().length()) + ", expected " + range.sha256()
                        + " (that of " + range.path() + ")";
            }
        }
        return null;
    }

    private static String sha256(Path file, long offset, long length) throws IOException {
        MessageDigest md = Sha256.digest();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                md.update(buf.flip());
                pos += n;
            }
        }
        return Sha256.hex(md);
    }

    private static String md5(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks MD5", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A file that does not match its manifest entry; nothing entered the cache. */
    private static final class ChecksumException extends IOException {
        private static final long serialVersionUID = 1L;
        final String problem;

        ChecksumException(String problem) {
            super(problem);
            this.problem = problem;
        }
    }
}
