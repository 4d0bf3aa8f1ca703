package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.neuromask.data.LabeledImage;
import io.neuromask.viz.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A selection of metrics ({@link Metrics#select}, {@link Evaluator#metrics}, {@code evaluate --metrics}): groups
 * computed whole, the others never scored nor recorded, the selection in the results file's header, a resume with
 * another selection refused, a file of every metric (no selection recorded) resuming as before, and a results file
 * read back reporting the metrics left out with no values. On the planted-evidence model of
 * {@link EvaluatorResumeTest}.
 */
class MetricSelectionTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        EvaluatorResumeTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        EvaluatorResumeTest.tearDown();
    }

    /** A metric that counts the images it scores; {@code group} as given. */
    private static final class Counted implements Metric {
        final String name;
        final String group;
        final AtomicInteger images = new AtomicInteger();

        Counted(String name, String group) {
            this.name = name;
            this.group = group;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String group() {
            return group;
        }

        @Override
        public Direction direction() {
            return Direction.HIGHER_IS_BETTER;
        }

        @Override
        public Category category() {
            return Category.COMPLEXITY;
        }

        @Override
        public Set<Need> needs() {
            return Set.of();
        }

        @Override
        public double[] score(MetricBatch batch) {
            images.addAndGet(batch.size());
            return new double[batch.size()];
        }
    }

    @Test
    void aSelectionBringsItsGroupInTheRegistrysOrder() {
        assertEquals(List.of("deletion_auc", "insertion_auc"), names(Metrics.select(List.of("deletion_auc"))));
        assertEquals(List.of("deletion_auc", "insertion_auc"), names(Metrics.select(List.of(" Insertion_AUC "))));
        assertEquals(List.of("road_morf_auc", "road_lerf_auc", "gini"),
                names(Metrics.select(List.of("gini", "road_lerf_auc", "gini"))));
        assertEquals(List.of("pointing_game"), names(Metrics.select(List.of("pointing_game"))),
                "a metric sharing nothing comes alone");
        assertEquals(List.of("max_box_acc"), names(Metrics.select(List.of("max_box_acc"))),
                "MaxBoxAccV2 has its own hit table");
    }

    @Test
    void anUnknownNameIsRefusedListingTheKnownOnes() {
        String known = String.join(", ", Metrics.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.select(List.of("gini", "roadd_morf_auc")));
        assertEquals("unknown metric 'roadd_morf_auc'; choose from " + known, e.getMessage());
        IllegalArgumentException raster = assertThrows(IllegalArgumentException.class,
                () -> Metrics.select(List.of("deletion_auc_raster")));
        assertTrue(raster.getMessage().startsWith("'deletion_auc_raster' is not a metric but the _raster column of "
                + "deletion_auc"), raster.getMessage());
        IllegalArgumentException record = assertThrows(IllegalArgumentException.class,
                () -> Metrics.select(List.of("max_box_acc_hits")));
        assertTrue(record.getMessage().contains("the per-image record of max_box_acc: select max_box_acc"),
                record.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Metrics.select(List.of())).getMessage()
                .startsWith("no metric selected"));
        assertThrows(IllegalArgumentException.class, () -> EvaluatorResumeTest.evaluator(0.25)
                .metrics(List.of("nope")));
    }

    @Test
    void onlyTheSelectedMetricsAndTheirGroupsAreScored() {
        Counted alone = new Counted("selection_alone", "selection_alone");
        Counted first = new Counted("selection_first", "selection-pair");
        Counted second = new Counted("selection_second", "selection-pair");
        Metrics.register(alone);
        Metrics.register(first);
        Metrics.register(second);
        try {
            List<LabeledImage> two = EvaluatorResumeTest.data.subList(0, 2);
            Evaluator.Report r = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25)
                    .metrics(List.of("selection_second")), two, EvaluatorResumeTest.methods(), new ArrayList<>());
            assertEquals(0, alone.images.get(), "not selected: never scored");
            assertEquals(4, first.images.get(), "in the selected one's group: 2 images of 2 methods");
            assertEquals(4, second.images.get());
            for (Evaluator.MethodReport m : r.methods()) {
                assertEquals(Set.of("selection_first", "selection_second"), m.metrics().keySet(), m.method());
                assertTrue(m.versusCenter().isEmpty(), "no localisation metric selected");
            }
        } finally {
            Metrics.unregister("selection_alone");
            Metrics.unregister("selection_first");
            Metrics.unregister("selection_second");
        }
    }

    @Test
    void aSelectionIsRecordedAndAResumeWithAnotherIsRefused() throws Exception {
        List<LabeledImage> data = EvaluatorResumeTest.data;
        Evaluator.Report all = EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25), data,
                EvaluatorResumeTest.methods(), new ArrayList<>());

        Path file = dir.resolve("deletion.jsonl");
        Evaluator deletion = EvaluatorResumeTest.evaluator(0.25).metrics(List.of("deletion_auc")).resume(file);
        assertEquals(List.of("deletion_auc", "insertion_auc"), deletion.metrics());
        EvaluatorResumeTest.run(deletion, data.subList(0, 4), EvaluatorResumeTest.methods(), new ArrayList<>());
        List<EvaluatorResumeTest.Counting> rest = EvaluatorResumeTest.methods();
        Evaluator.Report resumed = EvaluatorResumeTest.run(deletion, data, rest, new ArrayList<>());
        assertEquals(2, rest.get(0).images, "the same selection resumes: only images 4 and 5 computed");

        List<JsonObject> lines = EvaluatorResumeTest.lines(file);
        JsonArray header = lines.get(0).getAsJsonArray("metrics");
        List<String> recorded = new ArrayList<>();
        header.forEach(e -> recorded.add(e.getAsString()));
        assertEquals(List.of("deletion_auc", "insertion_auc"), recorded);
        for (JsonObject o : lines.subList(1, lines.size())) {
            if (o.get("type").getAsString().equals("image")) {
                assertTrue(o.has("deletion_auc") && o.has("insertion_auc"), o.toString());
                for (String k : List.of("road_morf_auc", "road_lerf_auc", "pointing_game", "gini", "mask_area",
                        "max_box_acc_hits", "class_preserved")) {
                    assertFalse(o.has(k), k + " is not recorded: " + o);
                }
            }
        }
        for (int m = 0; m < all.methods().size(); m++) {
            Evaluator.MethodReport a = all.methods().get(m);
            Evaluator.MethodReport s = resumed.methods().get(m);
            assertFalse(s.metrics().containsKey("road_morf_auc") || s.metrics().containsKey("gini"),
                    s.metrics().keySet().toString());
            for (String k : List.of("deletion_auc", "insertion_auc")) {
                assertArrayEquals(a.perImage().get(k), s.perImage().get(k), "the same values as with every metric: "
                        + a.method() + " " + k);
            }
        }

        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25).metrics(List.of("gini"))
                        .resume(file), data, EvaluatorResumeTest.methods(), new ArrayList<>()));
        assertEquals("results file " + file + " holds results of the metrics deletion_auc,insertion_auc (--metrics "
                + "deletion_auc,insertion_auc), but this run computes the metrics gini (--metrics gini); resume with "
                + "the same --metrics as the run that wrote it (results of other metrics are never mixed in one "
                + "file), or give another results file to start afresh", other.getMessage());
        IllegalArgumentException every = assertThrows(IllegalArgumentException.class,
                () -> EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25).resume(file), data,
                        EvaluatorResumeTest.methods(), new ArrayList<>()));
        assertTrue(every.getMessage().contains("but this run computes every metric (no --metrics)"),
                every.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "a refused run appends nothing");

        // read back without a model: the metrics left out are reported with no values, never invented
        ResultsFile read = ResultsFile.read(file);
        assertEquals(List.of("deletion_auc", "insertion_auc"), read.metricSelection());
        Evaluator.Report back = read.report();
        for (int m = 0; m < all.methods().size(); m++) {
            Evaluator.MethodReport r = back.methods().get(m);
            assertEquals(all.methods().get(m).metrics().get("deletion_auc"), r.metrics().get("deletion_auc"));
            for (String k : List.of("road_morf_auc", "gini", "pointing_game", "max_box_acc")) {
                assertEquals(0, r.metrics().get(k).n(), r.method() + " " + k + " is absent");
            }
        }
        ResultsTable table = ResultsTable.of(back, read.metricSelection());
        assertTrue(table.metrics().containsAll(List.of("deletion_auc", "insertion_auc")), table.metrics().toString());
        assertTrue(table.notSelected().containsAll(List.of("road_morf_auc", "road_lerf_auc", "gini", "pointing_game")),
                table.notSelected().toString());
        assertTrue(table.notRecorded().isEmpty(), "left out by the selection, not predated: " + table.notRecorded());
        assertTrue(table.toMarkdown().contains("Not computed (the run's evaluate --metrics selected `deletion_auc`, "
                + "`insertion_auc` only): `road_morf_auc`"), table.toMarkdown());
    }

    @Test
    void aFileOfEveryMetricRecordsNoSelectionAndRefusesOne() throws Exception {
        Path file = dir.resolve("all.jsonl");
        List<LabeledImage> data = EvaluatorResumeTest.data.subList(0, 2);
        EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25).resume(file), data, EvaluatorResumeTest.methods(),
                new ArrayList<>());
        assertFalse(EvaluatorResumeTest.lines(file).get(0).has("metrics"), "every metric: the header of old files");
        assertEquals(List.of(), ResultsFile.read(file).metricSelection());

        // naming every metric is the default: it resumes the file, computing nothing
        List<EvaluatorResumeTest.Counting> again = EvaluatorResumeTest.methods();
        EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25).metrics(Metrics.names()).resume(file), data,
                again, new ArrayList<>());
        assertEquals(0, again.get(0).images + again.get(1).images);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluatorResumeTest.run(EvaluatorResumeTest.evaluator(0.25).metrics(List.of("road_morf_auc"))
                        .resume(file), data, EvaluatorResumeTest.methods(), new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("results file " + file + " holds results of every metric (no "
                + "--metrics), but this run computes the metrics road_morf_auc,road_lerf_auc"), e.getMessage());
    }

    private static List<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::name).toList();
    }
}
