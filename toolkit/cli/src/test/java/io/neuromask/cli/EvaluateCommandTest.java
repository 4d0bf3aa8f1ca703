package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.model.PlantedEvidence;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the planted-evidence model with a val-sample-layout folder. */
class EvaluateCommandTest {

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void evaluatesAFolderInTheValSampleLayout(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("images"));
        StringBuilder csv = new StringBuilder("file,label,original_width,original_height,boxes\n");
        for (int i = 0; i < 4; i++) {
            // stored at 64x64 from a "original" 128x128: the box (36,12)-(52,28) in original pixels is the
            // evidence patch (18,6)-(26,14) once scaled to the model's 32x32
            ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, i).resize(64, 64).toBufferedImage(), "png",
                    dir.resolve("images/img" + i + ".png").toFile());
            csv.append("img").append(i).append(".png,0,128,128,72 24 104 56;0 0 4 4\n");
        }
        Files.writeString(dir.resolve("annotations.csv"), csv);
        long t0 = System.nanoTime();
        String out = run("evaluate", "--model", "test-planted-32", "--data-dir", dir.toString(), "--methods",
                "gradient,occlusion", "--limit", "3", "--step-fraction", "0.05", "--json");
        double wallSeconds = (System.nanoTime() - t0) / 1e9;
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        assertEquals(3, o.get("images").getAsInt());
        assertEquals(3, o.getAsJsonArray("methods").size(), "gradient, occlusion and the center baseline");
        JsonObject gradient = o.getAsJsonArray("methods").get(0).getAsJsonObject();
        assertEquals("gradient", gradient.get("method").getAsString());
        JsonObject pg = gradient.getAsJsonObject("metrics").getAsJsonObject("pointing_game");
        assertEquals(1.0, pg.get("mean").getAsDouble(), 1e-12, out);
        assertEquals(3, pg.get("n").getAsInt());
        assertTrue(gradient.getAsJsonObject("versus_center").has("energy_pointing_game"));
        // attribution time only: positive (it was measured) and, for the 3 images, within the command's wall time
        double secondsPerImage = gradient.get("seconds_per_image").getAsDouble();
        assertTrue(secondsPerImage > 0 && 3 * secondsPerImage <= wallSeconds, secondsPerImage + " s/image, "
                + wallSeconds + " s in all");
        double del = gradient.getAsJsonObject("metrics").getAsJsonObject("deletion_auc").get("mean").getAsDouble();
        double ins = gradient.getAsJsonObject("metrics").getAsJsonObject("insertion_auc").get("mean").getAsDouble();
        assertTrue(del < ins, "gradient deletes the evidence first: " + del + " vs " + ins);
    }

    @Test
    void tableOutputAndBadInput() {
        String out = run("evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--methods", "gradient",
                "--limit", "2", "--step-fraction", "0.1");
        assertTrue(out.contains("gradient") && out.contains("center") && out.contains("deletion_auc"), out);
        assertEquals(1, Main.run("evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--methods",
                "lime"));
        assertEquals(1, Main.run("evaluate", "--model", "test-planted-32", "--data", "cifar10-test"));
    }

    @Test
    void roadMaxBoxAccV2AndTheCentreGaussianBaselineAreReported() {
        String out = run("evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--methods",
                "gradient,center-gaussian", "--limit", "2", "--step-fraction", "0.1", "--json");
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        List<String> names = new java.util.ArrayList<>();
        o.getAsJsonArray("methods").forEach(m -> names.add(m.getAsJsonObject().get("method").getAsString()));
        assertEquals(List.of("gradient", "center-gaussian", "center"), names, out);
        for (com.google.gson.JsonElement e : o.getAsJsonArray("methods")) {
            JsonObject metrics = e.getAsJsonObject().getAsJsonObject("metrics");
            for (String k : List.of("road_morf_auc", "road_lerf_auc", "max_box_acc_v2")) {
                assertEquals(2, metrics.getAsJsonObject(k).get("n").getAsInt(), k + " " + out);
                double mean = metrics.getAsJsonObject(k).get("mean").getAsDouble();
                assertTrue(mean >= 0 && mean <= 1, k + " " + mean);
            }
        }
        JsonObject gradient = o.getAsJsonArray("methods").get(0).getAsJsonObject();
        JsonObject metrics = gradient.getAsJsonObject("metrics");
        double morf = metrics.getAsJsonObject("road_morf_auc").get("mean").getAsDouble();
        double lerf = metrics.getAsJsonObject("road_lerf_auc").get("mean").getAsDouble();
        assertTrue(morf < lerf, "the gradient sits on the planted patch: removing it first hurts most: " + morf + " vs "
                + lerf);
        assertTrue(gradient.getAsJsonObject("versus_center").has("max_box_acc_v2"), "a localisation metric");
        assertTrue(!gradient.getAsJsonObject("versus_center").has("road_morf_auc"), "not a localisation metric");
        String table = run("evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--methods",
                "center-gaussian", "--limit", "1", "--step-fraction", "0.25");
        for (String heading : List.of("road_morf_auc ↓", "road_lerf_auc ↑", "max_box_acc_v2 ↑", "center-gaussian")) {
            assertTrue(table.contains(heading), heading + " in\n" + table);
        }
    }

    @Test
    void severalPresetsAreEvaluatedSideBySide() {
        String out = run("evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--methods", "neuromask",
                "--preset", "paper-cifar10,fast-cifar10", "--iterations", "15", "--limit", "2", "--step-fraction", "0.1",
                "--json");
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        assertEquals("neuromask:paper-cifar10", o.getAsJsonArray("methods").get(0).getAsJsonObject().get("method")
                .getAsString());
        assertEquals("neuromask:fast-cifar10", o.getAsJsonArray("methods").get(1).getAsJsonObject().get("method")
                .getAsString());
        assertEquals("center", o.getAsJsonArray("methods").get(2).getAsJsonObject().get("method").getAsString());
        JsonObject hp = o.getAsJsonObject("mask_objectives");
        assertEquals(io.neuromask.Preset.PAPER_CIFAR10.neuroMask().learningRate(),
                hp.getAsJsonObject("neuromask:paper-cifar10").getAsJsonObject("settings").get("learningRate").getAsDouble(), 1e-12);
        assertEquals(io.neuromask.Preset.FAST_CIFAR10.neuroMask().learningRate(),
                hp.getAsJsonObject("neuromask:fast-cifar10").getAsJsonObject("settings").get("learningRate").getAsDouble(), 1e-12);
        assertEquals(15, hp.getAsJsonObject("neuromask:fast-cifar10").getAsJsonObject("settings").get("iterations").getAsInt(), "--iterations wins");
    }

    @Test
    void anObjectiveAloneIsEvaluatedBesideCenterOnly() {
        String out = run("evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--objective",
                "meaningful", "--iterations", "5", "--limit", "1", "--step-fraction", "0.25", "--json");
        com.google.gson.JsonArray methods = JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("methods");
        List<String> names = new java.util.ArrayList<>();
        methods.forEach(m -> names.add(m.getAsJsonObject().get("method").getAsString()));
        assertEquals(List.of("meaningful", "center"), names, out);
    }

    @Test
    void gradCamLayerOfSqueezeNetResolvesOnTheRealModel() {
        String out = run("evaluate", "--model", "imagenet-squeezenet1.1", "--data", "imagenet-val-sample", "--methods",
                "gradcam", "--limit", "2", "--step-fraction", "0.2", "--json");
        JsonObject gradcam = JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("methods").get(0)
                .getAsJsonObject();
        assertEquals("gradcam", gradcam.get("method").getAsString());
        JsonObject area = gradcam.getAsJsonObject("metrics").getAsJsonObject("mask_area");
        assertEquals(2, area.get("n").getAsInt(), out);
        assertTrue(area.get("mean").getAsDouble() > 0 && area.get("mean").getAsDouble() < 1, out);
    }

    @Test
    void theCamVariantsRunByNameAtTheSharedLayer(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.jsonl");
        String out = run("evaluate", "--model", "test-cnn32", "--data", "test-planted-32", "--methods",
                "gradcam++,scorecam,layercam,opticam", "--gradcam-layer", "5", "--opticam-iterations", "3", "--limit",
                "2", "--step-fraction", "0.25", "--resume", results.toString(), "--json");
        com.google.gson.JsonArray methods = JsonParser.parseString(out).getAsJsonObject().getAsJsonArray("methods");
        List<String> names = new java.util.ArrayList<>();
        methods.forEach(m -> names.add(m.getAsJsonObject().get("method").getAsString()));
        assertEquals(List.of("gradcam++", "scorecam", "layercam", "opticam", "center"), names, out);
        for (int i = 0; i < 4; i++) {
            JsonObject area = methods.get(i).getAsJsonObject().getAsJsonObject("metrics").getAsJsonObject("mask_area");
            assertEquals(2, area.get("n").getAsInt(), out);
            assertTrue(area.get("mean").getAsDouble() > 0, names.get(i) + ": " + out);
        }
        List<String> recorded = Files.readAllLines(results).stream().filter(l -> l.contains("\"type\":\"method\""))
                .toList();
        for (String name : List.of("gradcam++", "scorecam", "layercam")) {
            assertTrue(recorded.contains("{\"type\":\"method\",\"method\":\"" + name
                    + "\",\"settings\":{\"gradcam_layer\":\"5\"}}"), name + " at --gradcam-layer: " + recorded);
        }
        assertTrue(recorded.contains("{\"type\":\"method\",\"method\":\"opticam\",\"settings\":{\"gradcam_layer\":"
                + "\"5\",\"opticam_iterations\":3}}"), "opticam records its iterations: " + recorded);
        assertEquals(1, Main.run("evaluate", "--model", "test-cnn32", "--data", "test-planted-32", "--methods",
                "scorecam", "--gradcam-layer", "stage9", "--limit", "1"), "an unknown layer is refused");
    }
}
