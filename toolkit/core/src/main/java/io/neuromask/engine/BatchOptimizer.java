package io.neuromask.engine;

import io.neuromask.internal.PerImage;
import io.neuromask.model.Threads;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.internal.Autograd;
import io.neuromask.internal.NativeAllocator;
import io.neuromask.internal.OptimizerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Optimises the masks of one batch for any {@link MaskObjective}: one forward and one backward pass of the
 * whole batch per iteration. All images of a batch share the objective's {@link MaskObjective#batchKey()};
 * everything else may differ per image. With {@link EarlyStopping}, finished images leave the batch. Native
 * memory lives in one manager closed at the end, and each iteration's temporaries in an {@link NDScope}
 * closed at the end of the iteration.
 */
final class BatchOptimizer {

    /** Told after every iteration. */
    public interface IterationHook {
        void afterIteration(int iterationsDone, int iterations, int activeImages, double meanLoss);
    }

    private final Classifier model;
    private final List<RgbImage> images;
    private final List<? extends MaskObjective<?>> objectives;
    private final Optimizer optimizerOverride;
    private final long seed;
    private final EarlyStopping stopping;
    private final int n;
    private final int classes;
    private final long start = System.nanoTime();
    private final int[] target;
    private final int[] predictedOriginal;
    private final float[][] probsOriginal;
    private final List<List<LossRecord>> history = new ArrayList<>();
    private final Explanation[] results;
    private final MaskEvolution.Recorder[] recorders;

    private BatchOptimizer(Classifier model, List<RgbImage> images, List<? extends MaskObjective<?>> objectives,
            Optimizer optimizerOverride, long seed, EarlyStopping stopping, int recordEvery) {
        this.model = model;
        this.images = images;
        this.objectives = objectives;
        this.optimizerOverride = optimizerOverride;
        this.seed = seed;
        this.stopping = stopping;
        this.n = images.size();
        this.classes = model.numClasses();
        this.target = new int[n];
        this.predictedOriginal = new int[n];
        this.probsOriginal = new float[n][];
        this.results = new Explanation[n];
        for (int i = 0; i < n; i++) {
            history.add(new ArrayList<>());
        }
        this.recorders = recordEvery > 0 ? new MaskEvolution.Recorder[n] : null;
        for (int i = 0; recorders != null && i < n; i++) {
            recorders[i] = new MaskEvolution.Recorder(recordEvery, model.inputHeight(), model.inputWidth());
        }
    }

    /**
     * Runs the optimisation.
     *
     * @param objectives per image; all of one class and {@link MaskObjective#batchKey()}
     * @param optimizer the optimiser for every image, or {@code null} for each objective's own
     * @param cancelled polled before every iteration
     * @param recordEvery record the mask every this many iterations ({@link MaskEvolution}), 0 for never
     */
    public static List<Explanation> run(Classifier model, List<RgbImage> images, List<Target> targets,
            List<? extends MaskObjective<?>> objectives, Optimizer optimizer, long seed, EarlyStopping stopping,
            IterationHook hook, BooleanSupplier cancelled, int recordEvery) {
        NativeAllocator.tune(model.device());
        synchronized (Autograd.LOCK) {
            return new BatchOptimizer(model, images, objectives, optimizer, seed, stopping, recordEvery)
                    .optimise(targets, hook, cancelled);
        }
    }

    private Optimizer optimizerOf(int image) {
        return optimizerOverride != null ? optimizerOverride : objectives.get(image).optimizer();
    }

    private List<Explanation> optimise(List<Target> targets, IterationHook hook, BooleanSupplier cancelled) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        MaskObjective<?> first = objectives.get(0);
        int iterations = first.iterations();
        int logEvery = first.logEvery();
        try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray pixels = manager.create(concatPixels(h, w), new Shape(n, 3, h, w));
            // the model's own answer, in passes like the iterations': DJL frees a forward pass's intermediate arrays
            // with their scope only (without one they stayed for the whole optimisation: 1 GB for 25 images at 224²)
            float[][] probs = new float[n][];
            int chunk = (int) Math.max(1, Math.min(n, Passes.pixelsPerPass(model.device()) / ((long) h * w)));
            for (int from = 0; from < n; from += chunk) {
                int to = Math.min(n, from + chunk);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray part = chunk >= n ? pixels : pixels.get(from + ":" + to);
                    System.arraycopy(softmaxRows(model.logits(part), to - from), 0, probs, from, to - from);
                }
            }
            for (int i = 0; i < n; i++) {
                probsOriginal[i] = probs[i];
                predictedOriginal[i] = argmax(probs[i]);
                target[i] = targets.get(i).isPredicted() ? predictedOriginal[i] : targets.get(i).resolve(model);
            }
            MaskBatch batch = start(first, new MaskBatch.Context(model, pixels, target.clone(), seed, manager),
                    objectives);
            int k = batch.rowsPerImage();
            NDArray weights = batch.initialParameters();
            OptimizerState optimizer = Optimizers.start(allOptimizers(), k, weights, manager);
            int[] rows = new int[n]; // batch image -> image index
            Arrays.setAll(rows, i -> i);
            NDArray startWeights = weights;
            Passes passes = Passes.of(batch, n, h, w, model.device(), manager);
            Passes startPasses = passes;
            NDArray previousMask = stopping.enabled() ? kept(() -> startPasses.saliency(startWeights)) : null;

            double meanLoss = Double.NaN;
            for (int it = 0; it < iterations && rows.length > 0; it++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("mask optimisation (" + first.name() + ") cancelled after " + it
                            + " of " + iterations + " iterations");
                }
                MaskBatch.Refinement refined = batch.refine(weights, it);
                if (refined != null) {
                    batch = refined.batch();
                    weights = refined.parameters();
                    passes = Passes.of(batch, rows.length, h, w, model.device(), manager);
                    optimizer = Optimizers.start(optimizersOf(rows), k, weights, manager);
                }
                Threads.adapt(model.device(), (long) rows.length * k * h * w);
                boolean[] finished = null;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    Passes.Result evaluated = passes.evaluate(weights, it);
                    MaskBatch.Step step = evaluated.step();
                    if (it % logEvery == 0 || it == iterations - 1) {
                        meanLoss = record(it, step, rows);
                    }
                    if (recorders != null && recorders[rows[0]].wants(it)) {
                        float[] masks = step.saliency().toFloatArray();
                        for (int j = 0; j < rows.length; j++) {
                            recorders[rows[j]].record(it, masks, j * h * w);
                        }
                    }
                    if (stopping.enabled() && it > 0 && it % stopping.patience() == 0) {
                        NDArray mask = step.saliency().stopGradient();
                        finished = settled(mask, previousMask, step.logits(), rows);
                        NDScope.unregister(mask);
                        previousMask.close();
                        previousMask = mask;
                    }
                    if (finished != null && anyTrue(finished)) {
                        NDArray mask = step.saliency().stopGradient();
                        finish(rows, finished, mask, step.logits() != null ? step.logits() : passes.keptLogits(mask),
                                passes.tieBreak(weights), it, StopReason.EARLY_STOPPED);
                    }
                    optimizer.step(weights, evaluated.gradient());
                    batch.project(weights);
                }
                if (finished != null && anyTrue(finished)) {
                    int[] keep = indicesOf(finished, false);
                    NDArray keepImages = manager.create(Arrays.stream(keep).asLongStream().toArray());
                    NDArray keepRows = manager.create(Arrays.stream(keep)
                            .flatMap(j -> java.util.stream.IntStream.range(j * k, j * k + k)).asLongStream().toArray());
                    weights = weights.get(keepRows);
                    batch = batch.select(keepImages);
                    passes = Passes.of(batch, keep.length, h, w, model.device(), manager);
                    optimizer = optimizer.select(keepRows);
                    previousMask = previousMask.get(keepImages);
                    int[] oldRows = rows;
                    rows = Arrays.stream(keep).map(j -> oldRows[j]).toArray();
                }
                hook.afterIteration(it + 1, iterations, rows.length, meanLoss);
            }
            if (rows.length > 0) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray mask = passes.saliency(weights);
                    NDArray logits = passes.keptLogits(mask);
                    boolean[] all = new boolean[rows.length];
                    Arrays.fill(all, true);
                    finish(rows, all, mask, logits, passes.tieBreak(weights), iterations, StopReason.COMPLETED);
                }
            }
            return Arrays.asList(results);
        }
    }

    /** The result of {@code computation}, whose intermediate arrays are freed at once. */
    private static NDArray kept(java.util.function.Supplier<NDArray> computation) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            result = computation.get();
            NDScope.unregister(result);
        }
        return result;
    }

    private List<Optimizer> allOptimizers() {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return optimizersOf(all);
    }

    /** The optimiser of each of these images. */
    private List<Optimizer> optimizersOf(int[] images) {
        List<Optimizer> out = new ArrayList<>(images.length);
        for (int i : images) {
            out.add(optimizerOf(i));
        }
        return out;
    }

    /**
     * Which rows' masks moved by less than epsilon (mean |Δm|) since the last check and, where the objective
     * reports logits, still keep the target.
     */
    private boolean[] settled(NDArray mask, NDArray previousMask, NDArray logits, int[] rows) {
        int m = rows.length;
        float[] change = PerImage.mean(mask.sub(previousMask).abs()).toFloatArray();
        float[] lg = logits == null ? null : logits.toFloatArray();
        boolean[] done = new boolean[m];
        for (int j = 0; j < m; j++) {
            boolean kept = lg == null
                    || argmax(Arrays.copyOfRange(lg, j * classes, (j + 1) * classes)) == target[rows[j]];
            done[j] = kept && change[j] < stopping.epsilon();
        }
        return done;
    }

    /** Builds the explanations of the given rows from their saliency, kept logits and tie-break scores. */
    private void finish(int[] rows, boolean[] which, NDArray saliency, NDArray logits, NDArray tieBreak,
            int iterationsRun, StopReason reason) {
        int hw = model.inputHeight() * model.inputWidth();
        float[] masks = saliency.toFloatArray();
        float[] ties = tieBreak.toFloatArray();
        float[][] probs = softmaxRows(logits, rows.length);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        for (int j = 0; j < rows.length; j++) {
            if (!which[j]) {
                continue;
            }
            int i = rows[j];
            float[] mask = Arrays.copyOfRange(masks, j * hw, (j + 1) * hw);
            float[] tie = Arrays.copyOfRange(ties, j * hw, (j + 1) * hw);
            results[i] = Explanation.builder(model.name(), images.get(i), mask).tieBreak(tie)
                    .target(target[i], model.labels().get(target[i]))
                    .original(predictedOriginal[i], probsOriginal[i][target[i]])
                    .masked(argmax(probs[j]), probs[j][target[i]])
                    .run(history.get(i), iterationsRun, wall, reason)
                    .objective(objectives.get(i), optimizerOf(i)).seed(seed).device(model.device().toString())
                    .build().withTargetRank(rank(probsOriginal[i], target[i]));
            if (recorders != null) {
                results[i] = results[i].withEvolution(recorders[i].finish(iterationsRun, mask));
            }
        }
    }

    /** 1 + the number of classes more probable than {@code target}. */
    static int rank(float[] probs, int target) {
        int above = 0;
        for (float p : probs) {
            if (p > probs[target]) {
                above++;
            }
        }
        return above + 1;
    }

    private double record(int it, MaskBatch.Step step, int[] rows) {
        float[] total = step.perImage().toFloatArray();
        List<String> names = objectives.get(rows[0]).termNames();
        List<float[]> terms = new ArrayList<>();
        for (NDArray t : step.terms()) {
            terms.add(t.toFloatArray());
        }
        float[] maskMean = PerImage.mean(step.saliency()).toFloatArray();
        float[][] probs = step.logits() == null ? null : softmaxRows(step.logits(), rows.length);
        double sum = 0;
        for (int j = 0; j < rows.length; j++) {
            int i = rows[j];
            Map<String, Double> values = new LinkedHashMap<>();
            for (int t = 0; t < names.size(); t++) {
                values.put(names.get(t), (double) terms.get(t)[j]);
            }
            history.get(i).add(new LossRecord(it, total[j], values, maskMean[j],
                    probs == null ? Double.NaN : probs[j][target[i]]));
            sum += total[j];
        }
        return sum / rows.length;
    }

    private float[] concatPixels(int h, int w) {
        float[] all = new float[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.get(i).toChw(), 0, all, i * 3 * h * w, 3 * h * w);
        }
        return all;
    }

    private float[][] softmaxRows(NDArray logits, int rows) {
        float[] flat = logits.softmax(1).toFloatArray();
        float[][] out = new float[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
        }
        return out;
    }

    private static boolean anyTrue(boolean[] v) {
        for (boolean b : v) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private static int[] indicesOf(boolean[] v, boolean value) {
        return java.util.stream.IntStream.range(0, v.length).filter(i -> v[i] == value).toArray();
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The batch of objectives that share {@code first}'s class and batch key (the planner groups them so): the one
     * unchecked step, so that each objective's {@code start} gets its own type.
     */
    @SuppressWarnings("unchecked")
    private static <O extends MaskObjective<O>> MaskBatch start(MaskObjective<O> first, MaskBatch.Context context,
            List<? extends MaskObjective<?>> objectives) {
        for (MaskObjective<?> o : objectives) {
            if (o.getClass() != first.getClass()) {
                throw new IllegalStateException("a batch mixes " + first.getClass().getSimpleName() + " and "
                        + o.getClass().getSimpleName());
            }
        }
        return first.start(context, (List<O>) objectives);
    }
}
