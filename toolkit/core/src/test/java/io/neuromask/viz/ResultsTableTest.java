package io.neuromask.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Metric;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.SyntheticResults;
import io.neuromask.metrics.Summary;
import io.neuromask.viz.ResultsTable.Mark;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResultsTable}: the best of each column, the tied-best (intervals overlapping the best's), the metrics a file
 * predates or that need boxes named and never filled in, and the difference to {@code center}; on the hand-written
 * results file of {@link SyntheticResults} (its intervals computed by hand in the comments) and on reports built here.
 */
class ResultsTableTest {

    @Test
    void theBestAndTheTiedBestOfEachColumn(@TempDir Path dir) throws Exception {
        ResultsTable t = ResultsTable.read(SyntheticResults.write(dir.resolve("toy.jsonl")));
        // deletion ↓: a 0.2 [-0.048, 0.448]; b 0.5 [-0.771, 1.771] overlaps it; center 0.5 [0.5, 0.5] lies above it
        assertEquals(Mark.BEST, t.mark("a", "deletion_auc"));
        assertEquals(Mark.TIED_BEST, t.mark("b", "deletion_auc"));
        assertEquals(Mark.NONE, t.mark("center", "deletion_auc"));
        // insertion ↑: a 0.8 [0.552, 1.048]; center's 0.5 [0.5, 0.5] lies below it
        assertEquals(Mark.BEST, t.mark("a", "insertion_auc"));
        assertEquals(Mark.TIED_BEST, t.mark("b", "insertion_auc"));
        assertEquals(Mark.NONE, t.mark("center", "insertion_auc"));
        // every Gini is 0.5: all best
        for (String m : List.of("a", "b", "center")) {
            assertEquals(Mark.BEST, t.mark(m, "gini"), m);
        }
        // MaxBoxAcc ↑: a 1.0 with sd 0 -> [1, 1]; center's 2 of 3 and b's 1 of 2 have intervals reaching 1
        assertEquals(Mark.BEST, t.mark("a", "max_box_acc"));
        // ROAD MoRF: only b has it; a and center have no value, so no mark
        assertEquals(Mark.BEST, t.mark("b", "road_morf_auc"));
        assertEquals(Mark.NONE, t.mark("a", "road_morf_auc"));
        assertThrows(IllegalArgumentException.class, () -> t.mark("gradcam", "gini"));
        assertThrows(IllegalArgumentException.class, () -> t.mark("a", "road_lerf_auc"));
    }

    @Test
    void missingMetricsAreNamedNeverFilledIn(@TempDir Path dir) throws Exception {
        ResultsTable t = ResultsTable.read(SyntheticResults.write(dir.resolve("toy.jsonl")));
        assertEquals(List.of("deletion_auc", "insertion_auc", "road_morf_auc", "pointing_game",
                "energy_pointing_game", "max_box_acc", "gini", "class_preserved", "mask_area"), t.metrics());
        // predated: the images have boxes (and so is an extension metric on the test class path, TopDecileMass)
        List<String> builtIn = Metrics.builtIns().stream().map(Metric::name).toList();
        assertEquals(List.of("road_lerf_auc", "max_box_acc_v2"), t.notRecorded().stream().filter(builtIn::contains)
                .toList());
        assertEquals(Metrics.names().stream().filter(n -> !builtIn.contains(n)).toList(),
                t.notRecorded().stream().filter(n -> !builtIn.contains(n)).toList());
        assertEquals(List.of(), t.withoutBoxes());
        String md = t.toMarkdown();
        assertTrue(md.contains("| a | 3 | 2.000 | **0.200 [-0.048, 0.448]** | **0.800 [0.552, 1.048]** | — |"), md);
        assertTrue(md.contains("| b | 2 | 1.000 | 0.500 [-0.771, 1.771] ≈ |"), md);
        assertTrue(md.contains("—: no value, a road_morf_auc (not recorded), center road_morf_auc (not recorded)."),
                md);
        assertTrue(md.contains("Not in the results (they predate them; resuming never computes a metric for the "
                + "images already recorded): `road_lerf_auc`, `max_box_acc_v2`"), md);
        assertFalse(md.contains("road_lerf_auc ↑ |"), "no column of a metric without values");
    }

    @Test
    void theDifferenceToCenter(@TempDir Path dir) throws Exception {
        ResultsTable t = ResultsTable.read(SyntheticResults.write(dir.resolve("toy.jsonl")));
        assertEquals(List.of("pointing_game", "energy_pointing_game", "max_box_acc"), t.versusCenter());
        // a's energy PG minus center's: 0.3, 0.25, 0.2 -> 0.25 [0.126, 0.374], above 0
        assertTrue(t.beatsCenter("a", "energy_pointing_game"));
        assertFalse(t.beatsCenter("b", "energy_pointing_game"));
        assertFalse(t.beatsCenter("a", "deletion_auc"), "not a localisation metric");
        String md = t.toMarkdown();
        assertTrue(md.contains("| a | 0.333 [-1.101, 1.768] | 0.250 [0.126, 0.374] \\* |"), md);
        String text = t.toString();
        assertTrue(text.contains("0.250 [0.126, 0.374] *"), text);
        assertTrue(text.contains("0.200 [-0.048, 0.448] ◆"), text);
    }

    @Test
    void withoutBoxesTheLocalisationMetricsAreNamedAsNotApplying() {
        Map<String, Summary> a = new LinkedHashMap<>();
        a.put("deletion_auc", Summary.of(new double[] {0.1, 0.3}));
        a.put("road_morf_auc", Summary.of(new double[0]));
        a.put("pointing_game", Summary.of(new double[] {Double.NaN, Double.NaN}));
        a.put("max_box_acc", Summary.of(new double[] {Double.NaN, Double.NaN}));
        Map<String, Summary> b = new LinkedHashMap<>(a);
        b.put("deletion_auc", Summary.of(new double[] {0.4}));
        Evaluator.Report report = new Evaluator.Report("m", "d", 2, List.of(
                new Evaluator.MethodReport("a", 0.5, a, Map.of(), Double.NaN, Map.of("deletion_auc", new double[2])),
                new Evaluator.MethodReport("b", 0.5, b, Map.of(), Double.NaN, Map.of("deletion_auc", new double[1]))));
        ResultsTable t = ResultsTable.of(report);
        assertEquals(List.of("deletion_auc"), t.metrics());
        assertEquals(List.of("pointing_game", "max_box_acc"), t.withoutBoxes());
        assertEquals(List.of("road_morf_auc"), t.notRecorded());
        assertEquals(List.of(), t.versusCenter());
        // b's one value has no interval: best of the column can only be a's 0.2, and b is not tied with it
        assertEquals(Mark.BEST, t.mark("a", "deletion_auc"));
        assertEquals(Mark.NONE, t.mark("b", "deletion_auc"));
        String md = t.toMarkdown();
        assertTrue(md.contains("| b | 1 | 0.500 | 0.400 |"), md);
        assertTrue(md.contains("No image has boxes, so no `pointing_game`, `max_box_acc`."), md);
        assertFalse(md.contains("Difference to"), md);
        assertTrue(t.toHtml().contains("<b>0.200 [-1.071, 1.471]</b>"), t.toHtml());
    }
}
