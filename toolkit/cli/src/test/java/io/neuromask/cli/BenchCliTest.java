package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code bench --objective}: every objective at its presets for the model, against the model's own pass. */
class BenchCliTest {

    @Test
    void allObjectivesAtTheirPresetsForTheModelsSize() {
        String[] r = InProcessCli.run("bench", "--model", "test-cnn32", "--objective", "all", "--batch", "2",
                "--iterations", "2", "--rounds", "1", "--json");
        assertEquals("0", r[0], r[2]);
        JsonObject report = JsonParser.parseString(r[1]).getAsJsonObject();
        assertEquals("test-cnn32", report.get("model").getAsString());
        JsonArray results = report.getAsJsonArray("results");
        Map<String, JsonObject> byPreset = new LinkedHashMap<>();
        for (JsonElement e : results) {
            JsonObject o = e.getAsJsonObject();
            byPreset.put(o.get("objective").getAsString() + ":" + o.get("preset").getAsString(), o);
        }
        // the 32-pixel presets of the three built-in objectives
        assertTrue(byPreset.keySet().containsAll(java.util.List.of("neuromask:paper-cifar10", "neuromask:fast-cifar10",
                "neuromask:faithful-cifar10", "neuromask:recommended-cifar10", "meaningful:meaningful-cifar10",
                "extremal:extremal-cifar10")),
                byPreset.keySet().toString());
        assertTrue(byPreset.keySet().stream().noneMatch(k -> k.endsWith("imagenet")), "no 224-pixel preset on a "
                + "32-pixel model: " + byPreset.keySet());
        // the model sees one input per image and pass, two with NeuroMask's deletion term, one per area with
        // extremal perturbation's three areas
        assertEquals(2, byPreset.get("neuromask:paper-cifar10").get("model_inputs_per_iteration").getAsInt());
        assertEquals(4, byPreset.get("neuromask:faithful-cifar10").get("model_inputs_per_iteration").getAsInt());
        assertEquals(2, byPreset.get("neuromask:faithful-cifar10").get("model_passes_per_iteration").getAsInt());
        assertEquals(2, byPreset.get("meaningful:meaningful-cifar10").get("model_inputs_per_iteration").getAsInt());
        assertEquals(6, byPreset.get("extremal:extremal-cifar10").get("model_inputs_per_iteration").getAsInt());
        for (JsonObject o : byPreset.values()) {
            double ms = o.get("ms_per_iteration").getAsDouble();
            assertTrue(ms > 0 && o.get("model_ms_per_iteration").getAsDouble() > 0, o.toString());
            assertEquals(ms / o.get("model_ms_per_iteration").getAsDouble(), o.get("overhead").getAsDouble(), 1e-9);
            // seconds per image at the preset's own iterations, from the steady state, in batches of 2
            assertEquals(ms * o.get("preset_iterations").getAsInt() / 2 / 1000,
                    o.get("seconds_per_image").getAsDouble(), 1e-9, o.toString());
            double peak = o.get("peak_rss_mb").getAsDouble();
            assertTrue(Double.isNaN(peak) || peak > 50, "peak resident memory in MiB: " + peak);
        }
        assertEquals(800, byPreset.get("extremal:extremal-cifar10").get("preset_iterations").getAsInt());
        // a coarse-to-fine preset is timed on a sample that keeps its coarse share (2 iterations: one of each), and
        // its seconds per image are at its own 90 iterations
        assertEquals(90, byPreset.get("neuromask:recommended-cifar10").get("preset_iterations").getAsInt());
        assertEquals(4, byPreset.get("neuromask:recommended-cifar10").get("model_inputs_per_iteration").getAsInt());
    }

    @Test
    void markdownTableHasARowPerPresetWithItsRatio() {
        String[] r = InProcessCli.run("bench", "--model", "test-cnn32", "--objective", "neuromask,extremal",
                "--preset", "fast-cifar10,extremal-cifar10", "--batch", "2", "--iterations", "2", "--rounds", "1",
                "--markdown");
        assertEquals("0", r[0], r[2]);
        java.util.List<String> rows = r[1].lines().filter(l -> l.startsWith("| `")).toList();
        assertEquals(2, rows.size(), r[1]);
        assertTrue(rows.get(0).startsWith("| `neuromask:fast-cifar10` | 2 |"), rows.get(0));
        assertTrue(rows.get(1).startsWith("| `extremal:extremal-cifar10` | 2 |"), rows.get(1));
        for (String row : rows) {
            String[] cells = row.split("\\|");
            double ms = Double.parseDouble(cells[3].trim());
            double model = Double.parseDouble(cells[4].trim());
            double ratio = Double.parseDouble(cells[5].trim());
            // printed to 0.1 ms (±0.05) and 0.01 (±0.005): the ratio is the quotient of the unrounded times
            double low = (ms - 0.05) / (model + 0.05) - 0.005;
            double high = model > 0.05 ? (ms + 0.05) / (model - 0.05) + 0.005 : Double.POSITIVE_INFINITY;
            assertTrue(ratio >= low && ratio <= high, row + ": ratio " + ratio + " outside [" + low + ", " + high
                    + "] of the printed times");
        }
        assertTrue(rows.get(1).contains("(800)"), "extremal's preset runs 800 iterations: " + rows.get(1));
        String[] both = InProcessCli.run("bench", "--model", "test-cnn32", "--objective", "all", "--markdown",
                "--json");
        assertEquals("1", both[0]);
        assertTrue(both[2].contains("--markdown and --json"), both[2]);
        String[] alone = InProcessCli.run("bench", "--model", "test-cnn32", "--markdown");
        assertEquals("1", alone[0]);
        assertTrue(alone[2].contains("add --objective"), alone[2]);
    }

    @Test
    void presetsOfOtherObjectivesAndAnAutomaticBatchAreRefused() {
        String[] none = InProcessCli.run("bench", "--model", "test-cnn32", "--objective", "extremal", "--preset",
                "fast-cifar10", "--iterations", "2");
        assertEquals("1", none[0]);
        assertTrue(none[2].contains("no preset of extremal among --preset fast-cifar10"), none[2]);
        String[] auto = InProcessCli.run("bench", "--model", "test-cnn32", "--objective", "meaningful", "--batch",
                "auto", "--iterations", "2");
        assertEquals("1", auto[0]);
        assertTrue(auto[2].contains("bench --objective takes a number for --batch"), auto[2]);
    }
}
