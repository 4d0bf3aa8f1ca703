package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.attribution.CenterBaseline;
import io.neuromask.data.LabeledImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator's loop stops between two chunks when its thread is interrupted (here from the progress callback
 * after the first chunk, so no timing is involved); the results file keeps the chunk done, and a resumed run computes
 * only the rest and reports what an uninterrupted run does.
 */
class EvaluatorInterruptTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void interruptStopsBetweenChunksAndTheRunResumes() throws Exception {
        EvaluatorResumeTest.setUp();
        try {
            List<LabeledImage> data = EvaluatorResumeTest.data;
            Path file = dir.resolve("results.jsonl");
            Evaluator evaluator = EvaluatorResumeTest.evaluator(0.25).resume(file);
            EvaluatorResumeTest.Counting center = new EvaluatorResumeTest.Counting(
                    new CenterBaseline(EvaluatorResumeTest.model));
            CancellationException e = assertThrows(CancellationException.class, () -> evaluator.evaluate("planted",
                    data, List.of(center), true, line -> {
                        if (line.startsWith("center: 2/")) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertTrue(e.getMessage().contains("evaluation of center after 2 of " + data.size() + " images")
                    && e.getMessage().contains("resume"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set");
            Thread.interrupted();
            assertEquals(2, center.images, "one chunk of 2 of " + data.size() + " images was attributed");
            long lines = Files.readAllLines(file).stream().filter(l -> l.contains("\"type\":\"image\"")).count();
            assertEquals(2, lines, "the results file keeps the chunk done");

            EvaluatorResumeTest.Counting resumed = new EvaluatorResumeTest.Counting(
                    new CenterBaseline(EvaluatorResumeTest.model));
            Evaluator.Report report = evaluator.evaluate("planted", data, List.of(resumed), true, line -> {});
            assertEquals(data.size() - 2, resumed.images, "the resumed run computes only the rest");
            EvaluatorResumeTest.Counting whole = new EvaluatorResumeTest.Counting(
                    new CenterBaseline(EvaluatorResumeTest.model));
            Evaluator.Report once = EvaluatorResumeTest.evaluator(0.25).evaluate("planted", data, List.of(whole), true,
                    line -> {});
            assertEquals(once.methods().get(0).metrics(), report.methods().get(0).metrics());
        } finally {
            Thread.interrupted();
            EvaluatorResumeTest.tearDown();
        }
    }

    @Test
    void interruptWhileWritingTheResultsFileIsACancellation() {
        Path file = dir.resolve("log.jsonl");
        com.google.gson.JsonObject header = new com.google.gson.JsonObject();
        header.addProperty("model", "m");
        double[] values = new double[ResultsLog.VALUES.size()];
        java.util.Arrays.fill(values, 0.5);
        try (ResultsLog log = ResultsLog.open(file, header, 2, line -> {})) {
            log.method("center", java.util.Map.of());
            Thread.currentThread().interrupt(); // an interrupted thread's file channel write is refused (and closed)
            CancellationException e = assertThrows(CancellationException.class, () -> log.add(
                    new ResultsLog.Entry("center", 0, "a", 1, 0.1, values, null, 0)));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("interrupted"),
                    e.getMessage());
            assertTrue(e.getCause() instanceof java.nio.channels.ClosedByInterruptException, String.valueOf(e.getCause()));
        } finally {
            Thread.interrupted();
        }
        try (ResultsLog again = ResultsLog.open(file, header, 2, line -> {})) {
            assertTrue(again.done("center").isEmpty(), "the file reopens; the interrupted line is not there");
        }
    }
}
