package io.neuromask.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's rules: URLs pinned to commits, paths that stay inside the cache, checked weights, sound ranges. */
class ManifestTest {

    private static final Pattern GITHUB = Pattern.compile(
            "^https://(?:github\\.com/[^/]+/[^/]+/(?:raw|blob|tree)/([^/]+)/.+|raw\\.githubusercontent\\.com/[^/]+/[^/]+/([^/]+)/.+)$");
    private static final String SHA = "0".repeat(64);

    @TempDir
    Path tmp;

    /** The ref of a GitHub URL, or null for another host. */
    static String githubRef(String url) {
        Matcher m = GITHUB.matcher(url);
        if (!m.matches()) {
            return url.contains("github") ? "unparsed: " + url : null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    @Test
    void everyGithubUrlOfTheBuiltInManifestIsPinnedToACommit() {
        Manifest m = Manifest.builtIn();
        List<String> urls = new ArrayList<>();
        for (Manifest.FileEntry f : m.files()) {
            urls.add(f.url());
            if (f.derive() != null) {
                urls.add(f.derive().url());
                if (f.derive().urls() != null) {
                    urls.addAll(f.derive().urls().values());
                }
            }
        }
        int github = 0;
        List<String> unpinned = new ArrayList<>();
        for (String url : urls) {
            String ref = url == null ? null : githubRef(url);
            if (ref != null) {
                github++;
                if (!ref.matches("[0-9a-f]{40}")) {
                    unpinned.add(url);
                }
            }
        }
        assertEquals(List.of(), unpinned, "GitHub URLs must name a 40-hex commit, never a branch");
        assertTrue(github > 300, "the manifest's images, weights and metadata are on GitHub: " + github);
        // the check itself tells a branch from a commit
        assertEquals("master", githubRef("https://github.com/BruceDai/test-data/raw/master/models/x.npy"));
        assertEquals("main", githubRef("https://raw.githubusercontent.com/a/b/main/c.txt"));
    }

    private static Manifest.FileEntry file(String path) {
        return new Manifest.FileEntry(path, 10, SHA, "https://example.org/" + path, true, "MIT", null);
    }

    private static Manifest.FileEntry range(String path, String of) {
        return new Manifest.FileEntry(path, 10, SHA, "https://example.org/" + path, false, "MIT", "a slice",
                new Manifest.Derive(Manifest.Derive.BYTE_RANGE, null, null, null, of, 0, 10, null, null, 0));
    }

    private static Manifest.ModelEntry model(String weights, List<String> files, String labelsFile) {
        return new Manifest.ModelEntry("m", "cifar-resnet", 20, weights, files, null, labelsFile, 32, 32, "none", "MIT",
                null, null, null);
    }

    private static String refusal(List<Manifest.ModelEntry> models, List<Manifest.DatasetEntry> datasets,
            Manifest.FileEntry... files) {
        return assertThrows(IllegalArgumentException.class, () -> new Manifest(models, datasets, List.of(files)))
                .getMessage();
    }

    @Test
    void pathsThatLeaveTheCacheAreRefusedNamingTheEntryAndTheRule() {
        for (String bad : List.of("/etc/passwd", "../outside.bin", "models/../../outside.bin", "models//w.bin",
                "models/./w.bin", "C:/w.bin", "models\\w.bin", ".partial/w.bin", ".locks/w.bin")) {
            String message = refusal(List.of(), List.of(), file(bad));
            assertTrue(message.contains("file " + bad + ": path '" + bad + "'"), message);
        }
        String weights = refusal(List.of(model("../w.th", List.of("models/w.th"), null)), List.of(), file("models/w.th"));
        assertTrue(weights.contains("model m: weights '../w.th' must be normalised"), weights);
        String root = refusal(List.of(), List.of(new Manifest.DatasetEntry("d", "images", "/tmp", List.of("data/a.png"),
                null, null)), file("data/a.png"));
        assertTrue(root.contains("data set d: root '/tmp' must be a relative path"), root);
    }

    @Test
    void weightsAndLabelsMustBeFilesTheModelListsSoTheyAreChecked() {
        String weights = refusal(List.of(model("models/w.th", List.of("models/other.th"), null)), List.of(),
                file("models/w.th"), file("models/other.th"));
        assertTrue(weights.contains("model m: weights models/w.th is neither one of its files nor a folder of them"),
                weights);
        String labels = refusal(List.of(model("models/w.th", List.of("models/w.th"), "models/labels.txt")), List.of(),
                file("models/w.th"), file("models/labels.txt"));
        assertTrue(labels.contains("model m: labelsFile models/labels.txt is not one of its files"), labels);
        String unlisted = refusal(List.of(model("models/w.th", List.of("models/w.th"), null)), List.of());
        assertTrue(unlisted.contains("model m: files names models/w.th, which the manifest's files do not list"), unlisted);
        // a folder of weights is fine when the model lists files in it
        new Manifest(List.of(model("models/sq", List.of("models/sq/a.npy"), null)), List.of(), List.of(file("models/sq/a.npy")));
    }

    @Test
    void byteRangesOfThemselvesOrInACycleAndDuplicatePathsAreRefused() {
        String self = refusal(List.of(), List.of(), range("data/a.bin", "data/a.bin"));
        assertTrue(self.contains("file data/a.bin: byte-range of itself"), self);
        String cycle = refusal(List.of(), List.of(), range("data/a.bin", "data/b.bin"), range("data/b.bin", "data/a.bin"));
        assertTrue(cycle.contains("file data/a.bin: byte ranges form a cycle (data/a.bin -> data/b.bin -> data/a.bin)"),
                cycle);
        String twice = refusal(List.of(), List.of(), file("data/a.bin"), file("data/a.bin"));
        assertTrue(twice.contains("file data/a.bin is listed twice"), twice);
        // a chain that ends at an ordinary file is fine
        new Manifest(List.of(), List.of(), List.of(range("data/a.bin", "data/b.bin"), file("data/b.bin")));
    }

    @Test
    void aManifestFileThatBreaksARuleIsAnIOExceptionNamingTheFile() throws IOException {
        String json = Files.readString(Path.of("../../models/models.json")).replace(
                "\"path\": \"models/cifar10-resnet/resnet20-12fca82f.th\"", "\"path\": \"../../resnet20-12fca82f.th\"");
        Path bad = Files.writeString(tmp.resolve("models.json"), json);
        IOException e = assertThrows(IOException.class, () -> Manifest.read(bad));
        assertTrue(e.getMessage().startsWith("manifest " + bad + ": ") && e.getMessage().contains(
                "file ../../resnet20-12fca82f.th: path '../../resnet20-12fca82f.th' must be normalised"), e.getMessage());
        assertTrue(e.getMessage().contains("model cifar10-resnet20: files names models/cifar10-resnet/resnet20-12fca82f.th,"
                + " which the manifest's files do not list"), e.getMessage());
    }

    @Test
    void theStoreNeverResolvesOutsideItsRoots() {
        Path root = tmp.resolve("cache").toAbsolutePath();
        assertEquals(root.resolve("models/w.th"), ModelStore.inside(root, "models/w.th"));
        for (String bad : List.of("../x", "/etc/passwd", "a/../../x", ".")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelStore.inside(root, bad));
            assertTrue(e.getMessage().contains("outside " + root), e.getMessage());
        }
    }

    @Test
    void theArchiveSizeIsReadAndMustNotBeNegative() {
        Manifest.Derive archive = new Manifest.Derive(Manifest.Derive.TAR_GZ_MEMBER, "https://example.org/a.tar.gz",
                "0".repeat(32), "a/b.bin", null, 0, 0, Map.of(), null, -1);
        Manifest.FileEntry member = new Manifest.FileEntry("data/b.bin", 10, SHA, "https://example.org/a.tar.gz", false,
                "MIT", null, archive);
        String m = refusal(List.of(), List.of(), member);
        assertTrue(m.contains("file data/b.bin: the archive's size must be > 0, or 0 when unknown"), m);
    }
}
