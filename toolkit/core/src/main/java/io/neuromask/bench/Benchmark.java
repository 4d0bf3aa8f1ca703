package io.neuromask.bench;

import io.neuromask.NeuroMask;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.util.Arrays;
import java.util.List;

/**
 * Measures a mask objective's time per iteration (NeuroMask's or any other) against the model's own forward and
 * backward pass (gradient with respect to the input) over the same model inputs, in the same process, after a
 * warm-up, and the process's peak resident memory while the objective runs.
 *
 * <p>The floor is the model's forward and backward pass over exactly what the objective feeds it per iteration: an
 * objective may run the model on several inputs per image (extremal perturbation: one per target area) and the
 * engine may split a batch into passes ({@code io.neuromask.engine.Passes}); both are counted by watching the
 * model's calls, so the floor covers the same number of inputs in passes of the same size.
 */
public final class Benchmark {

    /**
     * @param msPerIteration the objective's steady-state time per iteration for the whole batch
     * @param modelMsPerIteration the model's forward+backward pass over the same inputs, in passes of the same size
     * @param explanationsPerSecond images explained per second of a whole {@code explain} call (of the benchmark's
     *     iterations, set-up included)
     * @param modelInputsPerIteration images the model sees per iteration (batch × inputs per image)
     * @param passesPerIteration forward and backward passes of the model per iteration
     * @param peakRssMb the process's peak resident memory while the objective ran, in MiB, after freed native
     *     memory was handed back to the system; NaN where unknown (not Linux)
     * @param cpuMsPerIteration the process's CPU time per steady-state iteration (all threads, NaN where the JVM cannot
     *     tell): with one libtorch thread, the time an iteration takes on a CPU of its own, which other load on a
     *     shared machine disturbs much less than the elapsed time
     */
    public record Result(double msPerIteration, double modelMsPerIteration, double explanationsPerSecond,
            int modelInputsPerIteration, int passesPerIteration, double peakRssMb, double cpuMsPerIteration) {

        /** Objective time over model time. */
        public double overhead() {
            return msPerIteration / modelMsPerIteration;
        }

        /** Seconds per image for a run of {@code iterations} steps in batches of {@code batch}, from the steady state. */
        public double secondsPerImage(int iterations, int batch) {
            return msPerIteration * iterations / batch / 1000;
        }
    }

    private static final int ROUNDS = 5;

    private Benchmark() {}

    /** Seeded uniform-noise images of the model's input size. */
    public static List<RgbImage> randomImages(Classifier model, int count, long seed) {
        return RgbImage.uniformNoise(count, model.inputHeight(), model.inputWidth(), seed);
    }

    /**
     * {@link #run(Classifier, MaskObjective, int, List, int)} with {@value #ROUNDS} rounds.
     *
     * @param objective the objective with the benchmark's iteration count (at least 2)
     */
    public static Result run(Classifier model, MaskObjective<?> objective, int batch, List<RgbImage> images) {
        return run(model, objective, batch, images, ROUNDS);
    }

    /**
     * Runs {@code rounds} rounds of the objective and of the model's own pass, alternating, after one warm-up of
     * each, and reports the best (smallest) time of each: the least disturbed by other load on the machine.
     *
     * @param objective the objective with the benchmark's iteration count (at least 2)
     */
    public static Result run(Classifier model, MaskObjective<?> objective, int batch, List<RgbImage> images,
            int rounds) {
        int iterations = objective.iterations();
        if (iterations < 2) {
            throw new IllegalArgumentException("a benchmark needs at least 2 iterations, got " + iterations);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("a benchmark needs at least 1 round, got " + rounds);
        }
        io.neuromask.internal.NativeAllocator.tune(model.device()); // the same allocator settings for both
        CountingClassifier counting = new CountingClassifier(model);
        // a warm-up of 3 iterations, the model's calls counted between the ends of the second and third
        int[] callMarks = new int[4];
        NeuroMask.builder().model(counting).objective(objective.shortened(3)).batchSize(batch)
                .progress(p -> callMarks[p.iteration()] = counting.calls().size()).build().explain(images);
        int[] passSizes = counting.calls().subList(callMarks[2], callMarks[3]).stream().mapToInt(Integer::intValue)
                .toArray();
        int passes = passSizes.length;
        if (passes < 1) {
            throw new IllegalStateException("the objective did not run the model in an iteration; a benchmark "
                    + "times the model's forward and backward pass against it");
        }
        int inputs = Arrays.stream(passSizes).sum();
        modelMsPerIteration(model, passSizes, 2);
        PeakRss.reset();
        double[] objectiveMs = new double[rounds];
        double[] modelMs = new double[rounds];
        double[] eps = new double[rounds];
        double[] cpu = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long[] marks = new long[iterations + 1];
            long[] cpuMarks = new long[iterations + 1];
            MaskEngine explainer = NeuroMask.builder().model(model).objective(objective).batchSize(batch)
                    .progress(p -> {
                        marks[p.iteration()] = System.nanoTime();
                        cpuMarks[p.iteration()] = processCpuNanos();
                    }).build();
            long start = System.nanoTime();
            explainer.explain(images);
            long end = System.nanoTime();
            // steady state: from the end of iteration 1 to the end of the last one
            objectiveMs[r] = (marks[iterations] - marks[1]) / 1e6 / (iterations - 1);
            cpu[r] = cpuMarks[1] < 0 || cpuMarks[iterations] < 0 ? Double.NaN
                    : (cpuMarks[iterations] - cpuMarks[1]) / 1e6 / (iterations - 1);
            eps[r] = images.size() / ((end - start) / 1e9);
            modelMs[r] = modelMsPerIteration(model, passSizes, iterations);
        }
        return new Result(min(objectiveMs), min(modelMs), max(eps), inputs, passes, PeakRss.peakMb(), min(cpu));
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
        return modelMsPerIteration(model, new int[] {batch}, iterations);
    }

    /** The model's forward and backward pass to the input over passes of the given sizes, per iteration. */
    public static double modelMsPerIteration(Classifier model, int[] passSizes, int iterations) {
        Engine engine = Engine.getEngine("PyTorch");
        int largest = Arrays.stream(passSizes).max().orElseThrow();
        try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray pixels = manager.randomUniform(0, 1, new Shape(largest, 3, model.inputHeight(),
                    model.inputWidth()));
            long start = 0;
            for (int it = 0; it <= iterations; it++) {
                if (it == 1) {
                    start = System.nanoTime();
                }
                for (int size : passSizes) {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        NDArray leaf = (size == largest ? pixels : pixels.get("0:" + size)).duplicate();
                        leaf.setRequiresGradient(true);
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            collector.backward(model.logits(leaf).sum());
                        }
                        leaf.getGradient();
                    }
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
