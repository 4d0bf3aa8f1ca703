package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.metrics.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --metrics}: only the selected metrics (with their groups) are computed, reported and recorded; an
 * unknown name is refused listing the known ones; a {@code --resume} file refuses another selection; {@code results}
 * names the metrics left out. On the planted-evidence model and its data set (32 px, in-process).
 */
class EvaluateMetricsCliTest {

    @TempDir
    Path tmp;

    private static final List<String> BASE = List.of("evaluate", "--model", "test-planted-32", "--data",
            "test-planted-32", "--methods", "gradient", "--limit", "3", "--step-fraction", "0.1");

    private static String[] run(List<String> extra) {
        List<String> args = new ArrayList<>(BASE);
        args.addAll(extra);
        return InProcessCli.run(args.toArray(String[]::new));
    }

    @Test
    void deletionAloneReportsDeletionAndInsertionButNoRoad() throws Exception {
        Path file = tmp.resolve("deletion.jsonl");
        String[] r = run(List.of("--metrics", "deletion_auc", "--resume", file.toString(), "--json"));
        assertEquals("0", r[0], r[2]);
        JsonObject o = JsonParser.parseString(r[1]).getAsJsonObject();
        List<String> methods = new ArrayList<>();
        for (var e : o.getAsJsonArray("methods")) {
            JsonObject m = e.getAsJsonObject();
            methods.add(m.get("method").getAsString());
            JsonObject metrics = m.getAsJsonObject("metrics");
            assertEquals(3, metrics.getAsJsonObject("deletion_auc").get("n").getAsInt(), r[1]);
            assertEquals(3, metrics.getAsJsonObject("insertion_auc").get("n").getAsInt(), "its group: " + r[1]);
            for (String k : List.of("road_morf_auc", "road_lerf_auc", "pointing_game", "gini", "max_box_acc")) {
                assertFalse(metrics.has(k), k + " not computed: " + r[1]);
            }
            assertFalse(m.has("versus_center"), "no localisation metric selected: " + r[1]);
        }
        assertEquals(List.of("gradient", "center"), methods, "the center baseline is always run");
        String lines = Files.readString(file);
        assertTrue(lines.lines().findFirst().orElseThrow().contains("\"metrics\":[\"deletion_auc\",\"insertion_auc\"]"),
                lines);
        assertFalse(lines.contains("road_morf_auc") || lines.contains("\"gini\""), lines);

        // the table has the selected columns only
        String[] table = run(List.of("--metrics", "insertion_auc,deletion_auc", "--resume", file.toString()));
        assertEquals("0", table[0], table[2]);
        assertTrue(table[1].contains("deletion_auc ↓") && table[1].contains("insertion_auc ↑"), table[1]);
        assertFalse(table[1].contains("road_morf_auc") || table[1].contains("mask_area"), table[1]);
        assertTrue(table[2].contains("resuming: 3 of 3 images of gradient already done"),
                "the same selection in another order resumes: " + table[2]);

        // results names the metrics the run left out, with no values
        String[] results = InProcessCli.run("results", file.toString());
        assertEquals("0", results[0], results[2]);
        assertTrue(results[1].contains("Not computed (the run's evaluate --metrics selected deletion_auc, "
                + "insertion_auc only): road_morf_auc, road_lerf_auc"), results[1]);
        String[] json = InProcessCli.run("results", file.toString(), "--json");
        JsonObject gradient = JsonParser.parseString(json[1]).getAsJsonObject().getAsJsonArray("methods").get(0)
                .getAsJsonObject().getAsJsonObject("metrics");
        assertEquals(0, gradient.getAsJsonObject("road_morf_auc").get("n").getAsInt(), json[1]);
        com.google.gson.JsonElement mean = gradient.getAsJsonObject("road_morf_auc").get("mean");
        assertTrue(mean == null || mean.isJsonNull(), "never invented: " + json[1]);
        assertEquals(3, gradient.getAsJsonObject("deletion_auc").get("n").getAsInt(), json[1]);
    }

    @Test
    void anUnknownMetricIsRefusedListingTheKnownOnes() {
        String[] r = run(List.of("--metrics", "deletion_auc,road_auc"));
        assertEquals("1", r[0], r[1]);
        assertTrue(r[2].contains("unknown metric 'road_auc'; choose from " + String.join(", ", Metrics.names())),
                r[2]);
    }

    @Test
    void aResumeWithAnotherSelectionIsRefusedAndAFileOfEveryMetricResumes() throws Exception {
        Path file = tmp.resolve("all.jsonl");
        String[] all = run(List.of("--resume", file.toString(), "--json"));
        assertEquals("0", all[0], all[2]);
        assertFalse(Files.readAllLines(file).get(0).contains("\"metrics\""), "no selection recorded for all");
        byte[] before = Files.readAllBytes(file);

        String[] other = run(List.of("--metrics", "gini", "--resume", file.toString()));
        assertEquals("1", other[0], other[1]);
        assertTrue(other[2].contains("holds results of every metric (no --metrics), but this run computes the "
                + "metrics gini (--metrics gini); resume with the same --metrics"), other[2]);
        assertArrayEquals(before, Files.readAllBytes(file), "a refused run changes nothing");

        String[] again = run(List.of("--resume", file.toString(), "--json"));
        assertEquals("0", again[0], again[2]);
        assertTrue(again[2].contains("resuming: 3 of 3 images of gradient already done"), again[2]);
        JsonObject metrics = JsonParser.parseString(again[1]).getAsJsonObject().getAsJsonArray("methods").get(0)
                .getAsJsonObject().getAsJsonObject("metrics");
        assertEquals(3, metrics.getAsJsonObject("road_morf_auc").get("n").getAsInt(), again[1]);
    }
}
