package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskEvolution;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import io.neuromask.viz.EvolutionPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording the mask evolution: bounded, faithful, and without effect on the masks. */
class EvolutionTest {

    private static BlockClassifier model;
    private static List<RgbImage> images;

    @BeforeAll
    static void setUp() {
        model = TinyCnn.model(11, null);
        images = Benchmark.randomImages(model, 2, 5);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static MaskEngine.Builder explainer(int iterations) {
        return NeuroMask.builder().model(model).preset(Preset.PAPER_CIFAR10).iterations(iterations).seed(4);
    }

    @Test
    void recordingLeavesTheMasksAloneAndEndsWithTheFinalMask() {
        List<Explanation> plain = explainer(30).build().explain(images);
        List<Explanation> recorded = explainer(30).recordEvery(7).build().explain(images);
        for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(plain.get(i).mask(), recorded.get(i).mask(), "image " + i);
            assertTrue(plain.get(i).evolution().isEmpty());
            MaskEvolution ev = recorded.get(i).evolution().orElseThrow();
            assertEquals(List.of(0, 7, 14, 21, 28, 30), iterations(ev));
            float[] last = ev.frame(ev.size() - 1);
            float[] mask = recorded.get(i).mask();
            for (int p = 0; p < mask.length; p++) {
                assertEquals(Math.round(255 * mask[p]) / 255f, last[p], 1e-7f);
            }
            // the first frame is the starting mask, unlike the final one
            assertFalse(java.util.Arrays.equals(ev.frame(0), last));
            assertEquals(32 * 32, ev.bytesPerFrame());
        }
    }

    /** Recording every iteration of 450 keeps at most MAX_FRAMES frames, evenly spaced, ending at the end. */
    @Test
    void recordingIsBounded() {
        Explanation e = explainer(450).recordEvery(1).build().explain(images.get(0), Target.predicted());
        MaskEvolution ev = e.evolution().orElseThrow();
        assertTrue(ev.size() <= MaskEvolution.MAX_FRAMES, "frames " + ev.size());
        assertTrue(ev.size() >= MaskEvolution.MAX_FRAMES / 2, "frames " + ev.size());
        List<Integer> its = iterations(ev);
        int step = its.get(1) - its.get(0);
        assertEquals(8, step, "the interval doubled three times: " + its);
        for (int i = 1; i < its.size() - 1; i++) {
            assertEquals(step, its.get(i) - its.get(i - 1), its.toString());
        }
        assertEquals(450, its.get(its.size() - 1));
    }

    @Test
    void gifHasOneImagePerFrameAndThePlayerIsSelfContained(@TempDir Path dir) throws Exception {
        Explanation e = explainer(30).recordEvery(5).build().explain(images.get(1), Target.predicted());
        Path gif = dir.resolve("evolution.gif");
        e.saveGif(gif);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(e.evolution().orElseThrow().size(), reader.getNumImages(true));
            var first = reader.read(0);
            assertEquals(128, first.getWidth(), "32 px upscaled 4x");
        } finally {
            reader.dispose();
        }
        String html = EvolutionPage.standalone(e);
        assertFalse(Pattern.compile("(?i)(https?:|src=\"(?!data:)|href=)").matcher(html).find());
        assertEquals(e.evolution().orElseThrow().size(), count(html, "data:image/png;base64,") - 2,
                "each frame once, plus the image and the first frame's img src");

        Explanation none = explainer(5).build().explain(images.get(1), Target.predicted());
        var x = assertThrows(IllegalStateException.class, () -> none.saveGif(dir.resolve("x.gif")));
        assertTrue(x.getMessage().contains("recordEvery"), x.getMessage());
        assertFalse(Files.exists(dir.resolve("x.gif")));
        assertThrows(IllegalArgumentException.class, () -> explainer(5).recordEvery(0));
    }

    private static List<Integer> iterations(MaskEvolution ev) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            out.add(ev.iteration(i));
        }
        return out;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
