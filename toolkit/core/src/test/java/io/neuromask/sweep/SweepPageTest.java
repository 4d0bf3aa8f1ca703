package io.neuromask.sweep;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import io.neuromask.engine.StopReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.Preset;
import io.neuromask.base.RgbImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The explorer's HTML: size budget, no external URL, escaped labels, ids unique per output. */
class SweepPageTest {

    /** A 5×5×3 grid at {@code size}² with smooth blob masks (soft disks of varying centre and radius). */
    static SweepResult grid(int size, String label) {
        return grid(size, label, false);
    }

    /** As {@link #grid(int, String)}; with {@code noise}, every mask is uniform noise (the worst case for PNG). */
    static SweepResult grid(int size, String label, boolean noise) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        RgbImage image = RgbImage.uniformNoise(1, size, size, 7).get(0);
        double[] s = {0.05, 0.1, 0.35, 0.7, 1};
        double[] k = {0.01, 0.03, 0.1, 0.3, 1};
        double[] t = {0.3, 1, 3};
        List<Explanation> cells = new ArrayList<>();
        for (int a = 0; a < s.length; a++) {
            for (int b = 0; b < k.length; b++) {
                for (int c = 0; c < t.length; c++) {
                    float[] mask = new float[size * size];
                    double cy = size * (0.3 + 0.1 * b);
                    double cx = size * (0.3 + 0.08 * a);
                    double r = size * (0.35 - 0.05 * a);
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            double d = (Math.hypot(y - cy, x - cx) - r) / (size * 0.02 * t[c]);
                            mask[y * size + x] = noise ? (float) random.nextDouble() : (float) (1 / (1 + Math.exp(d)));
                        }
                    }
                    Map<String, Double> terms = new LinkedHashMap<>();
                    terms.put("prediction", 0.1 * a);
                    terms.put("sparsity", 0.2 * b);
                    terms.put("smoothness", 0.01 * c);
                    List<LossRecord> history = List.of(new LossRecord(0, 1, terms, 0.5, 0.5));
                    cells.add(Explanation.builder("model <b>&", image, mask).target(3, label).original(3, 0.9)
                            .masked(3, 0.5 + 0.01 * a).run(history, 200, Duration.ofSeconds(1), StopReason.COMPLETED)
                            .objective(Preset.FAST_IMAGENET.neuroMask().withLambdaSparsity(s[a])
                                    .withLambdaSmoothness(k[b]).withTemperature(t[c]),
                                    Preset.FAST_IMAGENET.neuroMask().optimizer())
                            .seed(42).device("cpu()").build());
                }
            }
        }
        return new SweepResult(List.of(new SweepResult.Axis(SweepResult.LAMBDA_SPARSE, s),
                new SweepResult.Axis(SweepResult.LAMBDA_SMOOTH, k), new SweepResult.Axis(SweepResult.TEMPERATURE, t)),
                cells);
    }

    @Test
    void aFiveByFiveByThreeGridAt224FitsTheBudget() {
        SweepResult r = grid(224, "tabby");
        SweepPage.Masks masks = SweepPage.masks(r);
        String html = SweepPage.standalone(r, masks);
        int bytes = html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        System.out.println("5x5x3 explorer at 224x224 (smooth masks, noise image): " + bytes + " bytes");
        assertTrue(bytes <= SweepPage.BUDGET_BYTES, "explorer is " + bytes + " bytes, budget 2 MB");
        assertEquals(256, masks.levels(), "smooth masks fit at full precision");
        // every cell's mask is in, each distinct image once
        for (String uri : masks.uris().subList(0, 3)) {
            assertTrue(html.contains(uri), "mask embedded");
            assertEquals(html.indexOf(uri), html.lastIndexOf(uri), "mask embedded once");
        }
        assertEquals(3, countSliders(html));
    }

    /** Noise masks do not fit at 256 levels: fewer levels bring the page under budget, and the page says so. */
    @Test
    void noiseMasksAreQuantisedToFitTheBudget() {
        SweepResult r = grid(224, "tabby", true);
        SweepPage.Masks masks = SweepPage.masks(r);
        String html = SweepPage.standalone(r, masks);
        int bytes = html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        System.out.println("5x5x3 explorer at 224x224 (noise masks): " + bytes + " bytes at " + masks.levels() + " levels");
        assertTrue(masks.levels() < 256, "levels " + masks.levels());
        assertTrue(bytes <= SweepPage.BUDGET_BYTES, "explorer is " + bytes + " bytes, budget 2 MB");
        assertTrue(html.contains("masks in " + masks.levels() + " colour levels"));
    }

    /** At 256 levels the embedded mask has exactly the pixels of the jet heatmap. */
    @Test
    void embeddedMaskIsTheJetHeatmap() throws Exception {
        SweepResult r = grid(32, "cat");
        String uri = SweepPage.masks(r).uris().get(7);
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()))));
        Explanation e = r.explanations().get(7);
        java.awt.image.BufferedImage jet = io.neuromask.viz.Heatmaps.render(e.mask(), 32, 32, io.neuromask.viz.Colormap.JET);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(jet.getRGB(x, y), png.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void noExternalUrls() {
        String html = SweepPage.standalone(grid(32, "cat"));
        Matcher m = Pattern.compile("(?i)(https?:|ftp:|//[a-z0-9.-]+\\.[a-z]{2,}|src=\"(?!data:)[^\"]+\"|href=)").matcher(html);
        assertFalse(m.find(), () -> "external reference: " + html.substring(Math.max(0, m.start() - 40), m.end() + 40));
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/png;base64,"), src.group(1));
            images++;
        }
        assertEquals(2, images, "image and mask have a src; the overlay's is set by the script");
    }

    @Test
    void labelsAreEscaped() {
        String evil = "</script><img src=x onerror=alert(1)> & \"q\"";
        String html = SweepPage.fragment(grid(32, evil));
        assertFalse(html.contains(evil));
        assertFalse(html.contains("<img src=x"));
        assertFalse(html.contains("model <b>&"));
        assertTrue(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;"), html);
        assertTrue(html.contains("model &lt;b&gt;&amp;"));
        // exactly two script elements open and close: the JSON and the code
        assertEquals(2, count(html, "<script"));
        assertEquals(2, count(html, "</script>"));
    }

    @Test
    void twoExplorersHaveDisjointIds() {
        SweepResult r = grid(32, "cat");
        Set<String> a = ids(SweepPage.fragment(r));
        Set<String> b = ids(SweepPage.fragment(r));
        assertTrue(a.size() >= 10, a.toString());
        for (String id : a) {
            assertFalse(b.contains(id), "id " + id + " is in both outputs");
        }
    }

    private static Set<String> ids(String html) {
        Matcher m = Pattern.compile("id=\"([^\"]+)\"").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        assertEquals(out.size(), Set.copyOf(out).size(), "ids unique within one output");
        return out.stream().collect(Collectors.toSet());
    }

    private static int countSliders(String html) {
        return count(html, "type=\"range\"");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
