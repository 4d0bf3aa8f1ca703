package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.attribution.CenterBaseline;
import io.neuromask.attribution.VanillaGradient;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.metrics.TopDecileMass;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import io.neuromask.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metric defined only in core's test sources ({@link TopDecileMass}, found by {@link java.util.ServiceLoader}
 * through a services file of the test jar) in {@code evaluate}: its mean in {@code --json}, its value in every line
 * of the {@code --resume} file, unchanged by a run that stops and continues, and its column in the table.
 */
class EvaluateMetricExtensionTest {

    @TempDir
    Path tmp;

    private static final String[] ARGS = {"evaluate", "--model", "test-planted-32", "--data", "test-planted-32",
        "--methods", "gradient", "--chunk", "2", "--step-fraction", "0.1", "--device", "cpu"};

    private static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of(ARGS));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** The extension's value of each image, computed here: every method's maps made again, by method. */
    private static Map<String, double[]> independent(int n) throws Exception {
        LabeledImages set = Datasets.open("test-planted-32", ModelStore.fromEnvironment());
        Map<String, double[]> out = new HashMap<>();
        try (Classifier model = Models.load("test-planted-32", Devices.parse("cpu"))) {
            List<LabeledImage> data = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                data.add(set.get(i).resized(model.inputWidth(), model.inputHeight()));
            }
            for (String method : List.of("gradient", "center")) {
                // as evaluate's registry makes them (batch 64)
                Attribution a = method.equals("gradient") ? new VanillaGradient(model, 64) : new CenterBaseline(model);
                List<SaliencyMap> maps = a.attribute(data.stream().map(LabeledImage::image).toList(),
                                data.stream().map(li -> Target.index(li.label())).toList());
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = topDecile(maps.get(i).values());
                }
                out.put(method, v);
            }
        }
        return out;
    }

    /** The share of the positive mass in the ⌈10 %⌉ largest values, by selection of the largest one at a time. */
    private static double topDecile(float[] values) {
        double total = 0;
        boolean[] taken = new boolean[values.length];
        for (float v : values) {
            total += Math.max(0, v);
        }
        double top = 0;
        for (int k = 0; k < Math.ceil(values.length / 10.0); k++) {
            int best = -1;
            for (int i = 0; i < values.length; i++) {
                if (!taken[i] && (best < 0 || values[i] > values[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top += Math.max(0, values[best]);
        }
        return top / total;
    }

    private static String[] run(String... args) {
        String[] r = InProcessCli.run(args);
        assertEquals("0", r[0], r[2]);
        return r;
    }

    /** The report's methods without their timings. */
    private static JsonArray withoutSeconds(JsonObject report) {
        JsonArray methods = report.getAsJsonArray("methods").deepCopy();
        for (JsonElement m : methods) {
            m.getAsJsonObject().remove("seconds_per_image");
        }
        return methods;
    }

    @Test
    void theExtensionIsInTheJsonTheResultsFileAndAResume() throws Exception {
        Map<String, double[]> expected = independent(4);
        JsonObject whole = JsonParser.parseString(run(args("--limit", "4", "--json"))[1]).getAsJsonObject();
        for (JsonElement e : whole.getAsJsonArray("methods")) {
            JsonObject m = e.getAsJsonObject();
            double[] v = expected.get(m.get("method").getAsString());
            JsonObject metric = m.getAsJsonObject("metrics").getAsJsonObject(TopDecileMass.NAME);
            assertEquals(4, metric.get("n").getAsInt(), m.toString());
            assertEquals((v[0] + v[1] + v[2] + v[3]) / 4, metric.get("mean").getAsDouble(), 1e-12, m.toString());
        }
        double[] g = expected.get("gradient");
        assertTrue(g[0] > 0.1 && g[0] <= 1, "the gradient concentrates on the planted patch: " + g[0]);

        // a run that stops after 2 images, continued to 4: the file holds the value of every image, once
        Path file = tmp.resolve("results.jsonl");
        run(args("--limit", "2", "--json", "--resume", file.toString()));
        String[] resumed = run(args("--limit", "4", "--json", "--resume", file.toString()));
        assertTrue(resumed[2].contains("evaluate: resuming: 2 of 4 images of gradient already done"), resumed[2]);
        int lines = 0;
        for (String l : Files.readAllLines(file)) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            if (o.get("type").getAsString().equals("image")) {
                double want = expected.get(o.get("method").getAsString())[o.get("image").getAsInt()];
                assertEquals(want, o.get(TopDecileMass.NAME).getAsDouble(), 1e-12, l);
                lines++;
            }
        }
        assertEquals(2 * 4, lines, "gradient and center, 4 images each, each once");
        assertEquals(withoutSeconds(whole), withoutSeconds(JsonParser.parseString(resumed[1]).getAsJsonObject()),
                "the resumed report is the uninterrupted one");

        // the table: its column, headed with its direction
        String table = run(args("--limit", "2"))[1];
        assertTrue(table.contains("top_decile_mass ↑") && table.contains("deletion_auc ↓"), table);
    }
}
