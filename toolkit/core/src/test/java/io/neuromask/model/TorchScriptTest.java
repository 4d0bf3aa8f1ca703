package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.TorchScriptFixture;
import io.neuromask.attribution.MethodConfig;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.store.Manifest;
import io.neuromask.store.ModelStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript classifiers from the committed fixture (a CNN traced by PyTorch 1.13.1, loaded by libtorch 2.7.1):
 * they classify, their input gradients flow, the CAM methods are refused naming the methods that work, and every bad file
 * or setting fails naming the problem and the fix.
 */
class TorchScriptTest {

    @TempDir
    Path tmp;

    private Classifier fixture() throws IOException {
        return Models.torchScript(TorchScriptFixture.model(tmp), TorchScriptFixture.labels(tmp), 32, 32,
                Normalization.NONE, Device.cpu());
    }

    private static int predict(Classifier model, RgbImage image) {
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            NDArray x = m.create(image.toChw(), new Shape(1, 3, model.inputHeight(), model.inputWidth()));
            return (int) model.logits(x).argMax(1).toLongArray()[0];
        }
    }

    @Test
    void aPyTorch113TraceLoadsAndFindsEachPlantedPatch() throws IOException {
        try (Classifier model = fixture()) {
            assertTrue(TorchScriptClassifier.isTorchScript(model));
            assertEquals("planted-cnn32", model.name());
            assertEquals(TorchScriptFixture.LABELS, model.labels());
            for (int k = 0; k < 4; k++) {
                int[] at = TorchScriptFixture.PLACES[k];
                for (long seed = 0; seed < 3; seed++) {
                    RgbImage image = PlantedEvidence.image(32, at[0], at[1], TorchScriptFixture.PATCH, seed);
                    assertEquals(k, predict(model, image), "patch at " + at[0] + "," + at[1] + " seed " + seed);
                }
            }
        }
    }

    @Test
    void gradientsFlowThroughTheModuleToThePixels() throws IOException {
        try (Classifier model = fixture()) {
            RgbImage image = PlantedEvidence.image(32, 6, 18, 8, 5);
            SaliencyMap map = Methods.create("gradient", model).attribute(image, Target.index(0));
            double inside = 0;
            double outside = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean in = y >= 6 && y < 14 && x >= 18 && x < 26;
                    double v = Math.abs(map.get(y, x));
                    if (in) {
                        inside += v / 64;
                    } else {
                        outside += v / (1024 - 64);
                    }
                }
            }
            assertTrue(inside > 0, "no gradient reached the pixels");
            assertTrue(inside > 2 * outside, "mean |gradient| inside the patch " + inside + ", outside " + outside);
        }
    }

    @Test
    void camMethodsAreRefusedNamingTheMethodsThatWork() throws IOException {
        List<String> cams = List.of("gradcam", "gradcam++", "scorecam", "layercam", "opticam");
        List<String> titles = List.of("Grad-CAM", "Grad-CAM++", "Score-CAM", "LayerCAM", "Opti-CAM");
        try (Classifier model = fixture()) {
            List<String> working = Methods.names().stream().filter(n -> !cams.contains(n)).toList();
            for (String other : working) {
                assertEquals(java.util.Optional.empty(), Methods.unavailable(other, model), other);
            }
            for (int i = 0; i < cams.size(); i++) {
                String cam = cams.get(i);
                String reason = Methods.unavailable(cam, model).orElseThrow();
                assertTrue(reason.startsWith(cam + " needs the activations of a named layer"), reason);
                assertTrue(reason.endsWith(": " + String.join(", ", working)), reason);
                assertTrue(reason.contains("PtSymbolBlock"), reason);
                IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                        () -> Methods.create(cam, model));
                assertEquals(reason, plain.getMessage());
                IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                        () -> Methods.create(cam, model, MethodConfig.defaults().with("gradcam_layer", "features.6")));
                assertTrue(named.getMessage().startsWith(titles.get(i) + " layer 'features.6' (gradcam_layer, "
                        + "--gradcam-layer) cannot be reached: ") && named.getMessage().endsWith(reason),
                        named.getMessage());
            }
        }
        try (Classifier block = Models.load("test-cnn32", Device.cpu())) {
            for (String cam : cams) {
                assertEquals(java.util.Optional.empty(), Methods.unavailable(cam, block), cam + " on a DJL block model");
            }
        }
    }

    @Test
    void aMissingOrForeignFileIsRefusedSayingWhatItIs() throws IOException {
        Path labels = TorchScriptFixture.labels(tmp);
        IOException missing = assertThrows(IOException.class, () -> Models.torchScript(tmp.resolve("nope.pt"), labels,
                32, 32, Normalization.NONE, Device.cpu()));
        assertTrue(missing.getMessage().startsWith("TorchScript file not found: " + tmp.resolve("nope.pt")),
                missing.getMessage());

        Path empty = Files.createFile(tmp.resolve("empty.pt"));
        assertRefused(empty, labels, "is not a TorchScript archive: it is empty");

        Path text = Files.writeString(tmp.resolve("text.pt"), "not a model at all");
        assertRefused(text, labels, "does not start like one");

        Path pickle = Files.write(tmp.resolve("legacy.th"), new byte[] {(byte) 0x80, 2, 'c', 'x', 'y', 'z'});
        assertRefused(pickle, labels, "legacy torch.save pickle");

        // a zip archive as torch.save (1.6+) writes it: data.pkl and tensors, no code/
        Path stateDict = tmp.resolve("state_dict.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(stateDict))) {
            for (String entry : List.of("archive/data.pkl", "archive/data/0", "archive/version")) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write("x".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        assertRefused(stateDict, labels, "a zip archive without TorchScript's code/ and constants.pkl");

        // the real fixture cut short: a zip header, no central directory
        Path truncated = tmp.resolve("truncated.pt");
        try (OutputStream out = Files.newOutputStream(truncated)) {
            out.write(Files.readAllBytes(TorchScriptFixture.model(tmp.resolve("whole"))), 0, 4000);
        }
        assertRefused(truncated, labels, "cannot be read as one");
    }

    private static void assertRefused(Path file, Path labels, String what) {
        IOException e = assertThrows(IOException.class, () -> Models.torchScript(file, labels, 32, 32,
                Normalization.NONE, Device.cpu()), file.toString());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(what)
                && e.getMessage().contains("torch.jit.save(torch.jit.trace(model, example)"), e.getMessage());
    }

    @Test
    void labelsThatDoNotMatchTheOutputAndAWrongInputSizeAreRefused() throws IOException {
        Path model = TorchScriptFixture.model(tmp);
        Path three = Files.writeString(tmp.resolve("three.txt"), "a\nb\nc\n");
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> Models.torchScript(model, three, 32, 32, Normalization.NONE, Device.cpu()));
        assertTrue(labels.getMessage().contains("outputs shape (1, 4) but has 3 labels")
                && labels.getMessage().contains("give one label per output class")
                && labels.getMessage().contains(three.toString()), labels.getMessage());

        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Models.torchScript(model, TorchScriptFixture.labels(tmp), 64, 64, Normalization.NONE, Device.cpu()));
        assertTrue(size.getMessage().contains("fails on a 1x3x64x64 input")
                && size.getMessage().contains("give the input size"), size.getMessage());

        IOException noLabels = assertThrows(IOException.class, () -> Models.torchScript(model, tmp.resolve("none.txt"),
                32, 32, Normalization.NONE, Device.cpu()));
        assertTrue(noLabels.getMessage().startsWith("labels file not found"), noLabels.getMessage());
    }

    @Test
    void normalisationTextIsReadOrRefusedWithItsForm() {
        assertEquals(Normalization.NONE, Normalization.parse("none"));
        assertEquals(Normalization.IMAGENET, Normalization.parse(" ImageNet "));
        Normalization n = Normalization.parse("0.5,0.4,0.3/0.25, 0.2,0.1");
        assertEquals(new Normalization(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.25f, 0.2f, 0.1f}), n);
        assertEquals(n, Normalization.parse(n.text()));
        assertEquals("imagenet", Normalization.IMAGENET.text());
        for (String[] bad : new String[][] {
                {"imagnet", "is not understood: give none, imagenet or MEAN,MEAN,MEAN/STD,STD,STD"},
                {"0.5,0.5/1,1,1", "has 2 means"},
                {"0.5,0.5,0.5/1,1", "has 2 standard deviations"},
                {"0.5,x,0.5/1,1,1", "'x' is not a number"},
                {"0.5,0.5,0.5/1,NaN,1", "standard deviation 2 is NaN; standard deviations must be positive finite"},
                {"0.5,0.5,0.5/1,1,-0.2", "standard deviation 3 is -0.2"},
                {"0.5,0.5,0.5/0,1,1", "standard deviation 1 is 0.0"},
                {"NaN,0.5,0.5/1,1,1", "mean 1 is NaN"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normalization.parse(bad[0]));
            assertTrue(e.getMessage().startsWith("normalisation '" + bad[0] + "'") && e.getMessage().contains(bad[1]),
                    e.getMessage());
        }
    }

    private static float[] logits(Classifier model, RgbImage image) {
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            return model.logits(m.create(image.toChw(), new Shape(1, 3, 32, 32))).toFloatArray();
        }
    }

    @Test
    void aManifestEntryOfArchitectureTorchscriptLoadsTheFileWithTheEntrysSettings() throws Exception {
        Path mirror = tmp.resolve("mirror");
        RgbImage image = PlantedEvidence.image(32, 6, 18, 8, 7);
        Manifest none = TorchScriptFixture.manifest(mirror, tmp.resolve("none.json"), "none", true);
        ModelStore store = new ModelStore(none, tmp.resolve("cache"), mirror, System.err);
        float[] direct;
        try (Classifier file = fixture()) {
            direct = logits(file, image);
        }
        try (BlockClassifier model = Models.load(none.model("custom-planted").orElseThrow(), store, Device.cpu())) {
            assertEquals("custom-planted", model.name());
            assertEquals(TorchScriptFixture.LABELS, model.labels());
            assertEquals(32, model.inputHeight());
            assertTrue(TorchScriptClassifier.isTorchScript(model));
            assertArrayEquals(direct, logits(model, image), "the entry loads the same network, without normalisation");
            assertTrue(Methods.unavailable("gradcam", model).isPresent());
            assertTrue(Methods.unavailable("scorecam", model).isPresent());
        }

        // the entry's normalisation is applied (the built-in architectures accept imagenet only)
        String half = "0.5,0.5,0.5/0.25,0.25,0.25";
        Manifest shifted = TorchScriptFixture.manifest(mirror, tmp.resolve("half.json"), half, true);
        float[] expected;
        try (Classifier file = Models.torchScript(TorchScriptFixture.model(tmp), TorchScriptFixture.labels(tmp), 32, 32,
                Normalization.parse(half), Device.cpu())) {
            expected = logits(file, image);
        }
        try (BlockClassifier model = Models.load(shifted.model("custom-planted").orElseThrow(),
                new ModelStore(shifted, tmp.resolve("cache"), mirror, System.err), Device.cpu())) {
            float[] actual = logits(model, image);
            assertArrayEquals(expected, actual);
            assertFalse(java.util.Arrays.equals(direct, actual), "normalisation " + half + " changes the logits");
        }

        Manifest bad = TorchScriptFixture.manifest(mirror, tmp.resolve("bad.json"), "0.5,0.5,0.5/0,1,1", true);
        IllegalArgumentException badNorm = assertThrows(IllegalArgumentException.class, () -> Models.load(
                bad.model("custom-planted").orElseThrow(), new ModelStore(bad, tmp.resolve("cache"), mirror, System.err),
                Device.cpu()));
        assertTrue(badNorm.getMessage().startsWith("model custom-planted: normalisation '0.5,0.5,0.5/0,1,1': "
                + "standard deviation 1 is 0.0"), badNorm.getMessage());
        Manifest unlabelled = TorchScriptFixture.manifest(mirror, tmp.resolve("unlabelled.json"), "none", false);
        IllegalArgumentException noLabels = assertThrows(IllegalArgumentException.class, () -> Models.load(
                unlabelled.model("custom-planted").orElseThrow(),
                new ModelStore(unlabelled, tmp.resolve("cache"), mirror, System.err), Device.cpu()));
        assertEquals("model custom-planted of architecture torchscript lacks labelsFile (one class name per line) in "
                + "its manifest entry", noLabels.getMessage());
    }
}
