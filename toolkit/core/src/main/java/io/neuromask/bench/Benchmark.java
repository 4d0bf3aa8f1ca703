package io.neuromask.bench;

import io.neuromask.NeuroMask;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures NeuroMask's time per iteration against the model's own forward+backward pass (gradient
 * with respect to the input) on the same batch, in the same process, after a warm-up.
 */
public final class Benchmark {

    /**
     * @param msPerIteration NeuroMask's steady-state time per iteration for the whole batch
     * @param modelMsPerIteration the model's forward+backward for the same batch
     * @param explanationsPerSecond images explained per second of a whole {@code explain} call
     * @param cpuMsPerIteration the process's CPU time per steady-state NeuroMask iteration (all threads, NaN where the
     *     JVM cannot tell): with one libtorch thread, the time an iteration takes on a CPU of its own, which other load
     *     on a shared machine disturbs much less than the elapsed time
     */
    public record Result(double msPerIteration, double modelMsPerIteration, double explanationsPerSecond,
            double cpuMsPerIteration) {
        /** NeuroMask time over model time. */
        public double overhead() {
            return msPerIteration / modelMsPerIteration;
        }
    }

    private static final int ROUNDS = 5;

    private Benchmark() {}

    /** Seeded uniform-noise images of the model's input size. */
    public static List<RgbImage> randomImages(Classifier model, int count, long seed) {
        return RgbImage.uniformNoise(count, model.inputHeight(), model.inputWidth(), seed);
    }

    /**
     * Runs {@value #ROUNDS} rounds of NeuroMask and model timing, alternating, after one warm-up of each,
     * and reports the best (smallest) time of each: the least disturbed by other load on the machine.
     */
    public static Result run(Classifier model, NeuroMaskObjective hp, int batch, List<RgbImage> images) {
        io.neuromask.internal.NativeAllocator.tune(model.device()); // the same allocator settings for both measurements
        MaskEngine warm = NeuroMask.builder().model(model).objective(hp.withIterations(3)).batchSize(batch).build();
        warm.explain(images);
        modelMsPerIteration(model, batch, 3);
        double[] nm = new double[ROUNDS];
        double[] md = new double[ROUNDS];
        double[] eps = new double[ROUNDS];
        double[] cpu = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long[] marks = new long[hp.iterations() + 1];
            long[] cpuMarks = new long[hp.iterations() + 1];
            MaskEngine explainer = NeuroMask.builder().model(model).objective(hp).batchSize(batch)
                    .progress(p -> {
                        marks[p.iteration()] = System.nanoTime();
                        cpuMarks[p.iteration()] = processCpuNanos();
                    }).build();
            long start = System.nanoTime();
            explainer.explain(images);
            long end = System.nanoTime();
            // steady state: from the end of iteration 1 to the end of the last one
            nm[r] = (marks[hp.iterations()] - marks[1]) / 1e6 / (hp.iterations() - 1);
            cpu[r] = cpuMarks[1] < 0 || cpuMarks[hp.iterations()] < 0 ? Double.NaN : (cpuMarks[hp.iterations()] - cpuMarks[1]) / 1e6 / (hp.iterations() - 1);
            eps[r] = images.size() / ((end - start) / 1e9);
            md[r] = modelMsPerIteration(model, batch, hp.iterations());
        }
        return new Result(min(nm), min(md), max(eps), min(cpu));
    }

    /**
     * The CPU time of this process so far, all threads (on Linux in clock ticks of 10 ms: a round spans many), or -1
     * where the platform does not report it.
     */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** The model's forward pass plus the backward pass to the input, per iteration, for one batch. */
    public static double modelMsPerIteration(Classifier model, int batch, int iterations) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray pixels = manager.randomUniform(0, 1, new Shape(batch, 3, model.inputHeight(), model.inputWidth()));
            long start = 0;
            for (int it = 0; it <= iterations; it++) {
                if (it == 1) {
                    start = System.nanoTime();
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray leaf = pixels.duplicate();
                    leaf.setRequiresGradient(true);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        collector.backward(model.logits(leaf).sum());
                    }
                    leaf.getGradient();
                }
            }
            return (System.nanoTime() - start) / 1e6 / iterations;
        }
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
