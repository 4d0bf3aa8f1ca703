package io.neuromask.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.TestMirror;
import io.neuromask.data.Cifar10;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's online path, in process, against {@link CanonicalServer} with an empty cache and no mirror:
 * derived files come out as the mirror holds them, and bad answers are clear errors that leave the cache empty.
 */
class OnlineStoreTest {

    private static final String RESNET20 = "models/cifar10-resnet/resnet20-12fca82f.th";
    private static final String TEST_SLICE = "data/cifar10/test_batch_first1000.bin";

    @TempDir
    static Path shared;

    static CanonicalServer server;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<DownloadProgress> progress = new ArrayList<>();

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

    private ModelStore store(Manifest manifest) {
        return new ModelStore(manifest, tmp.resolve("cache"), null, new PrintStream(log, true, StandardCharsets.UTF_8))
                .withUrlRewrite(UrlRewrite.parse(server.rewrite())).withDownloadListener(progress::add);
    }

    private ModelStore store() throws IOException {
        return store(Manifest.read(server.manifest()));
    }

    private List<Path> cacheFiles() throws IOException {
        Path cache = tmp.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).filter(p -> !isLockFile(cache, p)).toList();
        }
    }

    /** An (empty) lock file of {@code .locks/}: the store keeps them, as other shared caches do. */
    static boolean isLockFile(Path cache, Path p) {
        try {
            return p.startsWith(cache.resolve(".locks")) && p.toString().endsWith(".lock") && Files.size(p) == 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void cifarSlicesComeFromTheFullFilesOfOneArchiveDownload() throws IOException {
        ModelStore store = store();
        LabeledImages test = Datasets.open("cifar10-test", store);
        assertEquals(10_000, test.size(), "the full test_batch.bin came with the slice");
        Path slice = tmp.resolve("cache").resolve(TEST_SLICE);
        assertEquals(Sha256.of(TestMirror.file(TEST_SLICE)), Sha256.of(slice));
        assertEquals(30_730_000L, Files.size(tmp.resolve("cache/data/cifar10/test_batch.bin")));
        assertEquals(Cifar10.read(slice).label(17), test.label(17));

        LabeledImages train = Datasets.open("cifar10-train-2000", store);
        assertEquals(2_000, train.size());
        for (String p : List.of("data/cifar10/data_batch_1_first1000.bin", "data/cifar10/data_batch_1_second1000.bin")) {
            assertEquals(Sha256.of(TestMirror.file(p)), Sha256.of(tmp.resolve("cache").resolve(p)), p);
        }
        assertEquals(1, server.requests(CanonicalServer.CIFAR_ARCHIVE).size(), "one archive download for both batches");
        assertTrue(cacheFiles().stream().noneMatch(p -> p.toString().endsWith(".tar.gz") || p.toString().contains(".partial")),
                "the archive is not kept: " + cacheFiles());
        assertTrue(progress.stream().anyMatch(p -> p.finished() && p.url().endsWith("cifar-10-binary.tar.gz")
                && p.bytesDone() == p.bytesTotal()), "the download was reported");
    }

    @Test
    void annotationsAreBuiltByteIdenticalFromTheMetadata() throws IOException {
        String csv = "data/imagenet/val-sample/annotations.csv";
        Manifest.Derive d = store().manifest().file(csv).derive();
        long lines = new String(server.content(d.urls().get("labels")), StandardCharsets.UTF_8).lines().count();
        assertTrue(lines > 300, "the fixture's dataset.txt lists decoys too: " + lines);
        Path built = store().resolve(csv);
        assertEquals(-1, Files.mismatch(built, TestMirror.file(csv)), "byte-identical to the mirror's annotations.csv");
        assertEquals(List.of(built), cacheFiles(), "only the CSV enters the cache, not the metadata");
    }

    @Test
    void wrongBytesAreRejectedNamingBothDigests() throws IOException {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        server.inject(f.url(), CanonicalServer.Fault.WRONG_BYTES);
        IOException e = assertThrows(IOException.class, () -> store.resolve(f));
        String actual = sha256(CanonicalServer.corrupted(Files.readAllBytes(TestMirror.file(RESNET20))));
        assertTrue(e.getMessage().contains(f.sha256()) && e.getMessage().contains(actual)
                && e.getMessage().contains(RESNET20), e.getMessage());
        assertEquals(List.of(), cacheFiles(), "nothing enters the cache");
        assertEquals(f.sha256(), Sha256.of(store.resolve(f)), "a later good download is accepted");
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws IOException {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        server.inject(f.url(), CanonicalServer.Fault.DROP_MID_FILE);
        assertEquals(f.sha256(), Sha256.of(store.resolve(f)));
        List<CanonicalServer.Request> r = server.requests(f.url());
        assertEquals(2, r.size(), r.toString());
        assertEquals(200, r.get(0).status());
        assertEquals(f.size() / 2, r.get(0).bytes(), "the first answer broke off half way");
        // the client resumes at what it received: the server sent half, and a reset connection may lose
        // bytes in flight, so the resume point is at most half and well past the start
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("resuming at byte (\\d+)").matcher(log.toString());
        assertTrue(m.find(), log.toString());
        long resumed = Long.parseLong(m.group(1));
        assertTrue(resumed > 0 && resumed <= f.size() / 2, "resume point " + resumed + " of " + f.size());
        assertEquals("bytes=" + resumed + "-", r.get(1).range(), "the retry asked for the rest only");
        assertEquals(206, r.get(1).status());
        assertEquals(f.size() - resumed, r.get(1).bytes());
    }

    @Test
    void aStalledConnectionIsAbandonedAndResumed() throws IOException {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        server.inject(f.url(), CanonicalServer.Fault.STALL_MID_FILE);
        System.setProperty("neuromask.downloadStallSeconds", "0.5");
        try {
            assertEquals(f.sha256(), Sha256.of(store.resolve(f)));
        } finally {
            System.clearProperty("neuromask.downloadStallSeconds");
        }
        List<CanonicalServer.Request> r = server.requests(f.url());
        assertEquals(2, r.size(), r.toString());
        assertEquals("bytes=" + f.size() / 2 + "-", r.get(1).range(), "the retry asked for the rest only");
        assertTrue(log.toString().contains("stalled connection"), log.toString());
        assertTrue(!Thread.currentThread().isInterrupted(), "the watchdog's interrupt does not leak to the caller");
    }

    @Test
    void aBadStallSettingIsNamed() {
        System.setProperty("neuromask.downloadStallSeconds", "-3");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Downloader.stallTimeout());
            assertTrue(e.getMessage().contains("NEUROMASK_DOWNLOAD_STALL_SECONDS") && e.getMessage().contains("-3"),
                    e.getMessage());
        } finally {
            System.clearProperty("neuromask.downloadStallSeconds");
        }
    }

    @Test
    void threeDropsUseUpTheTriesAndLeaveNothing() throws IOException {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        server.inject(f.url(), CanonicalServer.Fault.DROP_MID_FILE, 3);
        IOException e = assertThrows(IOException.class, () -> store.resolve(f));
        assertTrue(e.getMessage().contains(server.url(f.url())) && e.getMessage().contains("3 tries"), e.getMessage());
        assertEquals(3, server.requests(f.url()).size());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void notFoundNamesTheUrl() throws IOException {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        server.inject(f.url(), CanonicalServer.Fault.NOT_FOUND);
        IOException e = assertThrows(IOException.class, () -> store.resolve(f));
        assertTrue(e.getMessage().contains("HTTP 404 from " + server.url(f.url())), e.getMessage());
        assertEquals(1, server.requests(f.url()).size(), "a 404 is not retried");
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void anArchiveWithoutTheMemberOrWithAnotherMd5IsRejected() throws IOException {
        Path other = tmp.resolve("other.tar.gz");
        CanonicalServer.writeArchive(other, Map.of("cifar-10-batches-bin/readme.html", "no batches".getBytes()));
        server.serve(CanonicalServer.CIFAR_ARCHIVE, Files.readAllBytes(other));

        IOException md5 = assertThrows(IOException.class, () -> store().resolve(TEST_SLICE));
        String expectedMd5 = store().manifest().file("data/cifar10/test_batch.bin").derive().md5();
        assertTrue(md5.getMessage().contains("md5 " + CanonicalServer.md5(other)) && md5.getMessage().contains(expectedMd5),
                md5.getMessage());
        assertEquals(List.of(), cacheFiles());

        // the same archive with a manifest that expects its md5: the member is missing
        String json = Files.readString(server.manifest()).replace(expectedMd5, CanonicalServer.md5(other));
        Path manifest = Files.writeString(tmp.resolve("models.json"), json);
        IOException member = assertThrows(IOException.class, () -> store(Manifest.read(manifest)).resolve(TEST_SLICE));
        assertTrue(member.getMessage().contains("has no member cifar-10-batches-bin/test_batch.bin")
                && member.getMessage().contains("readme.html"), member.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void aBranchUrlResolvesOnlyWhereTheRepositoryHasThatBranch() throws IOException {
        String path = "models/squeezenet1.1/weights/squeezenet0_conv0_weight.npy";
        String pinned = store().manifest().file(path).url();
        String commit = "38659dfbc5f69daddb71b42d10eb4970176ddc54";
        assertTrue(pinned.contains("/raw/" + commit + "/"), pinned);
        // BruceDai/test-data's only default branch is main: a raw/master URL answers 404, as on GitHub
        String master = pinned.replace("/raw/" + commit + "/", "/raw/master/");
        Path masterManifest = Files.writeString(tmp.resolve("master.json"),
                Files.readString(server.manifest()).replace(pinned, master));
        IOException e = assertThrows(IOException.class, () -> store(Manifest.read(masterManifest)).resolve(path));
        assertTrue(e.getMessage().contains("HTTP 404 from " + server.url(master)), e.getMessage());
        assertEquals(List.of(), cacheFiles());

        String main = pinned.replace("/raw/" + commit + "/", "/raw/main/");
        Path mainManifest = Files.writeString(tmp.resolve("main.json"),
                Files.readString(server.manifest()).replace(pinned, main));
        Path p = store(Manifest.read(mainManifest)).resolve(path);
        assertEquals(sha256(Files.readAllBytes(TestMirror.path().resolve(path))), Sha256.of(p));
        // a branch a test declares is served too
        server.declareRef("BruceDai/test-data", "master", commit);
        Files.delete(p);
        assertEquals(p, store(Manifest.read(masterManifest)).resolve(path));
    }

    @Test
    void aDownloadStopsAtTheDeclaredSize() throws IOException {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        byte[] good = server.content(f.url());
        server.serve(f.url(), java.util.Arrays.copyOf(good, good.length + 1_000_000));
        IOException e = assertThrows(IOException.class, () -> store.resolve(f));
        assertTrue(e.getMessage().contains("announces " + (good.length + 1_000_000) + " bytes, more than the "
                + f.size() + " the manifest declares"), e.getMessage());
        assertEquals(1, server.requests(f.url()).size(), "an oversized answer is not retried");
        assertEquals(List.of(), cacheFiles());

        // an archive larger than the size its manifest entry gives is stopped the same way
        String json = Files.readString(server.manifest()).replace("\"member\": \"cifar-10-batches-bin/test_batch.bin\"",
                "\"member\": \"cifar-10-batches-bin/test_batch.bin\", \"size\": 1000");
        Manifest small = Manifest.read(Files.writeString(tmp.resolve("small.json"), json));
        assertEquals(1000, small.file("data/cifar10/test_batch.bin").derive().size());
        IOException archive = assertThrows(IOException.class, () -> store(small).resolve(TEST_SLICE));
        assertTrue(archive.getMessage().contains("more than the 1000 the manifest declares"), archive.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void twoThreadsFetchingOneFileDownloadItOnce() throws Exception {
        ModelStore store = store();
        Manifest.FileEntry f = store.manifest().file(RESNET20);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            List<java.util.concurrent.Future<Path>> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return store.resolve(f);
                }));
            }
            assertEquals(got.get(0).get(), got.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, server.requests(f.url()).size(), "the second thread found the file cached once it held the lock");
        assertEquals(f.sha256(), Sha256.of(tmp.resolve("cache").resolve(f.path())));
    }

    @Test
    void workFilesOlderThanADayAreRemovedAndNewerOnesKept() throws IOException {
        Path partial = Files.createDirectories(tmp.resolve("cache").resolve(".partial"));
        Path stale = Files.write(partial.resolve("w.th.123.part"), new byte[10]);
        Path fresh = Files.write(partial.resolve("w.th.456.part"), new byte[10]);
        Path other = Files.write(partial.resolve("notes.txt"), new byte[10]);
        java.nio.file.attribute.FileTime twoDaysAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        Files.setLastModifiedTime(stale, twoDaysAgo);
        Files.setLastModifiedTime(other, twoDaysAgo);
        store().resolve(RESNET20);
        assertFalse(Files.exists(stale), "a work file left by a killed process is removed");
        assertTrue(Files.exists(fresh), "another process's recent work file is kept");
        assertTrue(Files.exists(other), "only .part files are the store's");
    }

    @Test
    void everyManifestFileHasAPublicSourceAndTheRewriteMapsUrls() throws IOException {
        Manifest m = Manifest.builtIn();
        for (Manifest.FileEntry f : m.files()) {
            assertTrue(f.obtainable(), f.path() + " can be obtained without a mirror");
        }
        UrlRewrite r = UrlRewrite.parse("https://=http://127.0.0.1:8765/");
        assertEquals("http://127.0.0.1:8765/github.com/a/b", r.apply("https://github.com/a/b"));
        assertEquals("http://x/y", r.apply("http://x/y"));
        assertThrows(IllegalArgumentException.class, () -> UrlRewrite.parse("https://"));
        assertNotNull(m.file("data/cifar10/test_batch.bin").derive());
        assertFalse(m.derivedRanges(m.file("data/cifar10/test_batch.bin")).isEmpty());
    }

    private static String sha256(byte[] b) {
        java.security.MessageDigest md = Sha256.digest();
        md.update(b);
        return Sha256.hex(md);
    }
}
