package io.neuromask.engine.neuromask;

import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.neuromask.internal.GaussianBlur;
import io.neuromask.internal.InitialWeights;
import io.neuromask.internal.Upsampling;
import java.util.List;

/**
 * {@link NeuroMaskObjective} as a {@link MaskBatch}: parameters are the weights {@code w}, one per pixel or (with
 * {@code maskStride} s &gt; 1) one per cell of a {@code ceil(H/s) × ceil(W/s)} grid. With a coarse-to-fine schedule
 * the batch starts on the {@code coarseStride} grid and {@link #refine}s, before iteration {@code coarseIterations},
 * to one weight per pixel: the coarse mask {@code m} becomes the weights {@code T·logit(m)}.
 */
final class NeuroMaskBatch implements MaskBatch {


    private final MaskBatch.Context context;
    private final NeuroMaskLoss objective;
    private final NDArray pixels;
    private final NDArray initial;
    private final int switchAt; // the coarse phase's end; -1: none (left)

    private NeuroMaskBatch(MaskBatch.Context context, NeuroMaskLoss objective, NDArray pixels, NDArray initial,
            int switchAt) {
        this.context = context;
        this.objective = objective;
        this.pixels = pixels;
        this.initial = initial;
        this.switchAt = switchAt;
    }

    static NeuroMaskBatch start(MaskBatch.Context context, List<NeuroMaskObjective> perImage) {
        int n = perImage.size();
        int classes = context.model().numClasses();
        int h = context.model().inputHeight();
        int w = context.model().inputWidth();
        NDManager manager = context.manager();
        NeuroMaskObjective first = perImage.get(0); // the batch key makes these parts common
        checkGrid(first, h, w);
        int stride = first.coarseIterations() > 0 ? first.coarseStride() : first.maskStride();
        int gh = ceilDiv(h, stride);
        int gw = ceilDiv(w, stride);
        float[] oneHot = new float[n * classes];
        float[] invT = new float[n];
        float[] limit = new float[n];
        float[] lambdas = new float[n * 3];
        float[] w0 = new float[n * gh * gw];
        for (int i = 0; i < n; i++) {
            NeuroMaskObjective hp = perImage.get(i);
            oneHot[i * classes + context.targets()[i]] = 1f;
            invT[i] = (float) (1.0 / hp.temperature());
            limit[i] = (float) hp.initLimit();
            lambdas[3 * i] = (float) hp.lambdaPrediction();
            lambdas[3 * i + 1] = (float) hp.lambdaSparsity();
            lambdas[3 * i + 2] = (float) hp.lambdaSmoothness();
            float[] start = InitialWeights.uniform(context.seed(), gh, gw, hp.initSpread() * hp.initLimit());
            if (hp.initCentre() != 0) {
                float centre = (float) hp.initCentre();
                for (int j = 0; j < start.length; j++) {
                    start[j] += centre;
                }
            }
            System.arraycopy(start, 0, w0, i * gh * gw, gh * gw);
        }
        Shape perRow = new Shape(n, 1, 1, 1);
        NDArray lambdaDeletion = null;
        if (first.lambdaDeletion() > 0) {
            float[] ld = new float[n];
            for (int i = 0; i < n; i++) {
                ld[i] = (float) perImage.get(i).lambdaDeletion();
            }
            lambdaDeletion = manager.create(ld, new Shape(n));
        }
        NDArray baseline = null;
        if (first.baseline() == NeuroMaskObjective.Baseline.BLUR) {
            float[] all = context.pixels().toFloatArray();
            int per = 3 * h * w;
            float[] blurred = new float[all.length];
            for (int i = 0; i < n; i++) {
                float[] one = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
                System.arraycopy(GaussianBlur.insertionStart(one, h, w), 0, blurred, i * per, per);
            }
            baseline = manager.create(blurred, context.pixels().getShape());
        }
        NeuroMaskLoss objective = new NeuroMaskLoss(context.model(), manager.create(oneHot, new Shape(n, classes)),
                manager.create(invT, perRow), manager.create(limit, perRow), manager.create(lambdas, new Shape(n, 3)),
                first.laplacianSize(), lambdaDeletion, baseline,
                first.smoothnessBorder() == NeuroMaskObjective.Border.REPLICATE,
                stride == 1 ? null : new Upsampling(manager, gh, gw, h, w));
        return new NeuroMaskBatch(context, objective, context.pixels(), manager.create(w0, new Shape(n, 1, gh, gw)),
                first.coarseIterations() > 0 ? first.coarseIterations() : -1);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Refuses a stride larger than the image, and (with the VALID border) a grid smaller than the Laplacian, whose
     * VALID convolution would have no window centre.
     */
    static void checkGrid(NeuroMaskObjective objective, int height, int width) {
        checkGrid(objective, objective.maskStride(), "maskStride", height, width);
        if (objective.coarseIterations() > 0) {
            checkGrid(objective, objective.coarseStride(), "coarseStride", height, width);
        }
    }

    private static void checkGrid(NeuroMaskObjective objective, int stride, String setting, int height, int width) {
        if (stride > Math.min(height, width)) {
            throw new IllegalArgumentException(setting + " " + stride + " is larger than the model's " + width + "x"
                    + height + " input: choose a stride of at most " + Math.min(height, width)
                    + " (1 = one weight per pixel)");
        }
        int k = objective.laplacianSize();
        int side = Math.min(ceilDiv(height, stride), ceilDiv(width, stride));
        if (objective.smoothnessBorder() == NeuroMaskObjective.Border.VALID && side < k) {
            throw new IllegalArgumentException(setting + " " + stride + " leaves a grid of " + ceilDiv(width, stride)
                    + "x" + ceilDiv(height, stride) + " weights, smaller than the " + k + "x" + k
                    + " Laplacian of the VALID smoothness term: choose a stride of at most "
                    + Math.min(height, width) / k + " or set smoothnessBorder=replicate");
        }
    }

    @Override
    public int rowsPerImage() {
        return 1;
    }

    @Override
    public NDArray initialParameters() {
        return initial;
    }

    @Override
    public Step evaluate(NDArray parameters, int iteration) {
        NeuroMaskLoss.Terms t = objective.evaluate(pixels, parameters);
        List<NDArray> terms = t.deletion() == null ? List.of(t.prediction(), t.sparsity(), t.smoothness())
                : List.of(t.prediction(), t.deletion(), t.sparsity(), t.smoothness());
        return new Step(t.mask(), t.logits(), terms, t.perImage(), t.total());
    }

    @Override
    public NDArray saliency(NDArray parameters) {
        return objective.mask(parameters);
    }

    /** The weights behind the mask, at the image's resolution. */
    @Override
    public NDArray tieBreak(NDArray parameters) {
        return objective.atImageResolution(parameters);
    }

    @Override
    public NDArray keptLogits(NDArray saliency) {
        return context.model().logits(objective.preserved(pixels, saliency));
    }

    @Override
    public MaskBatch select(NDArray images) {
        return new NeuroMaskBatch(context, objective.select(images), pixels.get(images), initial, switchAt);
    }

    /** At the coarse phase's end, one weight per pixel: {@code T·logit} of the coarse mask. */
    @Override
    public Refinement refine(NDArray parameters, int iteration) {
        if (iteration != switchAt) {
            return null;
        }
        NDArray weights;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            weights = objective.weightsOf(objective.mask(parameters));
            NDScope.unregister(weights);
        }
        return new Refinement(new NeuroMaskBatch(context, objective.onGrid(null), pixels, weights, -1), weights);
    }
}
