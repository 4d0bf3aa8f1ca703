package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.attribution.CenterBaseline;
import io.neuromask.attribution.VanillaGradient;
import io.neuromask.base.Attribution;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.LabeledImage;
import io.neuromask.metrics.Metric.Category;
import io.neuromask.metrics.Metric.Direction;
import io.neuromask.metrics.Metric.Need;
import io.neuromask.viz.MetricsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Metric} contract and the {@link Metrics} registry: the built-ins' properties, the extension of the test
 * sources found by {@link java.util.ServiceLoader} ({@link TopDecileMass}) in evaluate's report and results file and
 * across a resume, a metric registered by the program, and the registry's refusals.
 */
class MetricContractTest {

    @BeforeAll
    static void setUp() throws Exception {
        EvaluatorResumeTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        EvaluatorResumeTest.tearDown();
    }

    @Test
    void theBuiltInsInEvaluatesOrderWithTheirDirectionCategoryAndNeeds() {
        List<Metric> b = Metrics.builtIns();
        assertEquals(List.of("deletion_auc", "insertion_auc", "road_morf_auc", "road_lerf_auc", "pointing_game",
                "energy_pointing_game", "max_box_acc", "max_box_acc_v2", "gini", "class_preserved", "mask_area"),
                b.stream().map(Metric::name).toList());
        assertEquals(List.of(Direction.LOWER_IS_BETTER, Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER,
                Direction.HIGHER_IS_BETTER, Direction.HIGHER_IS_BETTER, Direction.HIGHER_IS_BETTER,
                Direction.HIGHER_IS_BETTER, Direction.HIGHER_IS_BETTER, Direction.HIGHER_IS_BETTER,
                Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER), b.stream().map(Metric::direction).toList());
        assertEquals(List.of(Category.FAITHFULNESS, Category.FAITHFULNESS, Category.FAITHFULNESS,
                Category.FAITHFULNESS, Category.LOCALISATION, Category.LOCALISATION, Category.LOCALISATION,
                Category.LOCALISATION, Category.COMPLEXITY, Category.FAITHFULNESS, Category.COMPLEXITY),
                b.stream().map(Metric::category).toList());
        assertEquals(List.of(Set.of(Need.MODEL), Set.of(Need.MODEL), Set.of(Need.MODEL), Set.of(Need.MODEL),
                Set.of(Need.BOXES), Set.of(Need.BOXES), Set.of(Need.BOXES), Set.of(Need.BOXES), Set.of(),
                Set.of(Need.MODEL), Set.of()), b.stream().map(Metric::needs).toList());
        // the special cases are properties: compared with center, a raster variant, chosen over the set, 0/1
        assertEquals(List.of("pointing_game", "energy_pointing_game", "max_box_acc", "max_box_acc_v2"),
                Evaluator.LOCALISATION);
        assertEquals(List.of("deletion_auc_raster", "insertion_auc_raster", "road_morf_auc_raster",
                "road_lerf_auc_raster", "pointing_game_raster"), Evaluator.RASTER);
        assertEquals(List.of("max_box_acc", "max_box_acc_v2"), b.stream().filter(m -> m instanceof SetMetric)
                .map(Metric::name).toList());
        assertEquals("max_box_acc_hits", ((SetMetric) Metrics.get("max_box_acc")).recordName());
        assertEquals("max_box_acc_v2_hits", ((SetMetric) Metrics.get("max_box_acc_v2")).recordName());
        // MaxBoxAccV2's per-image value is a mean of three hits (0, 1/3, 2/3, 1): not 0/1
        assertEquals(List.of("pointing_game", "max_box_acc", "class_preserved"), b.stream().filter(Metric::binary)
                .map(Metric::name).toList());
        assertEquals("road_morf_auc ↓", Metrics.heading("road_morf_auc"));
        assertEquals("road_lerf_auc ↑", Metrics.heading("road_lerf_auc"));
        assertEquals("max_box_acc_v2 ↑", Metrics.heading("max_box_acc_v2"));
        assertEquals("deletion_auc ↓", Metrics.heading("deletion_auc"));
        assertEquals("insertion_auc_raster ↑", Metrics.heading("insertion_auc_raster"));
        assertEquals("seconds", Metrics.heading("seconds"));
    }

    /**
     * Which built-ins share one computation ({@link Metric#group()}: deletion with insertion, ROAD's two orders; the
     * others alone, under their own names) and which rank pixels ({@link Metric#ranksPixels()}: the four curves and
     * the pointing game, not MaxBoxAcc, whose thresholds do not depend on a tie-break).
     */
    @Test
    void theBuiltInsGroupsAndWhichRankPixels() {
        List<Metric> b = Metrics.builtIns();
        assertEquals(List.of("deletion-insertion", "deletion-insertion", "road-morf-lerf", "road-morf-lerf",
                "pointing_game", "energy_pointing_game", "max_box_acc", "max_box_acc_v2", "gini", "class_preserved",
                "mask_area"), b.stream().map(Metric::group).toList());
        assertEquals(List.of(true, true, true, true, true, false, false, false, false, false, false),
                b.stream().map(Metric::ranksPixels).toList());
        // a selection brings the rest of a group, and only that
        assertEquals(List.of("deletion_auc", "insertion_auc"), Metrics.select(List.of("insertion_auc")).stream()
                .map(Metric::name).toList());
        assertEquals(List.of("road_morf_auc", "road_lerf_auc", "gini"), Metrics.select(List.of("gini",
                "road_morf_auc")).stream().map(Metric::name).toList());
    }

    @Test
    void theExtensionOfTheTestSourcesIsFoundAfterTheBuiltIns() {
        List<String> names = Metrics.names();
        assertEquals(Metrics.builtIns().size(), names.indexOf(TopDecileMass.NAME), names.toString());
        assertTrue(Metrics.get(TopDecileMass.NAME) instanceof TopDecileMass);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("auc"));
        assertEquals("unknown metric 'auc'; known metrics: " + String.join(", ", names), e.getMessage());
        assertTrue(e.getMessage().contains("deletion_auc, insertion_auc") && e.getMessage().contains(TopDecileMass.NAME));
    }

    /** A metric of a given name that scores every image 0.25. */
    record Constant(String name, boolean ranksPixels) implements Metric {
        @Override
        public Direction direction() {
            return Direction.LOWER_IS_BETTER;
        }

        @Override
        public Category category() {
            return Category.SANITY;
        }

        @Override
        public Set<Need> needs() {
            return Set.of();
        }

        @Override
        public double[] score(MetricBatch batch) {
            double[] v = new double[batch.size()];
            java.util.Arrays.fill(v, 0.25);
            return v;
        }
    }

    @Test
    void aNameThatIsTakenReservedOrMalformedIsRefusedNamingIt() {
        List<String> before = Metrics.names();
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> Metrics.register(new Constant("gini", false)));
        assertTrue(taken.getMessage().contains("metric name 'gini'") && taken.getMessage().contains("is taken by the "
                + "built-in metric gini"), taken.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant(
                "deletion_auc_raster", false))).getMessage().contains("taken by the built-in metric deletion_auc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant(
                "max_box_acc_hits", false))).getMessage().contains("taken by the built-in metric max_box_acc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant(
                TopDecileMass.NAME, false))).getMessage().contains("taken by the metric top_decile_mass"));
        // its raster column would be another's name
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant("gini", true)))
                .getMessage().contains("'gini'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant("seconds", false)))
                .getMessage().contains("is a key of every results line"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant("Peak-Value",
                false))).getMessage().contains("'Peak-Value' is not valid"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.unregister("gini")).getMessage()
                .contains("is built in"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.unregister(TopDecileMass.NAME))
                .getMessage().contains("an extension"));
        assertEquals(before, Metrics.names(), "nothing was added");

        Metrics.register(new Constant("quarter", false));
        try {
            assertThrows(IllegalArgumentException.class, () -> Metrics.register(new Constant("quarter", false)));
            assertEquals("quarter", Metrics.names().get(Metrics.names().size() - 1));
        } finally {
            assertTrue(Metrics.unregister("quarter"));
        }
        assertFalse(Metrics.unregister("quarter"));
        assertEquals(before, Metrics.names());
    }

    /** The independent value of the extension on each map: the ⌈10 %⌉ first pixels of the ranking. */
    static double topDecile(SaliencyMap map) {
        float[] v = map.values();
        int[] order = map.ranking();
        double top = 0;
        double total = 0;
        for (int k = 0; k < order.length; k++) {
            double p = Math.max(0, v[order[k]]);
            total += p;
            if (k < Math.ceil(order.length / 10.0)) {
                top += p;
            }
        }
        return top / total;
    }

    static List<SaliencyMap> maps(Attribution method, List<LabeledImage> data) {
        return method.attribute(data.stream().map(LabeledImage::image).toList(),
                data.stream().map(li -> Target.index(li.label())).toList());
    }

    @Test
    void theExtensionIsScoredReportedAndKeptInTheResultsFile(@TempDir Path dir) throws Exception {
        List<LabeledImage> data = EvaluatorResumeTest.data;
        Path file = dir.resolve("r.jsonl");
        Evaluator.Report report = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.05).resume(file), data,
                EvaluatorResumeTest.methods(), new ArrayList<>());
        List<SaliencyMap> gradient = maps(new VanillaGradient(EvaluatorResumeTest.model, 8), data);
        Evaluator.MethodReport g = report.methods().get(0);
        assertEquals("gradient", g.method());
        double[] values = g.perImage().get(TopDecileMass.NAME);
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            assertEquals(topDecile(gradient.get(i)), values[i], 1e-12, "image " + i);
            sum += values[i];
        }
        Summary s = g.metrics().get(TopDecileMass.NAME);
        assertEquals(data.size(), s.n());
        assertEquals(sum / data.size(), s.mean(), 1e-12);
        // after the built-ins, before the raster columns; not compared with center (it needs no boxes)
        List<String> keys = new ArrayList<>(report.methods().get(1).metrics().keySet());
        assertEquals(Metrics.builtIns().size(), keys.indexOf(TopDecileMass.NAME), keys.toString());
        assertFalse(g.versusCenter().containsKey(TopDecileMass.NAME));
        assertEquals(Evaluator.LOCALISATION, List.copyOf(g.versusCenter().keySet()));
        // in every image line, the value of the report
        int lines = 0;
        for (String l : Files.readAllLines(file)) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            if (o.get("type").getAsString().equals("image") && o.get("method").getAsString().equals("gradient")) {
                assertEquals(values[o.get("image").getAsInt()], o.get(TopDecileMass.NAME).getAsDouble(), 0, l);
                lines++;
            }
        }
        assertEquals(data.size(), lines);
        // the table and its HTML: the column, the direction
        assertTrue(MetricsTable.of(report).table().columnNames().contains(TopDecileMass.NAME));
        assertTrue(MetricsTable.of(report).toHtml().contains("<th>top_decile_mass ↑</th>"));
    }

    @Test
    void aFileWrittenBeforeTheMetricExistedResumesWithItsValuesMissing(@TempDir Path dir) throws Exception {
        List<LabeledImage> data = EvaluatorResumeTest.data;
        Evaluator.Report whole = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.05), data,
                EvaluatorResumeTest.methods(), new ArrayList<>());
        Path file = dir.resolve("old.jsonl");
        EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.05).resume(file), data.subList(0, 4),
                EvaluatorResumeTest.methods(), new ArrayList<>());
        // as a toolkit without the metric wrote it: no top_decile_mass key
        List<String> old = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertEquals(o.get("type").getAsString().equals("image"), o.remove(TopDecileMass.NAME) != null, l);
            old.add(o.toString());
        }
        Files.write(file, old);
        List<EvaluatorResumeTest.Counting> methods = EvaluatorResumeTest.methods();
        List<String> log = new ArrayList<>();
        Evaluator.Report resumed = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.05).resume(file), data,
                methods, log);
        assertEquals(2, methods.get(0).images, "only images 4 and 5 are computed");
        assertTrue(log.contains("resuming: 4 of 6 images of gradient already done"), log.toString());
        for (int m = 0; m < 2; m++) {
            Evaluator.MethodReport r = resumed.methods().get(m);
            Evaluator.MethodReport w = whole.methods().get(m);
            double[] v = r.perImage().get(TopDecileMass.NAME);
            for (int i = 0; i < 4; i++) {
                assertTrue(Double.isNaN(v[i]), r.method() + " image " + i + ": missing, not invented");
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(w.perImage().get(TopDecileMass.NAME), 4, 6),
                    java.util.Arrays.copyOfRange(v, 4, 6), 0, r.method());
            assertEquals(2, r.metrics().get(TopDecileMass.NAME).n());
            for (String k : Evaluator.METRICS) {
                assertEquals(w.metrics().get(k), r.metrics().get(k), r.method() + " " + k);
            }
        }
    }

    @Test
    void aMetricRegisteredByTheProgramIsEvaluatedUntilUnregistered() {
        List<LabeledImage> data = EvaluatorResumeTest.data.subList(0, 2);
        Metrics.register(new Constant("quarter_ranked", true));
        Evaluator.Report with;
        try {
            with = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.05), data,
                    List.of(new EvaluatorResumeTest.Counting(new TiesTest.Saturated()),
                            new EvaluatorResumeTest.Counting(new CenterBaseline(EvaluatorResumeTest.model))),
                    new ArrayList<>());
        } finally {
            Metrics.unregister("quarter_ranked");
        }
        Map<String, Summary> saturated = with.methods().get(0).metrics();
        assertEquals(0.25, saturated.get("quarter_ranked").mean(), 0);
        assertEquals(2, saturated.get("quarter_ranked").n());
        // it ranks pixels: scored again without the tie-breaks, for the maps that have one
        assertEquals(0.25, saturated.get("quarter_ranked_raster").mean(), 0);
        assertFalse(with.methods().get(1).metrics().containsKey("quarter_ranked_raster"), "center has no tie-break");
        Evaluator.Report without = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.05), data,
                EvaluatorResumeTest.methods(), new ArrayList<>());
        assertFalse(without.methods().get(0).metrics().containsKey("quarter_ranked"));
    }
}
