package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code neuromask sweep} refuses bad grids with the reason and the fix, before loading anything. */
class SweepCliTest {

    @TempDir
    Path tmp;

    private String refused(String... axes) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("sweep", "--model", "test-planted-32",
                "--image", tmp.resolve("none.png").toString(), "--out", tmp.resolve("s.html").toString(),
                "--iterations", "5"));
        args.addAll(java.util.List.of(axes));
        String[] withIterations = args.toArray(new String[0]);
        int[] code = new int[1];
        String out = run(withIterations, code);
        assertEquals(1, code[0], out);
        assertFalse(Files.exists(tmp.resolve("s.html")));
        assertFalse(Files.exists(tmp.resolve("s.json")));
        return out;
    }

    @Test
    void badListsAreRefused() {
        assertTrue(refused("--lambda-sparse", "").contains("--lambda-sparse is empty: give comma-separated numbers"));
        assertTrue(refused("--lambda-smooth", "0.1,x").contains("--lambda-smooth: 'x' is not a number"));
        assertTrue(refused("--temperature", "1,,3").contains("--temperature has an empty value at position 2"));
        assertTrue(refused("--temperature", "1,NaN").contains("'NaN' is not a finite number"));
        assertTrue(refused().contains("nothing to sweep"));
    }

    @Test
    void largeGridsNeedForce() {
        String out = refused("--lambda-sparse", "1,2,3,4,5,6,7,8,9,10,11", "--lambda-smooth", "1,2,3,4,5,6,7,8,9,10",
                "--temperature", "1,2,3,4,5,6,7,8,9,10");
        assertTrue(out.contains("the grid has 1100 cells (over 1000)") && out.contains("--force"), out);
    }

    @Test
    void onlyNeuroMaskPresets() throws Exception {
        java.nio.file.Path image = tmp.resolve("in.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", image.toFile());
        int[] code = new int[1];
        String out = run(new String[] {"sweep", "--model", "test-planted-32", "--image", image.toString(), "--preset",
            "extremal-cifar10", "--temperature", "1,2", "--out", tmp.resolve("s.html").toString()}, code);
        assertEquals(1, code[0], out);
        assertTrue(out.contains("--preset extremal-cifar10 is not a NeuroMask preset"), out);
        assertTrue(out.contains("sweep its settings with --axis"), out);
    }

    @Test
    void anyNumericSettingIsAnAxis() throws Exception {
        java.nio.file.Path image = tmp.resolve("in.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", image.toFile());
        int[] code = new int[1];
        String out = run(new String[] {"sweep", "--model", "test-planted-32", "--image", image.toString(), "--preset",
            "extremal-cifar10", "--iterations", "4", "--axis", "step=1,2", "--axis", "maxBlur=1.5,3,4", "--out",
            tmp.resolve("s.html").toString()}, code);
        assertEquals(0, code[0], out);
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(tmp.resolve("s.json")))
                .getAsJsonObject();
        assertEquals("[{\"name\":\"step\",\"values\":[1.0,2.0]},{\"name\":\"maxBlur\",\"values\":[1.5,3.0,4.0]}]",
                json.get("axes").toString().replaceAll(",\"label\":\"[^\"]*\"", ""));
        String bad = run(new String[] {"sweep", "--model", "test-planted-32", "--image", image.toString(), "--preset",
            "extremal-cifar10", "--axis", "game=1", "--out", tmp.resolve("t.html").toString()}, code);
        assertEquals(1, code[0], bad);
        assertTrue(bad.contains("axis game is not a numeric setting of the extremal objective"), bad);
    }

    @Test
    void outMustBeAnHtmlFile() {
        int[] code = new int[1];
        String out = run(new String[] {"sweep", "--model", "test-planted-32", "--image", "x.png", "--temperature", "1,2",
            "--out", tmp.resolve("dir").toString()}, code);
        assertEquals(1, code[0]);
        assertTrue(out.contains("must name an .html file"), out);
    }

    private static String run(String[] args, int[] code) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            System.setOut(capture);
            code[0] = Main.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
