package io.neuromask.store;

import io.neuromask.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * Resolves manifest files to verified local paths, in this order:
 * <ol>
 *   <li>the local cache ({@code ~/.neuromask/cache}; env {@code NEUROMASK_CACHE}, property
 *       {@code neuromask.cache});</li>
 *   <li>a mirror folder laid out like {@code shared/} (env {@code NEUROMASK_MIRROR}, property
 *       {@code neuromask.mirror}; the property wins), copied into the cache;</li>
 *   <li>a download from the file's canonical URL into the cache, with a progress line on stderr.</li>
 * </ol>
 * The sha256 is always checked; files enter the cache atomically, after their digest matched. A cached
 * file that no longer matches is discarded and fetched again. A missing file, a failed download or a
 * mismatching mirror copy is an {@link IOException} that names the file, the expected sha256 and the fix.
 */
public final class ModelStore {

    private final Manifest manifest;
    private final Path cache;
    private final Path mirror;
    private final PrintStream log;

    /**
     * @param cache the cache folder, created on demand
     * @param mirror the mirror folder, or {@code null} for none
     * @param log where progress and warnings go (stderr in the CLI)
     */
    public ModelStore(Manifest manifest, Path cache, Path mirror, PrintStream log) {
        this.manifest = manifest;
        this.cache = cache.toAbsolutePath().normalize();
        this.mirror = mirror == null ? null : mirror.toAbsolutePath().normalize();
        this.log = log;
    }

    /** The built-in manifest with the cache and mirror from system properties and the environment. */
    public static ModelStore fromEnvironment() {
        String cacheSetting = setting("neuromask.cache", "NEUROMASK_CACHE");
        Path cache = cacheSetting != null ? Path.of(cacheSetting)
                : Path.of(System.getProperty("user.home"), ".neuromask", "cache");
        String mirror = setting("neuromask.mirror", "NEUROMASK_MIRROR");
        return new ModelStore(Manifest.builtIn(), cache, mirror == null ? null : Path.of(mirror), System.err);
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

    /** Where a file is now, without fetching or hashing it. */
    public Location locate(Manifest.FileEntry f) {
        if (Files.isRegularFile(cache.resolve(f.path()))) {
            return Location.CACHE;
        }
        if (mirror != null && Files.isRegularFile(mirror.resolve(f.path()))) {
            return Location.MIRROR;
        }
        return f.direct() ? Location.DOWNLOAD : Location.MISSING;
    }

    /**
     * Checks the sha256 of a file where it is now (cache, else mirror) without copying it.
     *
     * @return {@code null} when it matches, else what is wrong
     */
    public String verify(Manifest.FileEntry f) throws IOException {
        Location where = locate(f);
        Path p = switch (where) {
            case CACHE -> cache.resolve(f.path());
            case MIRROR -> mirror.resolve(f.path());
            default -> null;
        };
        if (p == null) {
            return "not in the cache or the mirror" + (mirror == null ? " (NEUROMASK_MIRROR is not set)" : "");
        }
        String actual = Sha256.of(p);
        return actual.equals(f.sha256()) ? null : "sha256 " + actual + " at " + p + ", expected " + f.sha256();
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
     * @throws IOException naming the file, the expected sha256 and how to fix it
     */
    public Path resolve(Manifest.FileEntry f) throws IOException {
        Path target = cache.resolve(f.path());
        if (Files.isRegularFile(target)) {
            String actual = Sha256.of(target);
            if (actual.equals(f.sha256())) {
                return target;
            }
            log.println("neuromask: cached " + target + " has sha256 " + actual + ", expected " + f.sha256()
                    + "; fetching it again");
            Files.delete(target);
        }
        if (mirror != null && Files.isRegularFile(mirror.resolve(f.path()))) {
            Path source = mirror.resolve(f.path());
            try {
                copyVerified(f, target, out -> {
                    try (InputStream in = Files.newInputStream(source)) {
                        in.transferTo(out);
                    }
                });
            } catch (ChecksumException e) {
                throw new IOException("mirror file " + source + " has sha256 " + e.actual + " but the manifest expects "
                        + f.sha256() + " (" + f.size() + " bytes); the mirror copy is corrupt or outdated: replace it "
                        + "with " + f.url() + " or point NEUROMASK_MIRROR at a good mirror", e);
            }
            return target;
        }
        String where = "not in the cache (" + cache + ") nor in the mirror ("
                + (mirror == null ? "NEUROMASK_MIRROR is not set" : mirror) + ")";
        if (!f.direct()) {
            throw new IOException("model store: " + f.path() + " is " + where + ", and it cannot be downloaded directly"
                    + " (" + f.note() + "; source " + f.url() + "). Expected sha256 " + f.sha256()
                    + ". Fix: set NEUROMASK_MIRROR (or -Dneuromask.mirror) to a folder laid out like shared/, e.g. "
                    + "NEUROMASK_MIRROR=../shared");
        }
        Downloader downloader = new Downloader(log);
        try {
            copyVerified(f, target, out -> downloader.fetch(f.url(), f.path(), f.size(), out));
        } catch (ChecksumException e) {
            throw new IOException("download of " + f.path() + " from " + f.url() + " has sha256 " + e.actual
                    + ", expected " + f.sha256() + "; the source changed or the transfer was corrupted. Fix: set "
                    + "NEUROMASK_MIRROR to a folder with a good copy", e);
        } catch (IOException e) {
            throw new IOException("model store: " + f.path() + " is " + where + ", and downloading it from " + f.url()
                    + " failed (" + e + "). Expected sha256 " + f.sha256() + ". Fix: set NEUROMASK_MIRROR (or "
                    + "-Dneuromask.mirror) to a folder laid out like shared/, e.g. NEUROMASK_MIRROR=../shared", e);
        }
        return target;
    }

    private void copyVerified(Manifest.FileEntry f, Path target, AtomicFiles.Body body) throws IOException {
        MessageDigest md = Sha256.digest();
        AtomicFiles.write(target, out -> {
            body.writeTo(new DigestOutputStream(out, md));
            String actual = Sha256.hex(md);
            if (!actual.equals(f.sha256())) {
                throw new ChecksumException(actual);
            }
        });
    }

    /** A digest mismatch while writing into the cache. */
    private static final class ChecksumException extends IOException {
        private static final long serialVersionUID = 1L;
        final String actual;

        ChecksumException(String actual) {
            super("sha256 mismatch: " + actual);
            this.actual = actual;
        }
    }
}
