package io.neuromask.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A local stand-in for the public sources of every manifest file, for testing the online path without
 * internet and without the mirror. It serves, on {@code 127.0.0.1} at a free port, the content of each
 * canonical URL at the path the URL has after {@link #rewrite()} ({@code https://HOST/P} at
 * {@code /HOST/P}), built from a mirror folder:
 * <ul>
 *   <li>direct files (weights, images, label lists) as the mirror holds them;</li>
 *   <li>{@code cifar-10-binary.tar.gz}, assembled here: {@code cifar-10-batches-bin/test_batch.bin} of 10,000
 *       records whose first 1,000 are the mirror's slice (the rest repeat it), and {@code data_batch_1.bin} of
 *       10,000 records whose first 2,000 are the two mirror slices (the rest repeat them). Its md5 differs from
 *       the publisher's, so {@link #manifest()} is the built-in manifest with this archive's md5, to be used
 *       through {@code NEUROMASK_MANIFEST};</li>
 *   <li>the val-sample metadata ({@code dataset.txt}, {@code image_sizes.txt}, {@code localization.txt})
 *       synthesised from the mirror's {@code annotations.csv}, with decoy lines for images that are not in
 *       val-sample and the size and box files in another image order than {@code dataset.txt}.</li>
 * </ul>
 * It answers single {@code Range: bytes=N-[M]} requests with 206, logs every request ({@link #requests()}),
 * and can inject faults ({@link #inject}): a connection dropped mid-file, a 404, or wrong bytes.
 *
 * <p><b>GitHub's refs.</b> A GitHub URL ({@code github.com/OWNER/REPO/raw/REF/PATH} or
 * {@code raw.githubusercontent.com/OWNER/REPO/REF/PATH}) is answered only at a ref the repository has, as GitHub
 * does: the commits the built-in manifest pins, and each repository's real branches ({@link #BRANCHES}, all
 * pointing at the pinned commit), plus what a test declares with {@link #declareRef}. Any other ref answers 404,
 * so a manifest URL at a branch the repository does not have fails here as it fails for a user.
 *
 * <pre>{@code
 * try (CanonicalServer server = CanonicalServer.start(TestMirror.path(), tmp)) {
 *     env.put("NEUROMASK_URL_REWRITE", server.rewrite());
 *     env.put("NEUROMASK_MANIFEST", server.manifest().toString());
 *     ...
 * }
 * }</pre>
 */
public final class CanonicalServer implements AutoCloseable {

    /** The public URL of the CIFAR-10 archive. */
    public static final String CIFAR_ARCHIVE = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** The publisher's md5 of the CIFAR-10 archive, as in the built-in manifest. */
    public static final String PUBLISHER_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /** A fault for the next requests of one URL. */
    public enum Fault {
        /** Sends the headers of the whole file, then half of the body, then closes the connection. */
        DROP_MID_FILE,
        /** Sends the headers of the whole file and half of the body, then nothing for 5 s, then closes. */
        STALL_MID_FILE,
        /** Answers 404. */
        NOT_FOUND,
        /** Sends the file with the byte in the middle changed (see {@link #corrupted(byte[])}). */
        WRONG_BYTES
    }

    /**
     * One request as the server answered it.
     *
     * @param path the request path
     * @param range the {@code Range} header, or null
     * @param status the status sent
     * @param bytes body bytes the answer sends (half the range for the mid-file faults)
     */
    public record Request(String method, String path, String range, int status, long bytes) {}

    private record Injected(Fault fault, int[] remaining) {}

    /**
     * The branches of each GitHub repository the manifest names, as the real repositories have them
     * (snapshots fetched 2026-12-07): BruceDai/test-data was created in April 2021 and its default branch is
     * {@code main}; it has no {@code master}.
     */
    public static final Map<String, List<String>> BRANCHES = Map.of(
            "BruceDai/test-data", List.of("main", "add_test_data", "patch-1", "reset_style_transfer",
                    "test_data_resnet50v2nhwc"),
            "VeriSilicon/acuity-dataset", List.of("master"),
            "akamaster/pytorch_resnet_cifar10", List.of("master"),
            "clovaai/wsolevaluation", List.of("master", "coallaoh-patch-1"),
            "nesl/neuromask", List.of("master"));

    private static final java.util.regex.Pattern GITHUB = java.util.regex.Pattern.compile(
            "^/(?:github\\.com/([^/]+/[^/]+)/(?:raw|blob)/([^/]+)|raw\\.githubusercontent\\.com/([^/]+/[^/]+)/([^/]+))/(.+)$");

    private final HttpServer http;
    private final ExecutorService executor;
    private final Path manifest;
    private final Map<String, Object> defaults; // path -> Path or byte[]
    private final Map<String, Object> content = new ConcurrentHashMap<>();
    private final Map<String, Injected> faults = new ConcurrentHashMap<>();
    private final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong bytesServed = new AtomicLong();
    private final Map<String, Map<String, String>> defaultRefs;
    private final Map<String, Map<String, String>> refs = new ConcurrentHashMap<>(); // repo -> ref -> commit

    private CanonicalServer(HttpServer http, ExecutorService executor, Path manifest, Map<String, Object> defaults,
            Map<String, Map<String, String>> refs) {
        this.http = http;
        this.executor = executor;
        this.manifest = manifest;
        this.defaults = Map.copyOf(defaults);
        this.content.putAll(defaults);
        this.defaultRefs = refs;
        resetRefs();
    }

    private void resetRefs() {
        refs.clear();
        defaultRefs.forEach((repo, r) -> refs.put(repo, new ConcurrentHashMap<>(r)));
    }

    /**
     * The refs of the GitHub repositories the manifest names: every 40-hex commit its URLs pin, and the real
     * branches of {@link #BRANCHES}, pointing at the repository's pinned commit.
     */
    private static Map<String, Map<String, String>> githubRefs(Manifest m) {
        Map<String, Map<String, String>> refs = new java.util.HashMap<>();
        List<String> urls = new ArrayList<>();
        for (Manifest.FileEntry f : m.files()) {
            urls.add(f.url());
            if (f.derive() != null && f.derive().urls() != null) {
                urls.addAll(f.derive().urls().values());
            }
        }
        for (String url : urls) {
            java.util.regex.Matcher g = url == null ? null : GITHUB.matcher(pathOf(url));
            if (g != null && g.matches()) {
                String repo = g.group(1) != null ? g.group(1) : g.group(3);
                String ref = g.group(2) != null ? g.group(2) : g.group(4);
                if (ref.matches("[0-9a-f]{40}")) {
                    refs.computeIfAbsent(repo, k -> new java.util.HashMap<>()).put(ref, ref);
                }
            }
        }
        for (Map.Entry<String, Map<String, String>> r : refs.entrySet()) {
            String pinned = r.getValue().keySet().iterator().next();
            for (String branch : BRANCHES.getOrDefault(r.getKey(), List.of())) {
                r.getValue().put(branch, pinned);
            }
        }
        return refs;
    }

    /** Makes {@code ref} (a branch, tag or commit) of a GitHub repository {@code owner/name} point at {@code commit}. */
    public void declareRef(String repo, String ref, String commit) {
        refs.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(ref, commit);
    }

    /**
     * The content path for a request path: a GitHub path at a known ref becomes the path at its commit; at an
     * unknown ref, {@code null} (GitHub answers 404); any other path is itself.
     */
    private String contentPath(String requestPath) {
        java.util.regex.Matcher g = GITHUB.matcher(requestPath);
        if (!g.matches()) {
            return requestPath;
        }
        boolean raw = g.group(1) != null;
        String repo = raw ? g.group(1) : g.group(3);
        String ref = raw ? g.group(2) : g.group(4);
        String commit = refs.getOrDefault(repo, Map.of()).get(ref);
        if (commit == null) {
            return null;
        }
        String head = raw ? "/github.com/" + repo + "/" + requestPath.split("/")[4] + "/" : "/raw.githubusercontent.com/" + repo + "/";
        return head + commit + "/" + g.group(5);
    }

    /**
     * Builds the content from {@code mirror} (the archive and the manifest are written under {@code workDir})
     * and starts serving.
     */
    public static CanonicalServer start(Path mirror, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Manifest builtIn = Manifest.builtIn();
        Map<String, Object> defaults = new ConcurrentHashMap<>();
        for (Manifest.FileEntry f : builtIn.files()) {
            if (f.direct()) {
                defaults.put(pathOf(f.url()), mirror.resolve(f.path()));
            }
            Manifest.Derive d = f.derive();
            if (d != null && Manifest.Derive.VAL_SAMPLE_ANNOTATIONS.equals(d.kind())) {
                Map<String, byte[]> meta = metadata(Files.readAllLines(mirror.resolve(f.path()), StandardCharsets.UTF_8));
                for (Map.Entry<String, String> u : d.urls().entrySet()) {
                    defaults.put(pathOf(u.getValue()), meta.get(u.getKey()));
                }
            }
        }
        Path archive = workDir.resolve("cifar-10-binary.tar.gz");
        byte[] test = Files.readAllBytes(mirror.resolve("data/cifar10/test_batch_first1000.bin"));
        byte[] train = concat(Files.readAllBytes(mirror.resolve("data/cifar10/data_batch_1_first1000.bin")),
                Files.readAllBytes(mirror.resolve("data/cifar10/data_batch_1_second1000.bin")));
        writeArchive(archive, Map.of("cifar-10-batches-bin/batches.meta.txt",
                        String.join("\n", io.neuromask.data.Cifar10.CLASSES).getBytes(StandardCharsets.US_ASCII),
                        "cifar-10-batches-bin/test_batch.bin", repeat(test, 10),
                        "cifar-10-batches-bin/data_batch_1.bin", repeat(train, 5)));
        defaults.put(pathOf(CIFAR_ARCHIVE), archive);
        Path manifest = workDir.resolve("models.json");
        String json;
        try (InputStream in = Manifest.class.getResourceAsStream("/io/neuromask/store/models.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!json.contains(PUBLISHER_MD5)) {
            throw new IllegalStateException("the built-in manifest no longer names the archive md5 " + PUBLISHER_MD5);
        }
        Files.writeString(manifest, json.replace(PUBLISHER_MD5, md5(archive)));

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "canonical-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        CanonicalServer server = new CanonicalServer(http, executor, manifest, defaults, githubRefs(builtIn));
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public String baseUrl() {
        return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort() + "/";
    }

    /** The value for {@code NEUROMASK_URL_REWRITE}: {@code https://=http://127.0.0.1:PORT/}. */
    public String rewrite() {
        return "https://=" + baseUrl();
    }

    /** The value for {@code NEUROMASK_MANIFEST}: the built-in manifest with the md5 of the archive served here. */
    public Path manifest() {
        return manifest;
    }

    /** What a canonical URL becomes after {@link #rewrite()}. */
    public String url(String canonicalUrl) {
        return baseUrl() + pathOf(canonicalUrl).substring(1);
    }

    /** The bytes served for a canonical URL now. */
    public byte[] content(String canonicalUrl) throws IOException {
        return bytes(content.get(pathOf(canonicalUrl)));
    }

    /** Serves other bytes at a canonical URL until {@link #reset()}. */
    public void serve(String canonicalUrl, byte[] body) {
        content.put(pathOf(canonicalUrl), body.clone());
    }

    /** Applies {@code fault} to the next {@code times} requests of a canonical URL. */
    public void inject(String canonicalUrl, Fault fault, int times) {
        faults.put(pathOf(canonicalUrl), new Injected(fault, new int[] {times}));
    }

    /** Applies {@code fault} to the next request of a canonical URL. */
    public void inject(String canonicalUrl, Fault fault) {
        inject(canonicalUrl, fault, 1);
    }

    /** Restores the original content and refs, removes the faults and clears the request log. */
    public void reset() {
        content.clear();
        content.putAll(defaults);
        faults.clear();
        requests.clear();
        bytesServed.set(0);
        resetRefs();
    }

    /** The requests so far, in order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests so far for one canonical URL. */
    public List<Request> requests(String canonicalUrl) {
        String p = pathOf(canonicalUrl);
        return requests().stream().filter(r -> r.path().equals(p)).toList();
    }

    /** Body bytes sent since the start or the last {@link #reset()}. */
    public long bytesServed() {
        return bytesServed.get();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    /** {@code data} with its middle byte inverted: what {@link Fault#WRONG_BYTES} sends. */
    public static byte[] corrupted(byte[] data) {
        byte[] c = data.clone();
        c[c.length / 2] ^= (byte) 0xff;
        return c;
    }

    /** A gzip-compressed tar of the given members (name to content), in name order. */
    public static void writeArchive(Path file, Map<String, byte[]> members) throws IOException {
        GzipParameters gz = new GzipParameters();
        gz.setCompressionLevel(Deflater.BEST_SPEED);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16), gz))) {
            for (String name : new java.util.TreeSet<>(members.keySet())) {
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(members.get(name).length);
                tar.putArchiveEntry(e);
                tar.write(members.get(name));
                tar.closeArchiveEntry();
            }
        }
    }

    /** The md5 of a file as lower-case hex. */
    public static String md5(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("MD5"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- content

    /** {@code https://host/p?q} → {@code /host/p}. */
    static String pathOf(String canonicalUrl) {
        String u = canonicalUrl.replaceFirst("^https?://", "");
        int q = u.indexOf('?');
        return "/" + (q >= 0 ? u.substring(0, q) : u);
    }

    /**
     * dataset.txt, image_sizes.txt and localization.txt for the rows of an annotations.csv: dataset.txt in the
     * rows' order, the other two in reverse order, each with decoy lines for images not in the CSV (and, in
     * localization.txt, a decoy between the first and second box of an image).
     */
    static Map<String, byte[]> metadata(List<String> csv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : csv.subList(1, csv.size())) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        StringBuilder labels = new StringBuilder();
        StringBuilder sizes = new StringBuilder();
        StringBuilder boxes = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            String decoy = String.format("ILSVRC2012_val_%08d.JPEG", 60_000 + i);
            labels.append("./data/").append(decoy).append(", ").append(i % 1000).append('\n');
            labels.append("./data/").append(r[0]).append(", ").append(r[1]).append('\n');
        }
        for (int i = rows.size() - 1; i >= 0; i--) {
            String[] r = rows.get(i);
            String decoy = String.format("ILSVRC2012_val_%08d.JPEG", 60_000 + i);
            sizes.append("val/").append(decoy).append(",640,480\n");
            sizes.append("val/").append(r[0]).append(',').append(r[2]).append(',').append(r[3]).append('\n');
            String[] b = r[4].isEmpty() ? new String[0] : r[4].split(";");
            for (int k = 0; k < b.length; k++) {
                boxes.append("val/").append(r[0]).append(',').append(b[k].trim().replace(' ', ',')).append('\n');
                if (k == 0) {
                    boxes.append("val/").append(decoy).append(",1,2,3,4\n");
                }
            }
        }
        return Map.of("labels", labels.toString().getBytes(StandardCharsets.UTF_8),
                "sizes", sizes.toString().getBytes(StandardCharsets.UTF_8),
                "boxes", boxes.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] repeat(byte[] b, int times) {
        byte[] out = new byte[b.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(b, 0, out, i * b.length, b.length);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(Object body) throws IOException {
        if (body == null) {
            return null;
        }
        return body instanceof Path p ? Files.readAllBytes(p) : ((byte[]) body).clone();
    }

    // ---- serving

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        String at = contentPath(path);
        Fault fault = null;
        Injected inj = at == null ? null : faults.get(at);
        if (inj != null) {
            synchronized (inj) {
                if (inj.remaining()[0] > 0) {
                    inj.remaining()[0]--;
                    fault = inj.fault();
                }
            }
        }
        Object body = at == null ? null : content.get(at);
        boolean dropped = false;
        try {
            if (body == null || fault == Fault.NOT_FOUND || !"GET".equals(ex.getRequestMethod())) {
                int status = body == null || fault == Fault.NOT_FOUND ? 404 : 405;
                // logged before answering: a client may act on the answer before this handler returns
                requests.add(new Request(ex.getRequestMethod(), path, range, status, 0));
                ex.sendResponseHeaders(status, -1);
                return;
            }
            long total = body instanceof Path p ? Files.size(p) : ((byte[]) body).length;
            long from = 0;
            long to = total - 1;
            int status = 200;
            if (range != null && range.matches("bytes=\\d+-\\d*")) {
                String[] r = range.substring(6).split("-", -1);
                from = Long.parseLong(r[0]);
                to = r[1].isEmpty() ? total - 1 : Math.min(total - 1, Long.parseLong(r[1]));
                if (from > to) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + total);
                    requests.add(new Request("GET", path, range, 416, 0));
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + total);
            }
            long length = to - from + 1;
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            long limit = fault == Fault.DROP_MID_FILE || fault == Fault.STALL_MID_FILE ? length / 2 : length;
            requests.add(new Request("GET", path, range, status, limit));
            ex.sendResponseHeaders(status, length);
            long sent = 0;
            try (InputStream in = body instanceof Path p ? Files.newInputStream(p)
                    : new java.io.ByteArrayInputStream(fault == Fault.WRONG_BYTES ? corrupted((byte[]) body) : (byte[]) body)) {
                InputStream src = fault == Fault.WRONG_BYTES && body instanceof Path p
                        ? new java.io.ByteArrayInputStream(corrupted(Files.readAllBytes(p))) : in;
                src.skipNBytes(from);
                OutputStream out = ex.getResponseBody();
                byte[] buf = new byte[1 << 16];
                while (sent < limit) {
                    int n = src.read(buf, 0, (int) Math.min(buf.length, limit - sent));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    sent += n;
                }
                out.flush();
            } finally {
                bytesServed.addAndGet(sent);
            }
            if (fault == Fault.STALL_MID_FILE) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fault == Fault.DROP_MID_FILE) {
                // let the client read what was sent: closing may reset the connection, and a reset drops bytes in flight
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fault == Fault.DROP_MID_FILE || fault == Fault.STALL_MID_FILE) {
                // fewer bytes than announced; failing the handler makes the server close the connection
                dropped = true;
                throw new IOException("fault injected: connection dropped after " + sent + " of " + length + " bytes");
            }
        } finally {
            if (!dropped) {
                ex.close();
            }
        }
    }
}
