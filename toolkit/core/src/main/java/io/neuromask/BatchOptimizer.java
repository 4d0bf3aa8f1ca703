package io.neuromask;

import io.neuromask.internal.Autograd;
import io.neuromask.internal.InitialWeights;
import io.neuromask.internal.NativeAllocator;
import io.neuromask.internal.Objective;
import io.neuromask.internal.RmsProp;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.base.Classifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Optimises the masks of one batch: one forward and one backward pass of the whole batch per
 * iteration. All images of a batch share the Laplacian size, the iteration count and the logging
 * interval; everything else may differ per image. With {@link EarlyStopping}, finished images leave
 * the batch. Native memory lives in one manager closed at the end, and each iteration's temporaries
 * in an {@link NDScope} closed at the end of the iteration.
 */
final class BatchOptimizer {

    /** Told after every iteration. */
    public interface IterationHook {
        void afterIteration(int iterationsDone, int iterations, int activeImages, double meanLoss);
    }

    private final Classifier model;
    private final List<RgbImage> images;
    private final List<Hyperparameters> hps;
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

    private BatchOptimizer(Classifier model, List<RgbImage> images, List<Hyperparameters> hps, long seed,
            EarlyStopping stopping) {
        this.model = model;
        this.images = images;
        this.hps = hps;
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
    }

    /**
     * Runs the optimisation.
     *
     * @param hps per image; all must share {@code laplacianSize}, {@code iterations} and {@code logEvery}
     * @param cancelled polled before every iteration
     */
    public static List<Explanation> run(Classifier model, List<RgbImage> images, List<Target> targets,
            List<Hyperparameters> hps, long seed, EarlyStopping stopping, IterationHook hook,
            BooleanSupplier cancelled) {
        NativeAllocator.tune();
        synchronized (Autograd.LOCK) {
            return new BatchOptimizer(model, images, hps, seed, stopping).optimise(targets, hook, cancelled);
        }
    }

    private List<Explanation> optimise(List<Target> targets, IterationHook hook, BooleanSupplier cancelled) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        int iterations = hps.get(0).iterations();
        int logEvery = hps.get(0).logEvery();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray pixels = manager.create(concatPixels(h, w), new Shape(n, 3, h, w));
            float[][] probs = softmaxRows(model.logits(pixels), n);
            for (int i = 0; i < n; i++) {
                probsOriginal[i] = probs[i];
                predictedOriginal[i] = argmax(probs[i]);
                target[i] = targets.get(i).isPredicted() ? predictedOriginal[i] : targets.get(i).resolve(model);
            }
            Objective objective = createObjective(manager);
            NDArray weights = initialWeights(manager, h, w);
            RmsProp optimizer = createOptimizer(manager, h, w);
            int[] rows = new int[n]; // batch row -> image index
            Arrays.setAll(rows, i -> i);
            NDArray previousMask = stopping.enabled() ? objective.mask(weights) : null;

            double meanLoss = Double.NaN;
            for (int it = 0; it < iterations && rows.length > 0; it++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("NeuroMask optimisation cancelled after " + it + " of "
                            + iterations + " iterations");
                }
                boolean[] finished = null;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray leaf = weights.duplicate();
                    leaf.setRequiresGradient(true);
                    Objective.Terms terms;
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        terms = objective.evaluate(pixels, leaf);
                        collector.backward(terms.total());
                    }
                    if (it % logEvery == 0 || it == iterations - 1) {
                        meanLoss = record(it, terms, rows);
                    }
                    if (stopping.enabled() && it > 0 && it % stopping.patience() == 0) {
                        NDArray mask = terms.mask().stopGradient();
                        finished = settled(mask, previousMask, terms.logits(), rows);
                        NDScope.unregister(mask);
                        previousMask.close();
                        previousMask = mask;
                    }
                    if (finished != null && anyTrue(finished)) {
                        finish(rows, finished, terms, it, StopReason.EARLY_STOPPED);
                    }
                    optimizer.step(weights, leaf.getGradient());
                }
                if (finished != null && anyTrue(finished)) {
                    int[] keep = indicesOf(finished, false);
                    NDArray keepRows = manager.create(Arrays.stream(keep).asLongStream().toArray());
                    pixels = pixels.get(keepRows);
                    weights = weights.get(keepRows);
                    objective = objective.select(keepRows);
                    optimizer = optimizer.select(keepRows);
                    previousMask = previousMask.get(keepRows);
                    int[] oldRows = rows;
                    rows = Arrays.stream(keep).map(j -> oldRows[j]).toArray();
                }
                hook.afterIteration(it + 1, iterations, rows.length, meanLoss);
            }
            if (rows.length > 0) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray mask = objective.mask(weights);
                    NDArray logits = model.logits(pixels.mul(mask));
                    boolean[] all = new boolean[rows.length];
                    Arrays.fill(all, true);
                    finish(rows, all, new Objective.Terms(mask, logits, null, null, null, null, null), iterations,
                            StopReason.COMPLETED);
                }
            }
            return Arrays.asList(results);
        }
    }

    /** Which rows keep the target and whose mask moved by less than epsilon (mean |Δm|) since the last check. */
    private boolean[] settled(NDArray mask, NDArray previousMask, NDArray logits, int[] rows) {
        int m = rows.length;
        float[] change = Objective.perImageMean(mask.sub(previousMask).abs()).toFloatArray();
        float[] lg = logits.toFloatArray();
        boolean[] done = new boolean[m];
        for (int j = 0; j < m; j++) {
            boolean kept = argmax(Arrays.copyOfRange(lg, j * classes, (j + 1) * classes)) == target[rows[j]];
            done[j] = kept && change[j] < stopping.epsilon();
        }
        return done;
    }

    /** Builds the explanations of the given rows from their current mask and masked logits. */
    private void finish(int[] rows, boolean[] which, Objective.Terms terms, int iterationsRun, StopReason reason) {
        int hw = model.inputHeight() * model.inputWidth();
        float[] masks = terms.mask().toFloatArray();
        float[][] probs = softmaxRows(terms.logits(), rows.length);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        for (int j = 0; j < rows.length; j++) {
            if (!which[j]) {
                continue;
            }
            int i = rows[j];
            float[] mask = Arrays.copyOfRange(masks, j * hw, (j + 1) * hw);
            results[i] = new Explanation(model.name(), images.get(i), mask, target[i], model.labels().get(target[i]),
                    predictedOriginal[i], probsOriginal[i][target[i]], argmax(probs[j]), probs[j][target[i]],
                    history.get(i), iterationsRun, wall, reason, hps.get(i), seed,
                    model.device().toString());
        }
    }

    private Objective createObjective(NDManager manager) {
        int k = hps.get(0).laplacianSize();
        float[] oneHot = new float[n * classes];
        float[] invT = new float[n];
        float[] limit = new float[n];
        float[] lambdas = new float[n * 3];
        for (int i = 0; i < n; i++) {
            Hyperparameters hp = hps.get(i);
            oneHot[i * classes + target[i]] = 1f;
            invT[i] = (float) (1.0 / hp.temperature());
            limit[i] = (float) hp.initLimit();
            lambdas[3 * i] = (float) hp.lambdaPrediction();
            lambdas[3 * i + 1] = (float) hp.lambdaSparsity();
            lambdas[3 * i + 2] = (float) hp.lambdaSmoothness();
        }
        Shape perImage = new Shape(n, 1, 1, 1);
        return new Objective(model, manager.create(oneHot, new Shape(n, classes)), manager.create(invT, perImage),
                manager.create(limit, perImage), manager.create(lambdas, new Shape(n, 3)),
                k);
    }

    private NDArray initialWeights(NDManager manager, int h, int w) {
        float[] w0 = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(InitialWeights.uniform(seed, h, w, hps.get(i).initSpread() * hps.get(i).initLimit()), 0, w0, i * h * w, h * w);
        }
        return manager.create(w0, new Shape(n, 1, h, w));
    }

    private RmsProp createOptimizer(NDManager manager, int h, int w) {
        float[] lr = new float[n];
        float[] decay = new float[n];
        float[] eps = new float[n];
        float[] ms0 = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            Hyperparameters hp = hps.get(i);
            lr[i] = (float) hp.learningRate();
            decay[i] = (float) hp.rmsDecay();
            eps[i] = (float) hp.rmsEpsilon();
            Arrays.fill(ms0, i * h * w, (i + 1) * h * w, (float) hp.rmsInitialAccumulator());
        }
        Shape perImage = new Shape(n, 1, 1, 1);
        return new RmsProp(manager.create(lr, perImage), manager.create(decay, perImage), manager.create(eps, perImage),
                manager.create(ms0, new Shape(n, 1, h, w)));
    }

    private double record(int it, Objective.Terms terms, int[] rows) {
        float[] total = terms.perImage().toFloatArray();
        float[] pred = terms.prediction().toFloatArray();
        float[] sparse = terms.sparsity().toFloatArray();
        float[] smooth = terms.smoothness().toFloatArray();
        float[] maskMean = Objective.perImageMean(terms.mask()).toFloatArray();
        float[][] probs = softmaxRows(terms.logits(), rows.length);
        double sum = 0;
        for (int j = 0; j < rows.length; j++) {
            int i = rows[j];
            history.get(i).add(new LossRecord(it, total[j], pred[j], sparse[j], smooth[j], maskMean[j],
                    probs[j][target[i]]));
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
}
