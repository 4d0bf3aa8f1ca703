package io.neuromask.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.TestMirror;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache → mirror → download resolution with sha256 checks, on tiny files made here, and the real manifest. */
class ModelStoreTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private ModelStore store(Path mirror, Manifest.FileEntry... files) {
        return new ModelStore(new Manifest(List.of(), List.of(), List.of(files)), tmp.resolve("cache"), mirror,
                new PrintStream(log, true));
    }

    private Manifest.FileEntry entry(String path, byte[] content, String url, boolean direct) throws IOException {
        Path f = tmp.resolve("made").resolve(path);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
        return new Manifest.FileEntry(path, content.length, Sha256.of(f), url, direct, "MIT", "test file");
    }

    private Path mirrorWith(String path, byte[] content) throws IOException {
        Path mirror = tmp.resolve("mirror");
        Files.createDirectories(mirror.resolve(path).getParent());
        Files.write(mirror.resolve(path), content);
        return mirror;
    }

    @Test
    void copiesFromMirrorIntoCacheThenUsesCache() throws IOException {
        byte[] data = "weights".getBytes();
        Manifest.FileEntry f = entry("models/a/w.bin", data, "http://127.0.0.1:9/w.bin", true);
        ModelStore store = store(mirrorWith(f.path(), data), f);
        assertEquals(Location.MIRROR, store.locate(f));
        Path p = store.resolve(f);
        assertEquals(tmp.resolve("cache").resolve(f.path()), p);
        assertEquals("weights", Files.readString(p));
        assertEquals(Location.CACHE, store.locate(f));
        assertNull(store.verify(f));
    }

    @Test
    void mirrorChecksumMismatchNamesFileAndExpectedHash() throws IOException {
        Manifest.FileEntry f = entry("models/a/w.bin", "weights".getBytes(), "http://127.0.0.1:9/w.bin", true);
        ModelStore store = store(mirrorWith(f.path(), "tampered".getBytes()), f);
        IOException e = assertThrows(IOException.class, () -> store.resolve(f));
        assertTrue(e.getMessage().contains(f.path()) && e.getMessage().contains(f.sha256())
                && e.getMessage().contains("NEUROMASK_MIRROR"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache").resolve(f.path())), "nothing enters the cache");
        assertTrue(store.verify(f).contains("expected " + f.sha256()));
    }

    @Test
    void missingFileSaysHowToFixIt() throws IOException {
        Manifest.FileEntry f = entry("data/x.bin", "data".getBytes(), "https://example.org/archive.tar.gz", false);
        IOException e = assertThrows(IOException.class, () -> store(null, f).resolve(f));
        assertTrue(e.getMessage().contains(f.path()) && e.getMessage().contains(f.sha256())
                && e.getMessage().contains("set NEUROMASK_MIRROR"), e.getMessage());
    }

    @Test
    void failedDownloadSaysHowToFixIt() throws IOException {
        Manifest.FileEntry f = entry("models/a/w.bin", "weights".getBytes(), "http://127.0.0.1:9/w.bin", true);
        ModelStore store = store(null, f);
        assertEquals(Location.DOWNLOAD, store.locate(f));
        IOException e = assertThrows(IOException.class, () -> store.resolve(f));
        assertTrue(e.getMessage().contains(f.path()) && e.getMessage().contains(f.url())
                && e.getMessage().contains(f.sha256()) && e.getMessage().contains("set NEUROMASK_MIRROR"), e.getMessage());
        try (var files = Files.walk(tmp.resolve("cache"))) {
            assertEquals(List.of(), files.filter(Files::isRegularFile)
                    .filter(p -> !OnlineStoreTest.isLockFile(tmp.resolve("cache"), p)).toList(),
                    "no partial file is left in the cache, only an empty lock file");
        }
    }

    @Test
    void corruptCacheCopyIsFetchedAgain() throws IOException {
        byte[] data = "weights".getBytes();
        Manifest.FileEntry f = entry("models/a/w.bin", data, "http://127.0.0.1:9/w.bin", true);
        ModelStore store = store(mirrorWith(f.path(), data), f);
        Path cached = store.resolve(f);
        Files.writeString(cached, "bit rot");
        assertEquals("weights", Files.readString(store.resolve(f)));
        assertTrue(log.toString().contains("fetching it again"), log.toString());
    }

    @Test
    void builtInManifestMatchesTheMirror() throws IOException {
        Manifest m = Manifest.builtIn();
        ModelStore store = new ModelStore(m, tmp.resolve("cache"), TestMirror.path(), System.err);
        assertEquals(5, m.models().size());
        for (Manifest.FileEntry f : m.files()) {
            if (f.sha256() == null) { // the full CIFAR-10 batches: not in the mirror, extracted from the archive
                assertEquals(Location.DOWNLOAD, store.locate(f), f.path());
                continue;
            }
            assertEquals(Location.MIRROR, store.locate(f), f.path());
            assertEquals(f.size(), Files.size(TestMirror.file(f.path())), f.path());
            assertNull(store.verify(f), f.path());
        }
        for (Manifest.ModelEntry model : m.models()) {
            model.files().forEach(m::file); // every named file is listed
            assertTrue(model.inputHeight() > 0 && model.license() != null, model.name());
        }
    }
}
