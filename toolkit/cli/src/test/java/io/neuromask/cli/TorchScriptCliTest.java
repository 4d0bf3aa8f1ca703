package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.NeuroMask;
import io.neuromask.Objectives;
import io.neuromask.TorchScriptFixture;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Classifier;
import io.neuromask.base.Target;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.io.ImageFiles;
import io.neuromask.io.Npy;
import io.neuromask.model.Models;
import io.neuromask.model.Normalization;
import io.neuromask.model.PlantedEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any TorchScript model from the command line ({@code --model-file --labels --input-size --normalization}) on the
 * committed fixture, a CNN traced by PyTorch 1.13: explain gives the Java API's mask, evaluate runs, the CAM methods
 * are left out or refused, a manifest entry of architecture {@code torchscript} loads by name, and every bad option is refused
 * naming the problem and the fix.
 */
class TorchScriptCliTest {

    @TempDir
    Path tmp;

    private Path model;
    private Path labels;
    private Path image;

    @BeforeEach
    void setUp() throws Exception {
        model = TorchScriptFixture.model(tmp.resolve("fixture"));
        labels = TorchScriptFixture.labels(tmp.resolve("fixture"));
        image = tmp.resolve("planted.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
    }

    private List<String> fileArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("--model-file", model.toString(), "--labels", labels.toString(),
                "--input-size", "32"));
        args.addAll(List.of(more));
        return args;
    }

    private static String[] run(String command, List<String> args) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(args);
        return InProcessCli.run(all.toArray(String[]::new));
    }

    private static float[] npy(Path file) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            return Npy.read(m, file).toFloatArray();
        }
    }

    @Test
    void explainWritesTheMaskThatTheJavaApiLearns() throws Exception {
        Path out = tmp.resolve("out");
        String[] r = run("explain", fileArgs("--image", image.toString(), "--iterations", "25", "--batch", "1",
                "--device", "cpu", "--out", out.toString()));
        assertEquals("0", r[0], r[1] + r[2]);
        float[] cli = npy(out.resolve("mask.npy"));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("explanation.json"))).getAsJsonObject();
        assertTrue(json.get("model").getAsString().matches("planted-cnn32\\.pt@[0-9a-f]{12}"), json.toString());
        assertEquals("top-right", json.get("target_label").getAsString(), json.toString());

        try (Classifier classifier = Models.torchScript(model, labels, 32, 32, Normalization.NONE, Device.cpu())) {
            MaskEngine engine = NeuroMask.builder().model(classifier)
                    .objective(Objectives.presetFor(Objectives.DEFAULT, classifier).withIterations(25))
                    .seed(MaskEngine.DEFAULT_SEED).batchSize(1).build();
            Explanation api = engine.explain(List.of(ImageFiles.read(image, classifier)), List.of(Target.predicted()))
                    .get(0);
            assertEquals(0, api.target());
            assertArrayEquals(api.mask(), cli, "the CLI's mask.npy is the Java API's mask");
        }
        double inside = 0;
        double all = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                all += cli[y * 32 + x];
                inside += y >= 6 && y < 14 && x >= 18 && x < 26 ? cli[y * 32 + x] : 0;
            }
        }
        assertTrue(inside / 64 > all / 1024, "the mask keeps more of the planted patch than of the image: "
                + inside / 64 + " vs " + all / 1024);
    }

    @Test
    void evaluateRunsTheChosenMethodsAndResumesOnlyWithTheSameFile() throws Exception {
        Path results = tmp.resolve("results.jsonl");
        List<String> args = fileArgs("--methods", "gradient,occlusion", "--data", "test-planted-32", "--limit", "2",
                "--step-fraction", "0.25", "--device", "cpu", "--json", "--resume", results.toString());
        String[] r = run("evaluate", args);
        assertEquals("0", r[0], r[1] + r[2]);
        JsonObject report = JsonParser.parseString(r[1]).getAsJsonObject();
        assertTrue(report.get("model").getAsString().startsWith("planted-cnn32.pt@"), r[1]);
        assertEquals(2, report.get("images").getAsInt());
        List<String> methods = new ArrayList<>();
        for (JsonElement m : report.getAsJsonArray("methods")) {
            methods.add(m.getAsJsonObject().get("method").getAsString());
            double deletion = m.getAsJsonObject().getAsJsonObject("metrics").getAsJsonObject("deletion_auc")
                    .get("mean").getAsDouble();
            assertTrue(deletion >= 0 && deletion <= 1, m.toString());
        }
        assertEquals(List.of("gradient", "occlusion", "center"), methods);

        String[] again = run("evaluate", args);
        assertEquals("0", again[0], again[2]);
        assertTrue(again[2].contains("resuming: 2 of 2 images of gradient already done"), again[2]);

        // the same network under another name, or other settings, is another model: refused
        Path copy = Files.copy(model, tmp.resolve("other.pt"));
        List<String> other = new ArrayList<>(args);
        other.set(1, copy.toString());
        String[] refused = run("evaluate", other);
        assertEquals("1", refused[0], refused[1] + refused[2]);
        assertTrue(refused[2].contains("holds results for model = \"planted-cnn32.pt@") && refused[2].contains(
                "but this run has model = \"other.pt@"), refused[2]);
        List<String> normalised = new ArrayList<>(args);
        normalised.addAll(List.of("--normalization", "imagenet"));
        String[] renormalised = run("evaluate", normalised);
        assertEquals("1", renormalised[0], renormalised[1] + renormalised[2]);
        assertTrue(renormalised[2].contains("holds results for model = \"planted-cnn32.pt@")
                && renormalised[2].contains("but this run has model = \"planted-cnn32.pt@"), renormalised[2]);
    }

    @Test
    void camMethodsAreLeftOutOfTheDefaultMethodsAndRefusedByName() {
        List<String> cams = List.of("gradcam", "gradcam++", "scorecam", "layercam", "opticam");
        String working = String.join(", ", Methods.names().stream().filter(n -> !cams.contains(n)).toList());
        String[] named = run("evaluate", fileArgs("--methods", "gradient,gradcam", "--data", "test-planted-32",
                "--limit", "1", "--device", "cpu"));
        assertEquals("1", named[0], named[1] + named[2]);
        assertTrue(named[2].contains("error: gradcam needs the activations of a named layer")
                && named[2].contains("PtSymbolBlock") && named[2].contains("use the methods that work on it: "
                + working), named[2]);
        String[] scoreCam = run("evaluate", fileArgs("--methods", "scorecam", "--data", "test-planted-32",
                "--limit", "1", "--device", "cpu"));
        assertEquals("1", scoreCam[0], scoreCam[1] + scoreCam[2]);
        assertTrue(scoreCam[2].contains("error: scorecam needs the activations of a named layer")
                && scoreCam[2].contains(working), scoreCam[2]);
        String[] layer = run("evaluate", fileArgs("--methods", "gradcam", "--gradcam-layer", "features.4", "--data",
                "test-planted-32", "--limit", "1", "--device", "cpu"));
        assertEquals("1", layer[0], layer[2]);
        assertTrue(layer[2].contains("error: Grad-CAM layer 'features.4' (gradcam_layer, --gradcam-layer) cannot be "
                + "reached: gradcam needs") && layer[2].contains(working), layer[2]);

        // the default, every method, runs them all but the CAM methods, saying why (a few cheap iterations and samples)
        String[] all = run("evaluate", fileArgs("--data", "test-planted-32", "--limit", "1", "--iterations", "3",
                "--rise-masks", "8", "--step-fraction", "0.5", "--device", "cpu", "--json"));
        assertEquals("0", all[0], all[2]);
        JsonObject report = JsonParser.parseString(all[1]).getAsJsonObject();
        for (String cam : cams) {
            assertTrue(all[2].contains("evaluate: skipping " + cam + " (of the default, every method): " + cam
                    + " needs"), all[2]);
            assertTrue(report.getAsJsonObject("skipped_methods").get(cam).getAsString().contains(working), all[1]);
        }
        List<String> methods = new ArrayList<>();
        for (JsonElement m : report.getAsJsonArray("methods")) {
            methods.add(m.getAsJsonObject().get("method").getAsString());
        }
        assertEquals(Methods.names().stream().filter(n -> !cams.contains(n)).toList(), methods);
    }

    @Test
    void theFixtureIsARealClassifierOfThePlantedImages() {
        String[] r = run("evaluate-accuracy", fileArgs("--data", "test-planted-32", "--device", "cpu", "--json"));
        assertEquals("0", r[0], r[1] + r[2]);
        JsonObject json = JsonParser.parseString(r[1].trim()).getAsJsonObject();
        assertEquals(64, json.get("images").getAsInt());
        assertEquals(1.0, json.get("top1").getAsDouble(), "every planted image (class 0, the patch at (6, 18))");
    }

    @Test
    void sweepTakesAFileModelToo() throws Exception {
        Path out = tmp.resolve("sweep.html");
        String[] r = run("sweep", fileArgs("--image", image.toString(), "--lambda-sparse", "0.1,1", "--iterations",
                "5", "--device", "cpu", "--out", out.toString()));
        assertEquals("0", r[0], r[1] + r[2]);
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("sweep.json"))).getAsJsonObject();
        assertTrue(json.get("model").getAsString().startsWith("planted-cnn32.pt@"), json.toString());
    }

    @Test
    void aManifestEntryOfArchitectureTorchscriptIsAModelName() throws Exception {
        Path mirror = tmp.resolve("mirror");
        Path manifest = tmp.resolve("models.json");
        TorchScriptFixture.manifest(mirror, manifest, "none", true);
        System.setProperty("neuromask.manifest", manifest.toString());
        System.setProperty("neuromask.mirror", mirror.toString());
        System.setProperty("neuromask.cache", tmp.resolve("cache").toString());
        try {
            Path out = tmp.resolve("named");
            String[] r = InProcessCli.run("explain", "--model", "custom-planted", "--image", image.toString(),
                    "--iterations", "5", "--batch", "1", "--device", "cpu", "--out", out.toString());
            assertEquals("0", r[0], r[1] + r[2]);
            JsonObject json = JsonParser.parseString(Files.readString(out.resolve("explanation.json")))
                    .getAsJsonObject();
            assertEquals("custom-planted", json.get("model").getAsString());
            assertEquals("top-right", json.get("target_label").getAsString());
        } finally {
            System.clearProperty("neuromask.manifest");
            System.clearProperty("neuromask.mirror");
            System.clearProperty("neuromask.cache");
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheProblemAndTheFix() throws Exception {
        Path out = tmp.resolve("out");
        String[][] cases = {
            {"--model-file " + tmp.resolve("missing.pt") + " --labels " + labels + " --input-size 32",
                "error: --model-file: TorchScript file not found: " + tmp.resolve("missing.pt")
                        + "; give the path of the .pt file that torch.jit.save wrote"},
            {"--model-file " + labels + " --labels " + labels + " --input-size 32",
                "error: --model-file: " + labels + " is not a TorchScript archive: a TorchScript file is a zip archive,"
                        + " and this one does not start like one; save the model with torch.jit.save("},
            {"--model-file " + model + " --labels " + tmp.resolve("three.txt") + " --input-size 32",
                "outputs shape (1, 4) but has 3 labels; give one label per output class (labels from "},
            {"--model-file " + model + " --labels " + labels + " --input-size 32x",
                "error: --input-size '32x' is not a size: give N or HxW in pixels (height x width), e.g. 32 or "
                        + "224x224"},
            {"--model-file " + model + " --labels " + labels + " --input-size 0",
                "error: --input-size '0': each side must be 1 to 8192 pixels"},
            {"--model-file " + model + " --labels " + labels + " --input-size 64",
                "fails on a 1x3x64x64 input: "},
            {"--model-file " + model + " --labels " + labels + " --input-size 32 --normalization imagenette",
                "error: --normalization: normalisation 'imagenette' is not understood: give none, imagenet or "
                        + "MEAN,MEAN,MEAN/STD,STD,STD"},
            {"--model-file " + model + " --labels " + labels + " --input-size 32 --normalization 0,0,0/1,NaN,1",
                "error: --normalization: normalisation '0,0,0/1,NaN,1': standard deviation 2 is NaN; standard "
                        + "deviations must be positive finite numbers"},
            {"--model-file " + model + " --labels " + labels + " --input-size 32 --normalization 0,0,0/1,1,-2",
                "standard deviation 3 is -2.0"},
            {"--model-file " + model + " --input-size 32",
                "error: --model-file " + model + " needs --labels FILE (the class names, one per line)"},
            {"--model-file " + model,
                "needs --labels FILE (the class names, one per line) and --input-size N|HxW (the input the model "
                        + "takes, e.g. 32 or 224x224)"},
            {"--model test-planted-32 --model-file " + model + " --labels " + labels + " --input-size 32",
                "error: --model and --model-file are mutually exclusive: give --model NAME for a named model, or "
                        + "--model-file FILE for a TorchScript file"},
            {"--model test-planted-32 --input-size 32",
                "error: --input-size describes a --model-file, but --model test-planted-32 names a model"},
            {"--labels " + labels,
                "error: no model: give --model NAME (see 'neuromask models list'), or --model-file FILE --labels FILE "
                        + "--input-size N|HxW for a TorchScript file"}};
        Files.writeString(tmp.resolve("three.txt"), "a\nb\nc\n");
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of(c[0].split(" ")));
            args.addAll(List.of("--image", image.toString(), "--iterations", "2", "--out", out.toString()));
            String[] r = run("explain", args);
            assertEquals("1", r[0], c[0] + ": " + r[1] + r[2]);
            assertTrue(r[2].contains(c[1]), c[0] + " printed:\n" + r[2]);
            assertFalse(Files.exists(out), "nothing written after: " + c[0]);
        }
    }

    @Test
    void commandsThatPassTheModelOnByNameTakeNoFile() {
        String[] r = InProcessCli.run("bench-shared", "--model-file", model.toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("Unknown options: '--model-file'"), r[2]);
        String[] help = InProcessCli.run("explain", "--help");
        for (String option : List.of("--model-file=FILE", "--labels=FILE", "--input-size=N|HxW",
                "--normalization=none|imagenet|M,M,M/S,S,S")) {
            assertTrue(help[1].contains(option), option + " missing from:\n" + help[1]);
        }
    }
}
