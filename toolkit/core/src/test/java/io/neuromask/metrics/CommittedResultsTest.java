package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.LabeledImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results files committed under {@code models/results} (the numbers of the README's and the docs' tables) resume
 * and report exactly as they did when they were written: each is resumed by an evaluator whose methods and model
 * would fail if anything were computed, and its report, number for number (every per-image value by its bits), has
 * the digest recorded in {@code committed-results.properties}. A metric a file does not hold (an extension metric on
 * the class path) is reported with no values, never invented, and left out of the digest.
 */
class CommittedResultsTest {

    private static final Path RESULTS = Path.of(System.getProperty("neuromask.projectRoot", "../.."))
            .resolve("models/results");

    /** A model that knows its name and classes and refuses to run. */
    private record NamedModel(String name, int classes) implements Classifier {
        @Override
        public int inputHeight() {
            return 2;
        }

        @Override
        public int inputWidth() {
            return 2;
        }

        @Override
        public List<String> labels() {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                l.add("class " + i);
            }
            return l;
        }

        @Override
        public Device device() {
            return Device.cpu();
        }

        @Override
        public NDArray logits(NDArray pixels) {
            throw new AssertionError("a fully recorded results file runs no model");
        }

        @Override
        public void close() {}
    }

    /** A method of a recorded name that refuses to explain. */
    private record Recorded(String name) implements Attribution {
        @Override
        public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
            throw new AssertionError("a fully recorded results file explains nothing (" + name + ")");
        }
    }

    /** The report of a committed file resumed in a copy, as canonical text: every number by its exact value. */
    static String replay(Path original, Path dir) throws Exception {
        return canonical(replayReport(original, dir), BUILT_IN);
    }

    /**
     * The report of a committed file resumed in a copy by an evaluator whose model and methods refuse to run, on the
     * images 0 to n−1 that every method holds: what {@code evaluate --resume} reports for it.
     */
    static Evaluator.Report replayReport(Path original, Path dir) throws Exception {
        Path file = dir.resolve(original.getFileName());
        Files.copy(original, file);
        List<String> lines = Files.readAllLines(file);
        JsonObject header = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        Map<String, JsonElement> settings = new LinkedHashMap<>();
        Map<Integer, String[]> images = new TreeMap<>(); // image -> {id, class}
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            String method = o.get("method").getAsString();
            if (o.get("type").getAsString().equals("method")) {
                settings.put(method, o.get("settings"));
            } else {
                images.put(o.get("image").getAsInt(), new String[] {o.get("id").getAsString(),
                    o.get("class").getAsString()});
                counts.merge(method, 1, Integer::sum);
            }
        }
        int n = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        assertEquals("labels", header.get("targets").getAsString());
        NamedModel model = new NamedModel(header.get("model").getAsString(), 1000);
        List<LabeledImage> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            data.add(new LabeledImage(images.get(i)[0], RgbImage.ofChw(new float[12], 3, 2, 2),
                    Integer.parseInt(images.get(i)[1]), List.of()));
        }
        List<Attribution> methods = new ArrayList<>();
        settings.keySet().forEach(m -> methods.add(new Recorded(m)));
        Evaluator all = new Evaluator(model, new DeletionInsertion(model,
                header.get("step_fraction").getAsDouble(), 16), new PointingGame(header.get("tolerance").getAsDouble()),
                new MaxBoxAcc(header.get("max_box_acc_thresholds").getAsInt(), header.get("max_box_acc_iou")
                        .getAsDouble()), 16, 16).ties(Ties.parse(header.get("ties").getAsString())).resume(file)
                .methodSettings(settings);
        List<String> selected = null; // a run of evaluate --metrics is resumed with the same selection
        if (header.has("metrics")) {
            selected = new ArrayList<>();
            for (JsonElement m : header.getAsJsonArray("metrics")) {
                selected.add(m.getAsString());
            }
        }
        Evaluator evaluator = selected == null ? all : all.metrics(selected);
        Evaluator.Report report = evaluator.evaluate(header.get("data").getAsString(), data, methods, true, s -> {});
        assertEquals(lines, Files.readAllLines(file), "resuming a complete file changes nothing");
        // a metric newer than a method's lines (ROAD, MaxBoxAccV2, an extension) is reported missing, never invented:
        // at most as many values as the method's lines hold (methods added to a file later hold the newer metrics)
        Map<String, Map<String, Integer>> held = new LinkedHashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            if (o.get("type").getAsString().equals("image") && o.get("image").getAsInt() < n) {
                Map<String, Integer> keys = held.computeIfAbsent(o.get("method").getAsString(),
                        k -> new LinkedHashMap<>());
                o.keySet().forEach(k -> keys.merge(k.endsWith("_hits") ? k.substring(0, k.length() - 5) : k, 1,
                        Integer::sum));
            }
        }
        for (Evaluator.MethodReport m : report.methods()) {
            Map<String, Integer> own = held.getOrDefault(m.method(), Map.of());
            Map<String, Integer> center = held.getOrDefault("center", Map.of());
            m.metrics().forEach((k, v) -> assertTrue(BUILT_IN.contains(k) || v.n() <= own.getOrDefault(k, 0),
                    original.getFileName() + " " + m.method() + " " + k + " " + v));
            m.versusCenter().forEach((k, v) -> assertTrue(BUILT_IN.contains(k)
                    || v.n() <= Math.min(own.getOrDefault(k, 0), center.getOrDefault(k, 0)),
                    original.getFileName() + " " + m.method() + " vs center " + k + " " + v));
        }
        return report;
    }

    /** The metrics the files were written with, which the digests cover. */
    static final List<String> BUILT_IN = List.of("deletion_auc", "insertion_auc", "pointing_game",
            "energy_pointing_game", "max_box_acc", "gini", "class_preserved", "mask_area", "deletion_auc_raster",
            "insertion_auc_raster", "pointing_game_raster");

    static String canonical(Evaluator.Report r, List<String> covered) {
        StringBuilder s = new StringBuilder();
        s.append(r.model()).append(' ').append(r.data()).append(' ').append(r.images()).append('\n');
        for (Evaluator.MethodReport m : r.methods()) {
            s.append("method ").append(m.method()).append(" seconds ").append(m.secondsPerImage())
                    .append(" threshold ").append(m.maxBoxAccThreshold()).append('\n');
            m.metrics().forEach((k, v) -> {
                if (covered.contains(k)) {
                    s.append("  ").append(k).append(' ').append(v).append(' ').append(v.mean()).append(' ')
                            .append(v.sd()).append(' ').append(v.low()).append(' ').append(v.high()).append('\n');
                }
            });
            m.versusCenter().forEach((k, v) -> {
                if (covered.contains(k)) {
                    s.append("  vs center ").append(k).append(' ').append(v.n()).append(' ').append(v.mean())
                            .append(' ').append(v.low()).append(' ').append(v.high()).append('\n');
                }
            });
            m.perImage().forEach((k, v) -> {
                if (covered.contains(k)) {
                    s.append("  per image ").append(k);
                    for (double d : v) {
                        s.append(' ').append(d);
                    }
                    s.append('\n');
                }
            });
        }
        return s.toString();
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theCommittedResultsFilesReportAsWhenTheyWereWritten(@TempDir Path dir) throws Exception {
        Properties expected = new Properties();
        try (var in = CommittedResultsTest.class.getResourceAsStream("committed-results.properties")) {
            expected.load(in);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(RESULTS)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        StringBuilder wrong = new StringBuilder();
        for (Path f : files) {
            String text = replay(f, dir);
            String digest = sha256(text);
            if (System.getenv("NEUROMASK_PRINT_DIGESTS") != null) {
                System.out.println(f.getFileName() + "=" + digest);
                Files.writeString(Path.of(System.getenv("NEUROMASK_PRINT_DIGESTS"))
                        .resolve(f.getFileName() + ".txt"), text);
            }
            if (!digest.equals(expected.getProperty(f.getFileName().toString()))) {
                wrong.append(f.getFileName()).append(' ');
            }
        }
        assertEquals(expected.size() - 1, files.size(), "a digest per committed results file: " + files);
        if (!wrong.isEmpty()) {
            fail("the reports of these committed results files moved: " + wrong);
        }
        assertTrue(files.size() >= 9, files.toString());
    }

    /** The keys of a results line the digests cover: all but the timing and the metrics the files predate. */
    private static final List<String> LINE_KEYS = List.of("type", "format", "version", "model", "data", "targets",
            "ties", "step_fraction", "tolerance", "max_box_acc_thresholds", "max_box_acc_iou", "method", "settings",
            "image", "id", "class", "deletion_auc", "insertion_auc", "pointing_game", "energy_pointing_game", "gini",
            "class_preserved", "mask_area", "deletion_auc_raster", "insertion_auc_raster", "pointing_game_raster",
            "max_box_acc_hits");

    /**
     * A new run on the planted model (boxes; a method with tie-breaks, so the raster scores too) writes the lines, key
     * for key and in the same order, and reports the numbers it did before the Metric contract.
     */
    @Test
    void aNewRunWritesAndReportsWhatItDidBefore(@TempDir Path dir) throws Exception {
        Properties expected = new Properties();
        try (var in = CommittedResultsTest.class.getResourceAsStream("committed-results.properties")) {
            expected.load(in);
        }
        try (io.neuromask.model.BlockClassifier model = io.neuromask.model.PlantedEvidence.model(32, 6, 18, 8, 10,
                null)) {
            io.neuromask.data.LabeledImages set = io.neuromask.data.Datasets.planted(32, 6);
            List<LabeledImage> data = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                data.add(set.get(i));
            }
            Path file = dir.resolve("planted.jsonl");
            Evaluator.Report report = new Evaluator(model, new DeletionInsertion(model, 0.05, 16), new PointingGame(),
                    new MaxBoxAcc(), 4, 16).resume(file).evaluate("planted", data, List.of(
                            new io.neuromask.attribution.VanillaGradient(model, 8),
                            new io.neuromask.attribution.CenterBaseline(model), new TiesTest.Saturated()), true,
                    s -> {});
            StringBuilder lines = new StringBuilder();
            for (String l : Files.readAllLines(file)) {
                JsonObject o = JsonParser.parseString(l).getAsJsonObject();
                JsonObject kept = new JsonObject();
                o.entrySet().stream().filter(e -> LINE_KEYS.contains(e.getKey()))
                        .forEach(e -> kept.add(e.getKey(), e.getValue()));
                lines.append(kept).append('\n');
            }
            String text = lines + canonical(report, BUILT_IN).replaceAll("seconds [^ ]+ ", "");
            if (System.getenv("NEUROMASK_PRINT_DIGESTS") != null) {
                Files.writeString(Path.of(System.getenv("NEUROMASK_PRINT_DIGESTS")).resolve("planted-run.txt"), text);
            }
            assertEquals(expected.getProperty("planted-run"), sha256(text), "the lines and report of a new run");
        }
    }
}
