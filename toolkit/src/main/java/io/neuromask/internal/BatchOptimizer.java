package io.neuromask.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.Explanation;
import io.neuromask.Hyperparameters;
import io.neuromask.LossRecord;
import io.neuromask.RgbImage;
import io.neuromask.StopReason;
import io.neuromask.Target;
import io.neuromask.model.Classifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Optimises the masks of one batch: one forward and one backward pass of the whole batch per
 * iteration. All images of a batch share the Laplacian size and the iteration count; everything else
 * may differ per image. Native memory lives in one manager closed at the end, and each iteration's
 * temporaries in an {@link NDScope} closed at the end of the iteration.
 */
public final class BatchOptimizer {

    /** Told after every iteration. */
    public interface IterationHook {
        void afterIteration(int iterationsDone, int iterations, double meanLoss);
    }

    private BatchOptimizer() {}

    /**
     * Runs the optimisation.
     *
     * @param hps per image; all must share {@code laplacianSize} and {@code iterations}
     * @param cancelled polled before every iteration
     */
    public static List<Explanation> run(Classifier model, List<RgbImage> images, List<Target> targets,
            List<Hyperparameters> hps, long seed, IterationHook hook, BooleanSupplier cancelled) {
        synchronized (Autograd.LOCK) {
            return runLocked(model, images, targets, hps, seed, hook, cancelled);
        }
    }

    private static List<Explanation> runLocked(Classifier model, List<RgbImage> images, List<Target> targets,
            List<Hyperparameters> hps, long seed, IterationHook hook, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        int n = images.size();
        int h = model.inputHeight();
        int w = model.inputWidth();
        int classes = model.numClasses();
        int k = hps.get(0).laplacianSize();
        int iterations = hps.get(0).iterations();
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray pixels = manager.create(concatPixels(images, h, w), new Shape(n, 3, h, w));

            float[][] probsOriginal = softmaxRows(model.logits(pixels), n, classes);
            int[] predictedOriginal = new int[n];
            int[] target = new int[n];
            for (int i = 0; i < n; i++) {
                predictedOriginal[i] = argmax(probsOriginal[i]);
                target[i] = targets.get(i).isPredicted() ? predictedOriginal[i] : targets.get(i).resolve(model);
            }

            float[] oneHot = new float[n * classes];
            float[] invT = new float[n];
            float[] limit = new float[n];
            float[] lambdas = new float[n * 3];
            float[] lr = new float[n];
            float[] decay = new float[n];
            float[] eps = new float[n];
            float[] w0 = new float[n * h * w];
            float[] ms0 = new float[n * h * w];
            for (int i = 0; i < n; i++) {
                Hyperparameters hp = hps.get(i);
                oneHot[i * classes + target[i]] = 1f;
                invT[i] = (float) (1.0 / hp.temperature());
                limit[i] = (float) hp.initLimit();
                lambdas[3 * i] = (float) hp.lambdaPrediction();
                lambdas[3 * i + 1] = (float) hp.lambdaSparsity();
                lambdas[3 * i + 2] = (float) hp.lambdaSmoothness();
                lr[i] = (float) hp.learningRate();
                decay[i] = (float) hp.rmsDecay();
                eps[i] = (float) hp.rmsEpsilon();
                System.arraycopy(InitialWeights.uniform(seed, h, w, hp.initLimit()), 0, w0, i * h * w, h * w);
                java.util.Arrays.fill(ms0, i * h * w, (i + 1) * h * w, (float) hp.rmsInitialAccumulator());
            }
            Shape perImage = new Shape(n, 1, 1, 1);
            Shape maskShape = new Shape(n, 1, h, w);
            Objective objective = new Objective(model,
                    manager.create(oneHot, new Shape(n, classes)),
                    manager.create(invT, perImage),
                    manager.create(limit, perImage),
                    manager.create(lambdas, new Shape(n, 3)),
                    manager.create(Laplacian.kernel(k), Objective.kernelShape(k)));
            NDArray weights = manager.create(w0, maskShape);
            RmsProp optimizer = new RmsProp(manager.create(lr, perImage), manager.create(decay, perImage),
                    manager.create(eps, perImage), manager.create(ms0, maskShape));

            List<List<LossRecord>> history = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                history.add(new ArrayList<>());
            }
            double meanLoss = Double.NaN;
            for (int it = 0; it < iterations; it++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("NeuroMask optimisation cancelled after " + it + " of "
                            + iterations + " iterations");
                }
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray leaf = weights.duplicate();
                    leaf.setRequiresGradient(true);
                    Objective.Terms terms;
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        terms = objective.evaluate(pixels, leaf);
                        collector.backward(terms.total());
                    }
                    boolean log = it % hps.get(0).logEvery() == 0 || it == iterations - 1;
                    if (log) {
                        meanLoss = record(history, it, terms, target, n, classes);
                    }
                    optimizer.step(weights, leaf.getGradient());
                }
                hook.afterIteration(it + 1, iterations, meanLoss);
            }

            float[] masks;
            float[][] probsMasked;
            try (NDManager sub = manager.newSubManager()) {
                NDArray mask = objective.mask(weights);
                masks = mask.toFloatArray();
                probsMasked = softmaxRows(model.logits(pixels.mul(mask)), n, classes);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            List<Explanation> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] m = java.util.Arrays.copyOfRange(masks, i * h * w, (i + 1) * h * w);
                out.add(new Explanation(model.name(), images.get(i), m, target[i], model.labels().get(target[i]),
                        predictedOriginal[i], probsOriginal[i][target[i]], argmax(probsMasked[i]),
                        probsMasked[i][target[i]], history.get(i), iterations, wall, StopReason.COMPLETED, hps.get(i),
                        seed));
            }
            return out;
        }
    }

    private static double record(List<List<LossRecord>> history, int it, Objective.Terms terms, int[] target, int n,
            int classes) {
        float[] total = terms.perImage().toFloatArray();
        float[] pred = terms.prediction().toFloatArray();
        float[] sparse = terms.sparsity().toFloatArray();
        float[] smooth = terms.smoothness().toFloatArray();
        float[] maskMean = Objective.perImageMean(terms.mask()).toFloatArray();
        float[][] probs = softmaxRows(terms.logits(), n, classes);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            history.get(i).add(new LossRecord(it, total[i], pred[i], sparse[i], smooth[i], maskMean[i],
                    probs[i][target[i]]));
            sum += total[i];
        }
        return sum / n;
    }

    private static float[] concatPixels(List<RgbImage> images, int h, int w) {
        float[] all = new float[images.size() * 3 * h * w];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).toChw(), 0, all, i * 3 * h * w, 3 * h * w);
        }
        return all;
    }

    private static float[][] softmaxRows(NDArray logits, int n, int classes) {
        float[] flat = logits.softmax(1).toFloatArray();
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
        }
        return rows;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
