package io.neuromask.engine;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Chooses NeuroMask's batch size by measuring: on a CPU the batch with the best per-image time per iteration
 * (batches 1, 2, 4, … 64, stopping once a batch is 10 % slower per image than the best so far); on a GPU the
 * largest batch, up to 1024, whose iteration fits in memory (doubling until the device reports out of memory).
 * The choice is cached per model, device, input size and Laplacian size for the life of the JVM.
 */
public final class AutoBatchSize {

    /**
     * @param batchSize the chosen batch size
     * @param msPerImage measured milliseconds per image per iteration for each batch size tried
     * @param reason how the choice was made, in words
     */
    public record Choice(int batchSize, Map<Integer, Double> msPerImage, String reason) {}

    /** Largest batch tried on a CPU (beyond it, per-image time only flattens). */
    public static final int CPU_MAX = 64;
    /** Largest batch tried on a GPU. */
    public static final int GPU_MAX = 1024;

    private static final int TIMED_ITERATIONS = 3;
    private static final Map<String, Choice> CACHE = new ConcurrentHashMap<>();

    private AutoBatchSize() {}

    /** The cached choice for this model and objective (its batch shape), measuring it on first use. */
    public static Choice choose(Classifier model, MaskObjective<?> hp, Consumer<String> log) {
        String key = model.name() + "@" + model.device() + ":" + model.inputHeight() + "x" + model.inputWidth() + ":"
                + hp.shortened(1).withLogEvery(1).batchKey();
        return CACHE.computeIfAbsent(key, k -> measure(model, hp, log));
    }

    /** Times one batch size: milliseconds per image per iteration. */
    @FunctionalInterface
    interface BatchTimer {
        double msPerImage(int batch);
    }

    /** Measures without the cache. */
    public static Choice measure(Classifier model, MaskObjective<?> hp, Consumer<String> log) {
        return measure(model.device(), batch -> msPerImage(model, hp, batch), log);
    }

    /** The search over batch sizes, with the timing injected (tests give fake timings). */
    static Choice measure(Device device, BatchTimer timer, Consumer<String> log) {
        boolean gpu = device.isGpu();
        Map<Integer, Double> times = new LinkedHashMap<>();
        int best = 1;
        for (int b = 1; b <= (gpu ? GPU_MAX : CPU_MAX); b *= 2) {
            double ms;
            try {
                ms = timer.msPerImage(b);
            } catch (EngineException e) {
                if (gpu && String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("out of memory")) {
                    log.accept(String.format(Locale.ROOT, "batch %d: out of memory", b));
                    return new Choice(best, Collections.unmodifiableMap(times),
                            "largest batch that fits on " + device + " (batch " + b + " ran out of memory)");
                }
                throw e;
            }
            times.put(b, ms);
            log.accept(String.format(Locale.ROOT, "batch %d: %.3f ms per image per iteration", b, ms));
            if (gpu) {
                best = b;
            } else if (ms < times.get(best)) {
                best = b;
            } else if (ms > 1.10 * times.get(best)) {
                break;
            }
        }
        String reason = gpu ? "largest batch tried on " + device + " (" + GPU_MAX + ")"
                : String.format(Locale.ROOT, "best per-image time on %s: %.3f ms", device, times.get(best));
        return new Choice(best, Collections.unmodifiableMap(times), reason);
    }

    private static double msPerImage(Classifier model, MaskObjective<?> hp, int batch) {
        List<RgbImage> images = RgbImage.uniformNoise(batch, model.inputHeight(), model.inputWidth(), 7);
        int iterations = TIMED_ITERATIONS + 2;
        long[] marks = new long[iterations + 1];
        MaskEngine.builder().model(model).objective(hp.shortened(iterations)).batchSize(batch)
                .progress(p -> marks[p.iteration()] = System.nanoTime()).build().explain(images);
        double best = Double.MAX_VALUE;
        for (int i = 3; i <= iterations; i++) { // iterations 1-2 warm up
            best = Math.min(best, (marks[i] - marks[i - 1]) / 1e6);
        }
        return best / batch;
    }
}
