package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.TestMirror;
import io.neuromask.kernel.ToolkitClasspath;
import io.neuromask.store.CanonicalServer;
import io.neuromask.store.Manifest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line online, as a user without the mirror runs it: each command is a separate {@code java}
 * process with an empty cache, without {@code NEUROMASK_MIRROR}, pointed at {@link CanonicalServer} through
 * {@code NEUROMASK_URL_REWRITE} and {@code NEUROMASK_MANIFEST}.
 */
class OnlineCliTest {

    @TempDir
    static Path shared;

    static CanonicalServer server;

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void startServer() throws IOException {
        server = CanonicalServer.start(TestMirror.path(), shared.resolve("server"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    /** Runs the CLI in a new JVM with the cache {@code cache} and no mirror. */
    private Result run(Path cache, String... args) throws Exception {
        return start(cache, args).call();
    }

    /** Starts the CLI in a new JVM with the cache {@code cache} and no mirror; {@code get} waits for its result. */
    private java.util.concurrent.Callable<Result> start(Path cache, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", ToolkitClasspath.current().stream().map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)), "io.neuromask.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        Map<String, String> env = pb.environment();
        env.remove("NEUROMASK_MIRROR");
        env.remove("NEUROMASK_PROGRESS");
        env.put("NEUROMASK_CACHE", cache.toString());
        env.put("NEUROMASK_URL_REWRITE", server.rewrite());
        env.put("NEUROMASK_MANIFEST", server.manifest().toString());
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return () -> {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", args));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        };
    }

    /** The files of a cache, less the empty lock files the store keeps in {@code .locks/}. */
    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.filter(Files::isRegularFile).toList();
            for (Path p : all) {
                assertTrue(!p.startsWith(dir.resolve(".locks")) || Files.size(p) == 0, "lock files are empty: " + p);
            }
            return all.stream().filter(p -> !p.startsWith(dir.resolve(".locks"))).toList();
        }
    }

    @Test
    void quickstartWritesItsOutputs() throws Exception {
        Path cache = tmp.resolve("cache");
        Path out = tmp.resolve("out");
        Result r = run(cache, "quickstart", "--no-kernel", "--out", out.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String f : List.of("mask.png", "overlay.png", "mask.npy", "explanation.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(r.out().contains("true class horse"), r.out());
        assertTrue(r.err().contains("downloading models/cifar10-resnet/resnet20-12fca82f.th"), r.err());
        assertFalse(r.err().contains("\r"), "no terminal: progress as plain lines, no \\r frames");
        assertTrue(Files.isRegularFile(cache.resolve("data/cifar10/test_batch.bin")));
        assertTrue(files(cache).stream().noneMatch(p -> p.toString().endsWith(".tar.gz")), "the archive is not kept");
    }

    @Test
    void evaluateAccuracyOnTheDownloadedTestBatchAndTheValSample() throws Exception {
        Path cache = tmp.resolve("cache");
        Result c = run(cache, "evaluate-accuracy", "--model", "cifar10-resnet20", "--data", "cifar10-test", "--device",
                "cpu", "--limit", "2000", "--json");
        assertEquals(0, c.exit(), c.out() + c.err());
        JsonObject o = JsonParser.parseString(c.out().trim()).getAsJsonObject();
        // 2,000 of the 10,000 images the archive brought (OnlineStoreTest checks the full batch's size and digest):
        // the fixture repeats the first 1,000 test images, so these are two copies of them
        assertEquals(2_000, o.get("images").getAsInt());
        double top1 = o.get("top1").getAsDouble();
        assertTrue(top1 > 0.88 && top1 < 0.95, "ResNet20 on two copies of the first 1,000 test images: " + top1);

        Result v = run(cache, "evaluate-accuracy", "--model", "imagenet-squeezenet1.1", "--data", "imagenet-val-sample",
                "--device", "cpu", "--json");
        assertEquals(0, v.exit(), v.out() + v.err());
        JsonObject w = JsonParser.parseString(v.out().trim()).getAsJsonObject();
        assertEquals(300, w.get("images").getAsInt());
        double t1 = w.get("top1").getAsDouble();
        assertTrue(t1 > 0.6 && t1 < 0.8 && w.get("top5").getAsDouble() > 0.85, v.out());
    }

    @Test
    void modelsFetchSaysFetchedSkippedAndFailed() throws Exception {
        Path cache = tmp.resolve("cache");
        Manifest m = Manifest.read(server.manifest());
        String r20 = m.model("cifar10-resnet20").orElseThrow().weights();
        String r32 = m.model("cifar10-resnet32").orElseThrow().weights();
        String slice = "data/cifar10/test_batch_first1000.bin";

        Result first = run(cache, "models", "fetch", "cifar10-resnet20", "cifar10-test");
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("fetched " + r20) && first.out().contains("fetched " + slice), first.out());
        assertTrue(first.out().contains("2 fetched, 0 skipped (already cached), 0 failed"), first.out());

        Result again = run(cache, "models", "fetch", "cifar10-resnet20", "cifar10-test");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("skipped " + r20) && again.out().contains("skipped " + slice), again.out());
        assertTrue(again.out().contains("0 fetched, 2 skipped"), again.out());

        server.inject(m.file(r32).url(), CanonicalServer.Fault.NOT_FOUND);
        Result failed = run(cache, "models", "fetch", "cifar10-resnet32", "cifar10-resnet20");
        assertEquals(1, failed.exit(), failed.out() + failed.err());
        assertTrue(failed.out().contains("failed  " + r32) && failed.out().contains("HTTP 404 from "
                + server.url(m.file(r32).url())), failed.out());
        assertTrue(failed.out().contains("skipped " + r20) && failed.out().contains("0 fetched, 1 skipped (already cached), 1 failed"),
                failed.out());
        assertFalse(Files.exists(cache.resolve(r32)));

        Result unknown = run(cache, "models", "fetch", "no-such-model");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown model or data set 'no-such-model'"), unknown.err());
    }

    @Test
    void twoProcessesFetchingOneDataSetIntoOneCacheBothSucceed() throws Exception {
        Path cache = tmp.resolve("cache");
        java.util.concurrent.Callable<Result> first = start(cache, "models", "fetch", "imagenet-val-sample");
        java.util.concurrent.Callable<Result> second = start(cache, "models", "fetch", "imagenet-val-sample");
        Result a = first.call();
        Result b = second.call();
        assertEquals(0, a.exit(), a.out() + a.err());
        assertEquals(0, b.exit(), b.out() + b.err());
        Manifest m = Manifest.read(server.manifest());
        List<String> paths = m.filesOf("imagenet-val-sample").orElseThrow();
        for (String path : paths) {
            Manifest.FileEntry f = m.file(path);
            assertEquals(f.sha256(), io.neuromask.store.Sha256.of(cache.resolve(path)), path);
            if (f.direct()) {
                assertEquals(1, server.requests(f.url()).size(), "each file is downloaded once: " + path);
            }
        }
        assertEquals(paths.size(), files(cache).size(), "the data set's files, and no work file");
    }

    @Test
    void modelsFetchAllFromAnEmptyCache() throws Exception {
        Path cache = tmp.resolve("cache");
        long start = System.nanoTime();
        Result all = run(cache, "models", "fetch", "--all");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, all.exit(), all.out() + all.err());
        Manifest m = Manifest.read(server.manifest());
        assertTrue(all.out().contains(m.files().size() + " fetched, 0 skipped (already cached), 0 failed"), all.out());
        for (Manifest.FileEntry f : m.files()) {
            assertEquals(f.size(), Files.size(cache.resolve(f.path())), f.path());
        }
        assertEquals(m.files().size(), files(cache).size(), "the manifest's files and nothing else");
        System.out.printf("models fetch --all from an empty cache: %.1f s, %d bytes served in %d requests%n", seconds,
                server.bytesServed(), server.requests().size());
        Result verify = run(cache, "models", "verify");
        assertEquals(0, verify.exit(), verify.out());
        assertTrue(verify.out().contains(m.files().size() + " of " + m.files().size() + " local files verified"),
                verify.out());
    }
}
