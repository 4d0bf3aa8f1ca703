package io.neuromask;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed TorchScript fixture ({@code models/fixtures/planted-cnn32.pt}, made by {@code make-torchscript.py}
 * beside it, on the test class path through the core POM's test resources), a
 * small trained CNN (three 3×3 conv layers, max pools, a linear layer) for 32×32 [0, 1] RGB inputs (normalisation
 * none) whose four classes are where a bright 8×8 patch was planted: {@link #LABELS}; class 0's place, (6, 18), is
 * test-planted-32's. Traced with PyTorch 1.13.1.
 */
public final class TorchScriptFixture {

    /** The classes, in output order; each the patch's top-left corner {@link #PLACES}. */
    public static final java.util.List<String> LABELS = java.util.List.of("top-right", "top-left", "bottom-left",
            "bottom-right");
    /** (top, left) of the 8×8 patch of each class. */
    public static final int[][] PLACES = {{6, 18}, {6, 6}, {18, 6}, {18, 18}};
    /** The side of the patch. */
    public static final int PATCH = 8;

    private static final String DIR = "/io/neuromask/model/torchscript/";

    private TorchScriptFixture() {}

    /** Copies {@code planted-cnn32.pt} into {@code dir} and returns it. */
    public static Path model(Path dir) {
        return copy("planted-cnn32.pt", dir);
    }

    /** Copies the labels file ({@code planted-cnn32-labels.txt}, one line per class) into {@code dir} and returns it. */
    public static Path labels(Path dir) {
        return copy("planted-cnn32-labels.txt", dir);
    }

    private static Path copy(String name, Path dir) {
        try (InputStream in = TorchScriptFixture.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + DIR + name + " is missing");
            }
            Files.createDirectories(dir);
            Path out = dir.resolve(name);
            Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileEntry(Path root, String path) throws Exception {
        byte[] bytes = Files.readAllBytes(root.resolve(path));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        return "{\"path\": \"" + path + "\", \"size\": " + bytes.length + ", \"sha256\": \"" + sha
                + "\", \"url\": \"https://example.org/" + path + "\", \"direct\": false, \"license\": \"test\"}";
    }

    /**
     * Writes to {@code file} a manifest of one model of architecture {@code torchscript}, {@code custom-planted}: the
     * fixture and its labels, copied into a mirror folder {@code root} under {@code models/custom/}; input 32×32.
     *
     * @param withLabels whether the entry names its labels file
     */
    public static io.neuromask.store.Manifest manifest(Path root, Path file, String normalization, boolean withLabels) throws Exception {
        String pt = "models/custom/planted-cnn32.pt";
        String labels = "models/custom/planted-cnn32-labels.txt";
        TorchScriptFixture.model(root.resolve("models/custom"));
        TorchScriptFixture.labels(root.resolve("models/custom"));
        String json = "{\"models\": [{\"name\": \"custom-planted\", \"architecture\": \"torchscript\", \"weights\": \""
                + pt + "\", \"files\": [\"" + pt + "\", \"" + labels + "\"], "
                + (withLabels ? "\"labelsFile\": \"" + labels + "\", " : "")
                + "\"inputHeight\": 32, \"inputWidth\": 32, \"normalization\": \"" + normalization + "\", "
                + "\"license\": \"test\", \"format\": \"TorchScript\", \"source\": \"models/fixtures/make-torchscript.py\"}], "
                + "\"datasets\": [], \"files\": [" + fileEntry(root, pt) + ", " + fileEntry(root, labels) + "]}";
        Files.writeString(file, json);
        return io.neuromask.store.Manifest.read(file);
    }
}
