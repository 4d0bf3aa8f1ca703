package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.TestMirror;
import io.neuromask.kernel.ToolkitClasspath;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --resume}: a run killed (SIGKILL, {@code destroyForcibly}) twice and resumed reports exactly what an
 * uninterrupted run reports, with each (method, image) once in the file; other settings are refused; {@code --ties}.
 * Each run is its own {@code java} process on ResNet20 and the first CIFAR-10 test images from the mirror.
 */
class EvaluateResumeCliTest {

    @TempDir
    Path tmp;

    /** Cheap methods: the gradient, NeuroMask with few iterations (long enough to be killed in), and center. */
    private static final List<String> ARGS = List.of("evaluate", "--model", "cifar10-resnet20", "--data", "cifar10-test",
            "--limit", "6", "--chunk", "2", "--methods", "gradient,neuromask", "--iterations", "300",
            "--step-fraction", "0.1", "--device", "cpu", "--json");

    private static final int PAIRS = 3 * 6; // gradient, neuromask and center on 6 images

    private Process start(Path resume, Path out, Path err) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dneuromask.cache=" + System.getProperty("neuromask.cache", tmp.resolve("cache").toString()),
                "-cp", ToolkitClasspath.current().stream().map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator)), "io.neuromask.cli.Main"));
        cmd.addAll(ARGS);
        cmd.addAll(List.of("--resume", resume.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("NEUROMASK_MIRROR", TestMirror.path().toString());
        pb.environment().remove("NEUROMASK_PROGRESS");
        return pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** Runs to the end and returns the JSON report; fails with stderr when the run fails. */
    private JsonObject complete(Path resume, String name) throws Exception {
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        Process p = start(resume, out, err);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("evaluate did not finish in 10 minutes: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        return JsonParser.parseString(Files.readString(out)).getAsJsonObject();
    }

    /**
     * Starts a run and kills it (SIGKILL) as soon as the file holds an image line of {@code method}, polling the file;
     * returns the number of complete image lines after the kill.
     */
    private int killOnceWritten(Path resume, String method, String name) throws Exception {
        Path out = tmp.resolve(name + ".out");
        Path err = tmp.resolve(name + ".err");
        Process p = start(resume, out, err);
        try {
            while (imageLines(resume, method) == 0) {
                if (!p.isAlive()) {
                    throw new AssertionError("evaluate ended (exit " + p.exitValue() + ") before writing a result of "
                            + method + ": " + Files.readString(err));
                }
                Thread.sleep(5); // the polling interval, not an assertion
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the killed process ends");
        int lines = imageLines(resume, null);
        assertTrue(lines < PAIRS, "the run was killed before it finished (" + lines + " of " + PAIRS + " results); "
                + "make it longer if this fails");
        return lines;
    }

    /** Complete image lines in the file (of {@code method}, or of all methods when null); an incomplete tail ignored. */
    private static int imageLines(Path file, String method) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file);
        int count = 0;
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (line.contains("\"type\":\"image\"") && (method == null || line.contains("\"method\":\"" + method + "\""))) {
                count++;
            }
        }
        return count;
    }

    /** Each image line's fields but its seconds, by "method#image"; fails when a pair appears twice. */
    private static Map<String, JsonObject> results(Path file) throws IOException {
        Map<String, JsonObject> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.get("type").getAsString().equals("image")) {
                o.remove("seconds");
                String key = o.get("method").getAsString() + "#" + o.get("image").getAsInt();
                assertFalse(out.containsKey(key), key + " appears twice in " + file);
                out.put(key, o);
            }
        }
        return out;
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
    void aRunKilledTwiceAndResumedReportsWhatAnUninterruptedRunDoes() throws Exception {
        Path reference = tmp.resolve("reference.jsonl");
        JsonObject uninterrupted = complete(reference, "reference");
        assertEquals(PAIRS, results(reference).size());

        Path resumed = tmp.resolve("resumed.jsonl");
        int first = killOnceWritten(resumed, "gradient", "kill1");
        int gradientDone = imageLines(resumed, "gradient");
        int second = killOnceWritten(resumed, "neuromask", "kill2");
        assertTrue(second >= first, first + " then " + second);
        String secondErr = Files.readString(tmp.resolve("kill2.err"));
        assertTrue(secondErr.contains("evaluate: resuming: " + gradientDone + " of 6 images of gradient already done"),
                secondErr);

        JsonObject finished = complete(resumed, "final");
        String finalErr = Files.readString(tmp.resolve("final.err"));
        assertTrue(finalErr.contains("evaluate: resuming: 6 of 6 images of gradient already done"), finalErr);

        Map<String, JsonObject> got = results(resumed);
        assertEquals(PAIRS, got.size(), "each (method, image) exactly once: " + got.keySet());
        assertEquals(results(reference), got, "every image's results equal the uninterrupted run's");
        assertEquals(uninterrupted.get("images"), finished.get("images"));
        assertEquals(withoutSeconds(uninterrupted), withoutSeconds(finished));
        assertEquals(uninterrupted.get("mask_objectives"), finished.get("mask_objectives"));
    }

    /** Gradient (and center) on two planted images, deletion/insertion step 0.1 unless {@code extra} gives one. */
    private static String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--model", "test-planted-32", "--data", "test-planted-32",
                "--methods", "gradient", "--limit", "2", "--json"));
        if (!List.of(extra).contains("--step-fraction")) {
            a.addAll(List.of("--step-fraction", "0.1"));
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Runs in this JVM; returns {exit code, stdout, stderr}. */
    private static String[] runHere(String... args) {
        return io.neuromask.cli.InProcessCli.run(args);
    }

    @Test
    void aMistypedResumeFileIsRefusedAndLeftByteIdentical() throws Exception {
        Path notes = tmp.resolve("notes.txt");
        byte[] notesBytes = "meeting at 10\nbring the slides\nlast line, no newline".getBytes(StandardCharsets.UTF_8);
        Files.write(notes, notesBytes);
        Path config = tmp.resolve("config.json");
        byte[] configBytes = "{\"model\": \"test-planted-32\", \"limit\": 2}".getBytes(StandardCharsets.UTF_8);
        Files.write(config, configBytes);
        for (Path file : List.of(notes, config)) {
            byte[] before = Files.readAllBytes(file);
            String[] r = runHere(args("--resume", file.toString()));
            assertEquals("1", r[0], r[2]);
            assertTrue(r[2].contains("error: results file " + file + " does not start with the header of an evaluate "
                    + "results file: "), "names the file and the problem: " + r[2]);
            assertTrue(r[2].contains("give --resume a new file name (a missing file is created) or the results file "
                    + "of an earlier run"), "names the fix: " + r[2]);
            assertEquals("", r[1], "no report");
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), file + " is byte for byte as it was");
        }
        assertTrue(java.util.Arrays.equals(notesBytes, Files.readAllBytes(notes)));
        assertTrue(java.util.Arrays.equals(configBytes, Files.readAllBytes(config)));
    }

    @Test
    void otherSettingsAreRefusedAndTiesAreChosen() throws Exception {
        Path file = tmp.resolve("planted.jsonl");
        String[] first = runHere(args("--resume", file.toString()));
        assertEquals("0", first[0], first[2]);
        JsonObject report = JsonParser.parseString(first[1]).getAsJsonObject();
        assertEquals("break", report.get("ties").getAsString(), "the default");
        byte[] before = Files.readAllBytes(file);

        String[] step = runHere(args("--resume", file.toString(), "--step-fraction", "0.2"));
        assertEquals("1", step[0], step[2]);
        assertTrue(step[2].contains("error: results file " + file + " holds results for step_fraction = 0.1, but this "
                + "run has step_fraction = 0.2; resume with the same settings"), step[2]);

        String[] ties = runHere(args("--resume", file.toString(), "--ties", "raster"));
        assertEquals("1", ties[0], ties[2]);
        assertTrue(ties[2].contains("ties = \"break\", but this run has ties = \"raster\""), ties[2]);
        assertEquals(List.of(new String(before, StandardCharsets.UTF_8)),
                List.of(Files.readString(file)), "refused runs append nothing");

        String[] again = runHere(args("--resume", file.toString()));
        assertEquals("0", again[0], again[2]);
        assertTrue(again[2].contains("evaluate: resuming: 2 of 2 images of gradient already done"), again[2]);
        assertEquals(report.getAsJsonArray("methods").size(),
                JsonParser.parseString(again[1]).getAsJsonObject().getAsJsonArray("methods").size());

        String[] raster = runHere(args("--ties", "raster"));
        assertEquals("0", raster[0], raster[2]);
        assertEquals("raster", JsonParser.parseString(raster[1]).getAsJsonObject().get("ties").getAsString());
        String[] bad = runHere(args("--ties", "first"));
        assertEquals("1", bad[0], bad[2]);
        assertTrue(bad[2].contains("unknown ties mode 'first'; use 'break'"), bad[2]);
    }
}
