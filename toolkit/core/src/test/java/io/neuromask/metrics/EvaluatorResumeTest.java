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
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator's results file: a run in two steps reports what a run in one step does, number for number; an
 * incomplete last line is dropped with a warning and computed again; a damaged line, other settings, other data or
 * a file in use are refused with the reason. On the planted-evidence model (boxes, so every metric is exercised).
 */
class EvaluatorResumeTest {

    static BlockClassifier model;
    static List<LabeledImage> data;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        model = PlantedEvidence.model(32, 6, 18, 8, 10, null);
        LabeledImages set = Datasets.planted(32, 6);
        data = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            data.add(set.get(i));
        }
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    /** A method that counts the images it is asked to explain, under the wrapped method's name. */
    static final class Counting implements Attribution {
        final Attribution inner;
        int images;

        Counting(Attribution inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
            this.images += images.size();
            return inner.attribute(images, targets);
        }
    }

    static List<Counting> methods() {
        return List.of(new Counting(new VanillaGradient(model, 8)), new Counting(new CenterBaseline(model)));
    }

    static Evaluator evaluator(double stepFraction) {
        return new Evaluator(model, new DeletionInsertion(model, stepFraction, 16), new PointingGame(),
                new MaxBoxAcc(), 2, 16).methodSettings(Map.of("gradient", Map.of("note", "plain gradient")));
    }

    static Evaluator.Report run(Evaluator e, List<LabeledImage> images, List<Counting> methods, List<String> log) {
        return e.evaluate("planted", images, new ArrayList<Attribution>(methods), true, log::add);
    }

    /** Equal number for number, seconds aside. */
    static void assertSameReport(Evaluator.Report a, Evaluator.Report b) {
        assertEquals(a.model(), b.model());
        assertEquals(a.data(), b.data());
        assertEquals(a.images(), b.images());
        assertEquals(a.methods().size(), b.methods().size());
        for (int m = 0; m < a.methods().size(); m++) {
            Evaluator.MethodReport x = a.methods().get(m);
            Evaluator.MethodReport y = b.methods().get(m);
            assertEquals(x.method(), y.method());
            assertEquals(x.metrics(), y.metrics(), x.method());
            assertEquals(x.versusCenter(), y.versusCenter(), x.method());
            assertEquals(x.maxBoxAccThreshold(), y.maxBoxAccThreshold(), 0, x.method());
            assertEquals(x.perImage().keySet(), y.perImage().keySet());
            for (String k : x.perImage().keySet()) {
                assertArrayEquals(x.perImage().get(k), y.perImage().get(k), x.method() + " " + k);
            }
        }
    }

    static List<JsonObject> lines(Path file) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JsonParser.parseString(l).getAsJsonObject());
        }
        return out;
    }

    /** How often each (method, image) pair appears among the file's image lines. */
    static Map<String, Integer> pairs(Path file) throws Exception {
        Map<String, Integer> count = new HashMap<>();
        for (JsonObject o : lines(file)) {
            if (o.get("type").getAsString().equals("image")) {
                count.merge(o.get("method").getAsString() + "#" + o.get("image").getAsInt(), 1, Integer::sum);
            }
        }
        return count;
    }

    @Test
    void aRunInTwoStepsReportsWhatARunInOneStepDoes() throws Exception {
        List<String> log = new ArrayList<>();
        Evaluator.Report memory = run(evaluator(0.05), data, methods(), log);
        Path whole = dir.resolve("whole.jsonl");
        Evaluator.Report oneGo = run(evaluator(0.05).resume(whole), data, methods(), log);
        assertSameReport(memory, oneGo);
        assertTrue(oneGo.methods().get(0).metrics().get("pointing_game").n() == 6, "every metric was computed");

        Path steps = dir.resolve("steps.jsonl");
        List<Counting> first = methods();
        run(evaluator(0.05).resume(steps), data.subList(0, 4), first, log);
        assertEquals(4, first.get(0).images);
        List<Counting> second = methods();
        List<String> secondLog = new ArrayList<>();
        Evaluator.Report resumed = run(evaluator(0.05).resume(steps), data, second, secondLog);
        assertEquals(2, second.get(0).images, "only the chunk of images 4 and 5 is computed");
        assertEquals(2, second.get(1).images);
        assertTrue(secondLog.contains("resuming: 4 of 6 images of gradient already done"), secondLog.toString());
        assertTrue(secondLog.contains("resuming: 4 of 6 images of center already done"), secondLog.toString());
        assertSameReport(oneGo, resumed);

        Map<String, Integer> count = pairs(steps);
        assertEquals(12, count.size());
        assertTrue(count.values().stream().allMatch(c -> c == 1), count.toString());

        // a third run has nothing left to compute and reports the same again
        List<Counting> third = methods();
        List<String> thirdLog = new ArrayList<>();
        assertSameReport(oneGo, run(evaluator(0.05).resume(steps), data, third, thirdLog));
        assertEquals(0, third.get(0).images + third.get(1).images);
        assertTrue(thirdLog.contains("resuming: 6 of 6 images of gradient already done"), thirdLog.toString());
        // a smaller run reports its own images from the same file
        Evaluator.Report firstFour = run(evaluator(0.05).resume(steps), data.subList(0, 4), methods(), log);
        assertEquals(4, firstFour.images());
        assertEquals(4, firstFour.methods().get(0).metrics().get("deletion_auc").n());

        JsonObject header = lines(steps).get(0);
        assertEquals("neuromask-evaluate-results", header.get("format").getAsString());
        assertEquals(0.05, header.get("step_fraction").getAsDouble(), 0);
        assertEquals("break", header.get("ties").getAsString());
        JsonObject image = lines(steps).stream().filter(o -> o.get("type").getAsString().equals("image")).findFirst()
                .orElseThrow();
        for (String k : List.of("method", "image", "id", "class", "seconds", "deletion_auc", "insertion_auc",
                "pointing_game", "energy_pointing_game", "gini", "class_preserved", "mask_area", "max_box_acc_hits")) {
            assertTrue(image.has(k), k + " in " + image);
        }
        assertEquals(100, image.get("max_box_acc_hits").getAsString().length());
    }

    @Test
    void anIncompleteLastLineIsDroppedWithAWarningAndComputedAgain() throws Exception {
        List<String> log = new ArrayList<>();
        Path file = dir.resolve("r.jsonl");
        Evaluator.Report whole = run(evaluator(0.05).resume(file), data, methods(), log);
        byte[] bytes = Files.readAllBytes(file);
        // cut the file in the middle of its last line (center, image 5), as a run killed while writing it leaves it
        int lastStart = bytes.length - 2;
        while (bytes[lastStart] != '\n') {
            lastStart--;
        }
        int cut = lastStart + 1 + (bytes.length - lastStart) / 2;
        Files.write(file, Arrays.copyOf(bytes, cut));

        List<Counting> again = methods();
        List<String> warnings = new ArrayList<>();
        Evaluator.Report resumed = run(evaluator(0.05).resume(file), data, again, warnings);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("warning: results file " + file
                + " ends in an incomplete line 15 (")), warnings.toString());
        assertEquals(0, again.get(0).images, "gradient is complete");
        assertEquals(2, again.get(1).images, "center's last chunk (images 4 and 5) is computed again");
        assertSameReport(whole, resumed);
        Map<String, Integer> count = pairs(file);
        assertEquals(12, count.size());
        assertTrue(count.values().stream().allMatch(c -> c == 1), count.toString());
        assertEquals(new String(bytes, StandardCharsets.UTF_8).lines().count(), Files.readAllLines(file).size());
    }

    @Test
    void aDamagedLineIsAnErrorNamingIt() throws Exception {
        Path file = dir.resolve("r.jsonl");
        run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>());
        List<String> lines = Files.readAllLines(file);
        List<String> damaged = new ArrayList<>(lines);
        damaged.set(2, "{\"type\":\"image\",\"method\":\"gradient\",\"image\":0,\"cla");
        Files.write(file, damaged);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("results file " + file + ", line 3 is not a valid results line: not "
                + "valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("repair or delete line 3, or give another results file"), e.getMessage());

        List<String> duplicated = new ArrayList<>(lines);
        duplicated.add(lines.get(2));
        Files.write(file, duplicated);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>()));
        assertTrue(twice.getMessage().contains("line " + duplicated.size() + " is not a valid results line: a second "
                + "result of gradient for image 0 (the first is line 3)"), twice.getMessage());

        List<String> noNumber = new ArrayList<>(lines);
        noNumber.set(3, lines.get(3).replaceFirst("\"gini\":[^,]*", "\"gini\":\"high\""));
        Files.write(file, noNumber);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>()));
        assertTrue(bad.getMessage().contains("line 4 is not a valid results line: gini must be a finite number or "
                + "null, got \"high\""), bad.getMessage());

        Path other = dir.resolve("other.jsonl");
        Files.writeString(other, "method,image\ngradient,0\n");
        IllegalArgumentException notOurs = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).resume(other), data.subList(0, 2), methods(), new ArrayList<>()));
        assertTrue(notOurs.getMessage().contains("does not start with the header of an evaluate results file"),
                notOurs.getMessage());
    }

    @Test
    void otherSettingsOrOtherDataAreRefusedAndTheFileIsLeftAlone() throws Exception {
        Path file = dir.resolve("r.jsonl");
        run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>());
        byte[] before = Files.readAllBytes(file);

        IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.1).resume(file), data.subList(0, 2), methods(), new ArrayList<>()));
        assertEquals("results file " + file + " holds results for step_fraction = 0.05, but this run has "
                + "step_fraction = 0.1; resume with the same settings as the run that wrote it, or give another "
                + "results file to start afresh", step.getMessage());

        IllegalArgumentException ties = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).ties(Ties.RASTER).resume(file), data.subList(0, 2), methods(),
                        new ArrayList<>()));
        assertTrue(ties.getMessage().contains("ties = \"break\", but this run has ties = \"raster\""),
                ties.getMessage());

        IllegalArgumentException targets = assertThrows(IllegalArgumentException.class,
                () -> evaluator(0.05).resume(file).evaluate("planted", data.subList(0, 2),
                        new ArrayList<Attribution>(methods()), false, s -> {}));
        assertTrue(targets.getMessage().contains("targets = \"labels\", but this run has targets = \"predicted\""),
                targets.getMessage());

        IllegalArgumentException method = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).methodSettings(Map.of("gradient", Map.of("note", "smoothed"))).resume(file),
                        data.subList(0, 2), methods(), new ArrayList<>()));
        assertEquals("results file " + file + " holds results of gradient with other settings: note: \"plain "
                + "gradient\" in the file, \"smoothed\" now; resume with the same settings, or give another results "
                + "file to start afresh", method.getMessage());

        // every method is checked before any computes: center (first, with an image to do) runs nothing
        Counting center = new Counting(new CenterBaseline(model));
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).methodSettings(Map.of("gradient", Map.of("note", "smoothed"))).resume(file),
                        data.subList(0, 3), List.of(center, new Counting(new VanillaGradient(model, 8))),
                        new ArrayList<>()));
        assertTrue(late.getMessage().contains("holds results of gradient with other settings"), late.getMessage());
        assertEquals(0, center.images, "refused before center explained image 2");

        // the same settings under another label of the same method would compute them twice, as two methods
        Attribution renamed = new Renamed("gradient:again", new VanillaGradient(model, 8));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> evaluator(0.05).methodSettings(Map.of("gradient:again", Map.of("note", "plain gradient")))
                        .resume(file).evaluate("planted", data.subList(0, 2), List.of(renamed), true, s -> {}));
        assertTrue(twice.getMessage().contains("holds results of these very settings as gradient, which this run "
                + "calls gradient:again"), twice.getMessage());

        List<LabeledImage> swapped = List.of(data.get(1), data.get(0));
        IllegalArgumentException images = assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).resume(file), swapped, methods(), new ArrayList<>()));
        assertTrue(images.getMessage().contains("image 0 of gradient is planted-0 explained for class 0, but in this "
                + "run image 0 is planted-1"), images.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file), "a refused run appends nothing");
    }

    @Test
    void aFileThatIsNotAResultsFileIsRefusedAndLeftByteIdentical() throws Exception {
        // a mistyped --resume: notes whose last line has no line end, a config without a final newline (one line,
        // valid JSON), a CSV, a results file of another version, and a file with no line end at all
        Map<Path, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(dir.resolve("notes.txt"), "shopping\nmilk\neggs".getBytes(StandardCharsets.UTF_8));
        files.put(dir.resolve("config.json"), "{\"model\": \"x\", \"steps\": 3}".getBytes(StandardCharsets.UTF_8));
        files.put(dir.resolve("config2.json"), "{\"model\": \"x\"}\n{\"type\":\"image\"".getBytes(StandardCharsets.UTF_8));
        files.put(dir.resolve("table.csv"), "method,image\ngradient,0\n".getBytes(StandardCharsets.UTF_8));
        files.put(dir.resolve("future.jsonl"), ("{\"type\":\"header\",\"format\":\"" + ResultsLog.FORMAT
                + "\",\"version\":99}\n{\"type\":\"ima").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            Files.write(f.getKey(), f.getValue());
            Path file = f.getKey();
            IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                    () -> Evaluator.checkResumable(file));
            List<Counting> methods = methods();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(evaluator(0.05).resume(file), data.subList(0, 2), methods, new ArrayList<>()));
            assertEquals(early.getMessage(), e.getMessage());
            String m = e.getMessage();
            assertTrue(m.startsWith("results file " + file + " "), "names the file: " + m);
            if (file.endsWith("future.jsonl")) {
                assertTrue(m.contains("is of format version 99; this toolkit reads version 1"), "the problem: " + m);
                assertTrue(m.contains("It is left unchanged: resume it with the toolkit that wrote it, or give "
                        + "--resume another file name to start afresh"), "the fix: " + m);
            } else {
                assertTrue(m.contains("does not start with the header of an evaluate results file: "), "the problem: " + m);
                assertTrue(m.contains("It was not written by evaluate --resume, and it is left unchanged; give --resume "
                        + "a new file name (a missing file is created) or the results file of an earlier run"),
                        "the fix: " + m);
            }
            assertArrayEquals(f.getValue(), Files.readAllBytes(file), file + " is byte for byte as it was");
            assertEquals(0, methods.get(0).images + methods.get(1).images, "nothing was computed");
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Evaluator.checkResumable(dir)).getMessage()
                .contains("is a folder"));
        assertTrue(refusal(dir.resolve("notes.txt")).contains("line 1 is not the header of one (shopping)"));
        assertTrue(refusal(dir.resolve("config.json")).contains("its first line has no line end (26 bytes: {\"model\": "
                + "\"x\", \"steps\": 3})"), refusal(dir.resolve("config.json")));
        assertTrue(refusal(dir.resolve("table.csv")).contains("line 1 is not the header of one (method,image)"));
    }

    private static String refusal(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> Evaluator.checkResumable(file)).getMessage();
    }

    @Test
    void anEmptyFileIsStartedAfreshAndAMissingOneCreated() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        Evaluator.checkResumable(empty);
        Evaluator.checkResumable(dir.resolve("missing.jsonl"));
        Evaluator.Report a = run(evaluator(0.05).resume(empty), data.subList(0, 2), methods(), new ArrayList<>());
        Evaluator.Report b = run(evaluator(0.05).resume(dir.resolve("sub/missing.jsonl")), data.subList(0, 2),
                methods(), new ArrayList<>());
        assertSameReport(a, b);
        assertEquals(lines(dir.resolve("sub/missing.jsonl")).get(0), lines(empty).get(0), "the same header");
        assertEquals(pairs(dir.resolve("sub/missing.jsonl")), pairs(empty));
    }

    @Test
    void anIncompleteLastLineIsKeptWhenTheRunIsRefused() throws Exception {
        Path file = dir.resolve("r.jsonl");
        run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>());
        byte[] cut = Arrays.copyOf(Files.readAllBytes(file), Files.readAllBytes(file).length - 20);
        Files.write(file, cut);
        List<String> warnings = new ArrayList<>();
        assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.1).resume(file), data.subList(0, 2), methods(), warnings));
        assertArrayEquals(cut, Files.readAllBytes(file), "a refused run drops nothing either");
        // a damaged line before it: refused before the tail is touched
        List<String> lines = new ArrayList<>(List.of(new String(cut, StandardCharsets.UTF_8).split("\n", -1)));
        lines.set(2, "{\"type\":\"image\"");
        byte[] damaged = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        Files.write(file, damaged);
        assertThrows(IllegalArgumentException.class,
                () -> run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>()));
        assertArrayEquals(damaged, Files.readAllBytes(file));
    }

    @Test
    void aFileInUseIsRefused() throws Exception {
        Path file = dir.resolve("r.jsonl");
        JsonObject header = new JsonObject();
        header.addProperty("model", model.name());
        try (ResultsLog held = ResultsLog.open(file, header, 100, s -> {})) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> run(evaluator(0.05).resume(file), data.subList(0, 2), methods(), new ArrayList<>()));
            assertTrue(e.getMessage().contains("is being written by another evaluate run"), e.getMessage());
        }
    }

    @Test
    void twoMethodsOfOneNameAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator(0.05).evaluate(
                "planted", data.subList(0, 1), List.of(new VanillaGradient(model, 8), new VanillaGradient(model, 4)),
                true, s -> {}));
        assertTrue(e.getMessage().startsWith("two methods are named 'gradient'"), e.getMessage());
    }
}
