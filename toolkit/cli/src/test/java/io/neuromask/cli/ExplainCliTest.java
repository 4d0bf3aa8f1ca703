package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.model.PlantedEvidence;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain} on the command line: bad input fails up front and writes nothing; good input writes all files. */
class ExplainCliTest {

    @Test
    void cliWritesNothingAfterAFailure(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("in.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--target",
                "no-such-class", "--iterations", "3", "--out", out.toString());
        assertTrue(err.contains("unknown class name 'no-such-class'"), err);
        assertFalse(Files.exists(out), "--out must not be created");

        Path corrupt = tmp.resolve("corrupt.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        String err2 = runCli("explain", "--model", "test-planted-32", "--image", corrupt.toString(), "--iterations",
                "3", "--out", out.toString());
        assertTrue(err2.contains(corrupt.toString()), err2);
        assertFalse(Files.exists(out), "--out must not be created");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("corrupt.png", "in.png"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left behind");
        }
    }

    @Test
    void cliExplainWritesAllFiles(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("in.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--iterations", "20",
                "--out", out.toString());
        for (String f : List.of("mask.png", "overlay.png", "mask.npy", "mask_full.npy", "figure.png",
                "explanation.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " written; stderr: " + err);
        }
        String json = Files.readString(out.resolve("explanation.json"));
        assertTrue(json.contains("\"iterations\": 20"), json);
    }

    @Test
    void aTargetTheModelDoesNotPredictIsWarnedAboutAndRecorded(@TempDir Path tmp) throws Exception {
        // a black image: the planted patch is dark, so class 0 is all but impossible (p ~ 1e-7)
        Path black = tmp.resolve("black.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", black.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", black.toString(), "--target", "0",
                "--iterations", "5", "--out", out.toString());
        assertTrue(err.contains("neuromask: warning: the mask explains class 0")
                && err.contains("which the model does not predict for this image"), err);
        String json = Files.readString(out.resolve("explanation.json"));
        assertTrue(json.contains("\"warning\": \"the mask explains class 0") && json.contains("\"target_rank_original\": 10"),
                json);

        // the image with its evidence, explained for the class the model predicts: no warning
        Path planted = tmp.resolve("planted.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", planted.toFile());
        Path out2 = tmp.resolve("out2");
        String quiet = runCli("explain", "--model", "test-planted-32", "--image", planted.toString(), "--iterations", "5",
                "--out", out2.toString());
        assertFalse(quiet.contains("warning"), quiet);
        assertTrue(Files.readString(out2.resolve("explanation.json")).contains("\"target_rank_original\": 1"));
    }

    @Test
    void cliExplainsSeveralImagesIntoOneFolderEach(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.png");
        Path b = tmp.resolve("b.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", a.toFile());
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 3).toBufferedImage(), "png", b.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", a.toString(), b.toString(),
                "--preset", "fast-cifar10", "--iterations", "20", "--batch", "auto", "--out", out.toString());
        for (String dir : List.of("a", "b")) {
            String json = Files.readString(out.resolve(dir).resolve("explanation.json"));
            assertTrue(json.contains("\"iterations\": 20") && json.contains("\"learningRate\": 0.2"), dir + ": " + json
                    + "\n" + err);
        }
        assertFalse(Files.exists(out.resolve("mask.png")), "no single-image files at the top level");

        Path sameName = tmp.resolve("sub");
        Files.createDirectories(sameName);
        Files.copy(a, sameName.resolve("a.png"));
        Path out2 = tmp.resolve("out2");
        String err2 = runCli("explain", "--model", "test-planted-32", "--image", a.toString(),
                sameName.resolve("a.png").toString(), "--iterations", "3", "--out", out2.toString());
        assertTrue(err2.contains("same name without extension"), err2);
        assertFalse(Files.exists(out2), "nothing written when outputs would collide");
        String err3 = runCli("explain", "--model", "test-planted-32", "--image", a.toString(), "--batch", "zero",
                "--out", out2.toString());
        assertTrue(err3.contains("--batch takes a positive number or 'auto'"), err3);
    }

    @Test
    void cliExplainsWithAnotherObjective(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("in.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "extremal", "--areas", "0.1,0.2", "--game", "dual", "--iterations", "12", "--set", "step=5", "--set",
                "levels=4", "--out", out.toString());
        String json = Files.readString(out.resolve("explanation.json"));
        assertTrue(json.contains("\"objective\": \"extremal\"") && json.contains("\"game\": \"dual\"")
                && json.contains("\"name\": \"sgd\"") && json.contains("\"reward\""), json + "\n" + err);
        assertTrue(json.replaceAll("\\s", "").contains("\"areas\":[0.1,0.2]"), json);
        assertTrue(json.replaceAll("\\s", "").contains("\"step\":5,") && json.replaceAll("\\s", "")
                .contains("\"levels\":4,"), json);

        Path out2 = tmp.resolve("out2");
        String refused = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "meaningful", "--temperature", "0.5", "--out", out2.toString());
        assertTrue(refused.contains("--temperature is not a setting of the 'meaningful' objective"), refused);
        String badSet = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "extremal", "--set", "stepp=3", "--out", out2.toString());
        assertTrue(badSet.contains("--set stepp=3: unknown setting 'stepp' of the extremal objective; its settings are "
                + "areas, game, step"), badSet);
        String twice = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "neuromask", "--lambdas", "1,0.5,0.2", "--set", " lambdaSparsity=0.7", "--out", out2.toString());
        assertTrue(twice.contains("--set lambdaSparsity=0.7 and --lambdas both set lambdaSparsity; keep one of them"),
                twice);
        String mismatch = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "meaningful", "--preset", "extremal-cifar10", "--out", out2.toString());
        assertTrue(mismatch.contains("belongs to the extremal objective but --objective is meaningful"), mismatch);
        assertFalse(Files.exists(out2), "nothing written for refused options");
    }

    @Test
    void cliExplainsWithTheDeletionTermAndTheBlurredBaseline(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("in.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--preset",
                "fast-cifar10", "--lambda-deletion", "0.7", "--baseline", "blur", "--iterations", "12", "--out",
                out.toString());
        String json = Files.readString(out.resolve("explanation.json")).replaceAll("\\s", "");
        assertTrue(json.contains("\"lambdaDeletion\":0.7") && json.contains("\"baseline\":\"blur\"")
                && json.contains("\"deletion\":"), json + "\n" + err);

        // the paper's objective lists neither setting nor the term
        Path plain = tmp.resolve("plain");
        runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--preset", "fast-cifar10",
                "--iterations", "12", "--out", plain.toString());
        String paper = Files.readString(plain.resolve("explanation.json")).replaceAll("\\s", "");
        assertFalse(paper.contains("lambdaDeletion") || paper.contains("baseline") || paper.contains("\"deletion\""),
                paper);

        Path out2 = tmp.resolve("out2");
        String unknown = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--baseline",
                "grey", "--out", out2.toString());
        assertTrue(unknown.contains("--baseline grey: neuromask setting baseline takes one of black, blur, got 'grey'"), unknown);
        String negative = runCli("explain", "--model", "test-planted-32", "--image", image.toString(),
                "--lambda-deletion", "-1", "--out", out2.toString());
        assertTrue(negative.contains("lambdaDeletion must be a finite number >= 0, got -1.0"), negative);
        String other = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "extremal", "--lambda-deletion", "0.4", "--out", out2.toString());
        assertTrue(other.contains("--lambda-deletion is not a setting of the 'extremal' objective"), other);
        assertFalse(Files.exists(out2), "nothing written for refused options");

        Path border = tmp.resolve("border");
        runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--preset", "fast-cifar10",
                "--smoothness-border", "replicate", "--iterations", "12", "--out", border.toString());
        String replicate = Files.readString(border.resolve("explanation.json")).replaceAll("\\s", "");
        assertTrue(replicate.contains("\"smoothnessBorder\":\"replicate\""), replicate);
        assertFalse(paper.contains("smoothnessBorder"), paper);
        String badBorder = runCli("explain", "--model", "test-planted-32", "--image", image.toString(),
                "--smoothness-border", "zero", "--out", out2.toString());
        assertTrue(badBorder.contains("--smoothness-border zero: neuromask setting smoothnessBorder takes one of valid, "
                + "replicate, got 'zero'"),
                badBorder);
        String otherBorder = runCli("explain", "--model", "test-planted-32", "--image", image.toString(),
                "--objective", "meaningful", "--smoothness-border", "replicate", "--out", out2.toString());
        assertTrue(otherBorder.contains("--smoothness-border is not a setting of the 'meaningful' objective"),
                otherBorder);
        assertFalse(Files.exists(out2), "nothing written for refused options");
    }

    /**
     * A 750x514 photo for test-planted-224: noise in [0, 0.5], and bright pixels in [0.6, 1] over the photo region that
     * torchvision's resize 256, crop 224 maps onto the model's evidence square (rows 40..71, columns 120..151 of the
     * input: photo x 390..455, y 112..177), a little larger.
     */
    private static BufferedImage plantedPhoto() {
        BufferedImage photo = new BufferedImage(750, 514, BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int y = 0; y < 514; y++) {
            for (int x = 0; x < 750; x++) {
                boolean evidence = x >= 385 && x < 460 && y >= 107 && y < 182;
                int v = (int) Math.round(255 * (evidence ? 0.6 + 0.4 * random.nextDouble() : 0.5 * random.nextDouble()));
                photo.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return photo;
    }

    @Test
    void thePhotoKeepsItsShape(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("photo.png");
        ImageIO.write(plantedPhoto(), "png", image.toFile());
        Path out = tmp.resolve("out");
        String log = runCli("explain", "--model", "test-planted-224", "--image", image.toString(), "--iterations", "4",
                "--out", out.toString());
        assertTrue(log.contains("(750x514 -> 373x256 -> crop 224x224 at (74, 16))"), log);
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(
                Files.readString(out.resolve("explanation.json"))).getAsJsonObject();
        // the evidence planted in the photo reached the model's evidence square: class 0, surely
        assertEquals(0, json.get("predicted_original").getAsInt(), json.toString());
        assertTrue(json.get("probability_original").getAsDouble() > 0.99, json.toString());
        com.google.gson.JsonObject p = json.getAsJsonObject("preprocessing");
        assertEquals("shorter-side", p.get("mode").getAsString());
        assertTrue(p.get("center_crop").getAsBoolean());
        assertEquals("[750,514]", p.get("photo_size").toString());
        assertEquals("[373,256]", p.get("resize_size").toString());
        assertEquals("[224,224]", p.get("input_size").toString());
        assertEquals(32.125, p.getAsJsonArray("crop_box").get(1).getAsDouble(), 1e-12);

        float[] mask = npy(out.resolve("mask.npy"), 224, 224);
        float[] full = npy(out.resolve("mask_full.npy"), 514, 750);
        assertTrue(Float.isNaN(full[0]) && Float.isNaN(full[513 * 750 + 749]), "NaN outside the crop");
        // inside the crop: the mask interpolated at each photo pixel's centre
        org.junit.jupiter.api.Assertions.assertArrayEquals(io.neuromask.base.Preprocessing.defaultFor(224, 224)
                .geometry(750, 514).toPhoto(mask), full);
        int inside = 0;
        for (float v : full) {
            inside += Float.isNaN(v) ? 0 : 1;
        }
        assertEquals(450 * 450, inside, "the crop box, 148.8..599.2 x 32.1..481.9, holds 450 x 450 pixel centres");
        BufferedImage overlay = ImageIO.read(out.resolve("overlay.png").toFile());
        assertEquals(750, overlay.getWidth());
        assertEquals(514, overlay.getHeight());
        BufferedImage figure = ImageIO.read(out.resolve("figure.png").toFile());
        assertEquals(1246, figure.getWidth());
        assertEquals(343, figure.getHeight());
        try (var in = Files.newInputStream(out.resolve("figure.png"))) {
            String title = io.neuromask.io.Png.text(in).get("Title");
            assertTrue(title.startsWith("evidence (class 0): p = 1.000 before masking, "), title);
        }

        // squashed on request: the whole photo, no crop
        Path squashed = tmp.resolve("squashed");
        String log2 = runCli("explain", "--model", "test-planted-224", "--image", image.toString(), "--iterations", "1",
                "--resize", "squash", "--out", squashed.toString());
        com.google.gson.JsonObject s = com.google.gson.JsonParser.parseString(
                Files.readString(squashed.resolve("explanation.json"))).getAsJsonObject().getAsJsonObject("preprocessing");
        assertEquals("squash", s.get("mode").getAsString(), log2);
        assertFalse(s.get("center_crop").getAsBoolean());
        assertEquals("[224,224]", s.get("resize_size").toString());
        assertEquals("[0.0,0.0,750.0,514.0]", s.get("crop_box").toString());
        assertFalse(Float.isNaN(npy(squashed.resolve("mask_full.npy"), 514, 750)[0]), "no crop, no NaN");
    }

    @Test
    void aBadResizeIsRefusedBeforeAnythingLoads(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("in.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
        Path out = tmp.resolve("out");
        String err = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--resize", "stretch",
                "--out", out.toString());
        assertTrue(err.contains("--resize 'stretch': use squash (each side to the model's input, aspect ratio not "
                + "kept) or shorter-side (keep the aspect ratio, cut the input from the centre)"), err);
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void anImageAtTheModelsSizeGivesTheMaskItGaveBefore(@TempDir Path tmp) throws Exception {
        Path image = tmp.resolve("in.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
        Path out = tmp.resolve("out");
        String log = runCli("explain", "--model", "test-planted-32", "--image", image.toString(), "--iterations", "20",
                "--out", out.toString());
        float[] cli = npy(out.resolve("mask.npy"), 32, 32);
        try (io.neuromask.base.Classifier model = io.neuromask.model.PlantedEvidence.model(32, null)) {
            // the Java API's path, unchanged: ImageFiles.read(path, model)
            io.neuromask.engine.Explanation api = io.neuromask.NeuroMask.builder().model(model)
                    .objective(io.neuromask.Objectives.presetFor(io.neuromask.Objectives.DEFAULT, model)
                            .withIterations(20))
                    .seed(io.neuromask.engine.MaskEngine.DEFAULT_SEED).build()
                    .explain(io.neuromask.io.ImageFiles.read(image, model), io.neuromask.base.Target.predicted());
            org.junit.jupiter.api.Assertions.assertArrayEquals(api.mask(), cli, "bit-identical masks; " + log);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(cli, npy(out.resolve("mask_full.npy"), 32, 32));
        String json = Files.readString(out.resolve("explanation.json")).replaceAll("\\s", "");
        assertTrue(json.contains("\"mode\":\"squash\"") && json.contains("\"as_is\":true"), json);
        assertEquals(32, ImageIO.read(out.resolve("overlay.png").toFile()).getWidth());
    }

    private static float[] npy(Path file, long... shape) throws Exception {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray a = io.neuromask.io.Npy.read(m, file);
            assertEquals(new ai.djl.ndarray.types.Shape(shape), a.getShape(), file.toString());
            return a.toFloatArray();
        }
    }

    private static String runCli(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            System.setOut(capture);
            Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
