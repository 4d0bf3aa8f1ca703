package io.neuromask.sweep;

import io.neuromask.NeuroMask;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.Preset;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** A sweep is one batched run whose cells equal single runs with the cell's settings, in row-major order. */
class SweepTest {

    private static BlockClassifier model;
    private static RgbImage image;
    private static MaskEngine explainer;
    private static SweepResult result;

    @BeforeAll
    static void setUp() {
        model = TinyCnn.model(11, null);
        image = Benchmark.randomImages(model, 1, 5).get(0);
        explainer = NeuroMask.builder().model(model).preset(Preset.PAPER_CIFAR10).iterations(40).seed(3).build();
        result = Sweep.over(image).lambdaSparse(0.1, 1).lambdaSmooth(0.05, 0.5).temperature(0.3, 1, 3).run(explainer);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void anyNumericSettingOfAnyObjectiveIsAnAxis() {
        MaskEngine extremal = NeuroMask.builder().model(model).objective(Preset.EXTREMAL_CIFAR10.objective()
                .withIterations(6)).seed(3).build();
        SweepResult r = Sweep.over(image).axis("step", 1, 2).axis("maxBlur", 1.5, 3).run(extremal);
        assertEquals(List.of("step", "maxBlur"), r.axes().stream().map(SweepResult.Axis::name).toList());
        assertEquals(4, r.size());
        Explanation cell = r.cell(new int[] {1, 0});
        io.neuromask.engine.MaskObjective<?> want = Preset.EXTREMAL_CIFAR10.objective().withIterations(6)
                .withSetting("step", "2").withSetting("maxBlur", "1.5");
        assertEquals(want, cell.objective());
        Explanation single = extremal.toBuilder().objective(want).build().explain(image, Target.predicted());
        org.junit.jupiter.api.Assertions.assertArrayEquals(single.mask(), cell.mask(), "a cell is the single run of its settings");
        IllegalArgumentException game = assertThrows(IllegalArgumentException.class,
                () -> Sweep.over(image).axis("game", 1).run(extremal));
        assertTrue(game.getMessage().contains("not a numeric setting of the extremal objective"), game.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sweep.over(image).axis("step", 1.5).run(extremal),
                "an integer setting");
        assertThrows(IllegalStateException.class, () -> Sweep.over(image).temperature(1).run(extremal),
                "T is NeuroMask's");
    }

    @Test
    void cellsAreTheSingleRunsOfTheirSettings() {
        assertEquals(12, result.size());
        int[][] probes = {{0, 0, 0}, {1, 0, 2}, {0, 1, 1}, {1, 1, 2}};
        for (int[] p : probes) {
            Explanation cell = result.cell(p);
            int flat = result.flatIndex(p);
            double s = List.of(0.1, 1.0).get(p[0]);
            double k = List.of(0.05, 0.5).get(p[1]);
            double t = List.of(0.3, 1.0, 3.0).get(p[2]);
            assertEquals(s, cell.objective(NeuroMaskObjective.class).lambdaSparsity());
            assertEquals(k, cell.objective(NeuroMaskObjective.class).lambdaSmoothness());
            assertEquals(t, cell.objective(NeuroMaskObjective.class).temperature());
            Explanation single = explainer.toBuilder().objective(explainer.objective(NeuroMaskObjective.class)
                    .withLambdaSparsity(s).withLambdaSmoothness(k).withTemperature(t)).build().explain(image,
                    Target.predicted());
            // batching changes float rounding only (BatchingTest); another temperature moves the mask far more
            double same = maxDifference(single.mask(), cell.mask());
            assertTrue(same < 1e-5, "cell " + java.util.Arrays.toString(p) + " differs by " + same);
            Explanation other = result.cell(p[0], p[1], (p[2] + 1) % 3);
            double apart = maxDifference(single.mask(), other.mask());
            assertTrue(apart > 0.05, "the cell at another T differs by only " + apart);
            assertEquals(s, result.value(flat, 0));
            assertEquals(k, result.value(flat, 1));
            assertEquals(t, result.value(flat, 2));
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void tableHasOneRowPerCellWithItsNumbers() {
        Table t = result.table();
        assertEquals(12, t.rowCount());
        for (int i = 0; i < result.size(); i++) {
            Explanation e = result.explanations().get(i);
            assertEquals(e.objective(NeuroMaskObjective.class).temperature(), t.doubleColumn("T").getDouble(i));
            assertEquals(e.maskMean(), t.doubleColumn("mask area").getDouble(i), 1e-12);
            assertEquals(e.probabilityMasked(), t.doubleColumn("p(target) masked").getDouble(i), 1e-12);
            assertEquals(e.classPreserved(), t.booleanColumn("class kept").get(i));
            var last = e.lossHistory().get(e.lossHistory().size() - 1);
            assertEquals(last.term("sparsity"), t.doubleColumn("sparsity").getDouble(i), 1e-12);
            assertEquals(last.total(), t.doubleColumn("loss").getDouble(i), 1e-12);
        }
    }

    @Test
    void saveWritesThePageAndTheNumbers(@TempDir Path dir) throws Exception {
        result.save(dir.resolve("out"));
        String html = Files.readString(dir.resolve("out/sweep.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("out/sweep.json"))).getAsJsonObject();
        JsonArray cells = json.getAsJsonArray("cells");
        SweepPage.Masks masks = SweepPage.masks(result);
        assertEquals(256, json.get("maskLevels").getAsInt());
        assertEquals(12, cells.size());
        for (int i = 0; i < cells.size(); i++) {
            JsonObject c = cells.get(i).getAsJsonObject();
            Explanation e = result.explanations().get(i);
            assertEquals(e.maskMean(), c.get("maskArea").getAsDouble(), 1e-12);
            assertEquals(e.objective(NeuroMaskObjective.class).lambdaSmoothness(),
                    c.getAsJsonObject("values").get("lambdaSmooth").getAsDouble());
            // the page embeds the very mask image the JSON names
            String uri = masks.uris().get(i);
            assertEquals(SweepPage.sha256(uri), c.get("maskSha256").getAsString());
            assertTrue(html.contains(uri), "cell " + i + "'s mask is in the page");
        }
    }

    @Test
    void badAxesAreRefusedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Sweep.over(image).lambdaSparse());
        assertTrue(e.getMessage().contains("lambdaSparse needs at least one value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sweep.over(image).temperature(1, 0));
        assertTrue(e.getMessage().contains("temperature values must be finite numbers > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sweep.over(image).lambdaSmooth(0.1, Double.NaN));
        assertTrue(e.getMessage().contains("lambdaSmooth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sweep.over(image).lambdaSmooth(0.1, 0.1));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        MaskEngine extremal = explainer.toBuilder().preset(Preset.EXTREMAL_CIFAR10).build();
        assertThrows(IllegalStateException.class, () -> Sweep.over(image).lambdaSparse(0.1).run(extremal));
    }
}
