package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.Attribution;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same maps scored with their tie-breaks ({@code break}) and without ({@code raster}). */
class TiesTest {

    /** Saturated everywhere (1.0), with a tie-break that scores the planted patch (6..13, 18..25) highest. */
    static final class Saturated implements Attribution {
        @Override
        public String name() {
            return "saturated";
        }

        @Override
        public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
            float[] v = new float[32 * 32];
            Arrays.fill(v, 1f);
            float[] s = new float[32 * 32];
            for (int y = 6; y < 14; y++) {
                for (int x = 18; x < 26; x++) {
                    s[y * 32 + x] = 1 + x; // one maximum inside the patch: its right column
                }
            }
            SaliencyMap m = SaliencyMap.of(v, 32, 32).withTieBreak(s);
            List<SaliencyMap> out = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                out.add(m);
            }
            return out;
        }
    }

    @Test
    void rasterDropsTheTieBreaksOfTheSameMaps() throws Exception {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            LabeledImages set = Datasets.planted(32, 4);
            List<LabeledImage> data = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                data.add(set.get(i));
            }
            Evaluator evaluator = new Evaluator(model, new DeletionInsertion(model, 0.05, 32), new PointingGame(),
                    new MaxBoxAcc(), 4, 32);
            assertEquals(Ties.BREAK, evaluator.ties(), "the default");
            Evaluator.MethodReport broken = evaluator.evaluate("planted", data, List.of(new Saturated()), true,
                    s -> {}).methods().get(0);
            Evaluator.MethodReport raster = evaluator.ties(Ties.RASTER).evaluate("planted", data,
                    List.of(new Saturated()), true, s -> {}).methods().get(0);
            assertEquals("saturated", raster.method(), "the wrapper keeps the method's name");
            double del = broken.metrics().get("deletion_auc").mean();
            double delRaster = raster.metrics().get("deletion_auc").mean();
            assertTrue(del < delRaster - 0.2, "tie-break: the patch goes first " + del + " vs " + delRaster);
            // the raster argmax is pixel (0, 0): 18 px left of and 6 px above the box, more than 15 px away
            assertEquals(1.0, broken.metrics().get("pointing_game").mean(), 0);
            assertEquals(0.0, raster.metrics().get("pointing_game").mean(), 0);
            for (String k : List.of("energy_pointing_game", "max_box_acc", "gini", "class_preserved", "mask_area")) {
                assertArrayEquals(broken.perImage().get(k), raster.perImage().get(k), k + " reads values only");
            }
            // the break run also scored its maps without the tie-breaks: the raster run's numbers, image by image
            for (String k : Evaluator.RASTER) {
                String plain = k.substring(0, k.length() - "_raster".length());
                assertArrayEquals(raster.perImage().get(plain), broken.perImage().get(k), k);
            }
            assertTrue(Evaluator.RASTER.stream().noneMatch(raster.metrics()::containsKey),
                    "a raster run has no tie-breaks left to drop: " + raster.metrics().keySet());
        }
    }

    @Test
    void rasterScoresAreKeptInTheResultsFileOnlyForMapsWithTieBreaks(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path tmp) throws Exception {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            LabeledImages set = Datasets.planted(32, 4);
            List<LabeledImage> data = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                data.add(set.get(i));
            }
            java.nio.file.Path file = tmp.resolve("results.jsonl");
            Evaluator evaluator = new Evaluator(model, new DeletionInsertion(model, 0.05, 32), new PointingGame(),
                    new MaxBoxAcc(), 4, 32).resume(file);
            Attribution plain = new Renamed("plain", Ties.RASTER.apply(new Saturated())); // same maps, no tie-breaks
            Evaluator.Report first = evaluator.evaluate("planted", data, List.of(new Saturated(), plain), true,
                    s -> {});
            List<String> lines = java.nio.file.Files.readAllLines(file);
            long tied = lines.stream().filter(l -> l.contains("\"method\":\"saturated\"") && l.contains("\"image\":"))
                    .filter(l -> l.contains("\"deletion_auc_raster\"") && l.contains("\"pointing_game_raster\":0.0"))
                    .count();
            assertEquals(data.size(), tied, String.join("\n", lines));
            assertTrue(lines.stream().filter(l -> l.contains("\"method\":\"plain\""))
                    .noneMatch(l -> l.contains("_raster")), "no raster scores for maps without tie-breaks");
            // read back: the report from the file alone equals the one computed
            Evaluator.Report again = evaluator.evaluate("planted", data, List.of(new Saturated(), plain), true,
                    s -> {});
            for (int m = 0; m < 2; m++) {
                assertEquals(first.methods().get(m).metrics().keySet(), again.methods().get(m).metrics().keySet());
                for (String k : first.methods().get(m).perImage().keySet()) {
                    assertArrayEquals(first.methods().get(m).perImage().get(k), again.methods().get(m).perImage().get(k),
                            k);
                }
            }
            assertTrue(first.methods().get(0).metrics().containsKey("deletion_auc_raster"));
            assertTrue(!first.methods().get(1).metrics().containsKey("deletion_auc_raster"));
        }
    }

    @Test
    void parseAndApply() {
        assertEquals(Ties.RASTER, Ties.parse(" Raster"));
        assertEquals(Ties.BREAK, Ties.parse("break"));
        assertEquals("raster", Ties.RASTER.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ties.parse("random"));
        assertTrue(e.getMessage().startsWith("unknown ties mode 'random'; use 'break'"), e.getMessage());
        Attribution a = new Saturated();
        assertSame(a, Ties.BREAK.apply(a));
        List<RgbImage> one = List.of(PlantedEvidence.image(32, 6, 18, 8, 0));
        List<Target> target = List.of(Target.index(0));
        SaliencyMap m = Ties.RASTER.apply(a).attribute(one, target).get(0);
        SaliencyMap original = a.attribute(one, target).get(0);
        assertTrue(!m.hasTieBreak() && original.hasTieBreak());
        assertEquals(original.withoutTieBreak(), m);
    }
}
