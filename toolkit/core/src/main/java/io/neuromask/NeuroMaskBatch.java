package io.neuromask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.internal.InitialWeights;
import io.neuromask.internal.Objective;
import java.util.List;

/** {@link Hyperparameters} as a {@link MaskBatch}: parameters are the full-resolution weights {@code w}. */
final class NeuroMaskBatch implements MaskBatch {

    private final MaskBatch.Context context;
    private final Objective objective;
    private final NDArray pixels;
    private final NDArray initial;

    private NeuroMaskBatch(MaskBatch.Context context, Objective objective, NDArray pixels, NDArray initial) {
        this.context = context;
        this.objective = objective;
        this.pixels = pixels;
        this.initial = initial;
    }

    static NeuroMaskBatch start(MaskBatch.Context context, List<? extends MaskObjective> perImage) {
        int n = perImage.size();
        int classes = context.model().numClasses();
        int h = context.model().inputHeight();
        int w = context.model().inputWidth();
        NDManager manager = context.manager();
        float[] oneHot = new float[n * classes];
        float[] invT = new float[n];
        float[] limit = new float[n];
        float[] lambdas = new float[n * 3];
        float[] w0 = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            Hyperparameters hp = (Hyperparameters) perImage.get(i);
            oneHot[i * classes + context.targets()[i]] = 1f;
            invT[i] = (float) (1.0 / hp.temperature());
            limit[i] = (float) hp.initLimit();
            lambdas[3 * i] = (float) hp.lambdaPrediction();
            lambdas[3 * i + 1] = (float) hp.lambdaSparsity();
            lambdas[3 * i + 2] = (float) hp.lambdaSmoothness();
            float[] start = InitialWeights.uniform(context.seed(), h, w, hp.initSpread() * hp.initLimit());
            if (hp.initCentre() != 0) {
                float centre = (float) hp.initCentre();
                for (int j = 0; j < start.length; j++) {
                    start[j] += centre;
                }
            }
            System.arraycopy(start, 0, w0, i * h * w, h * w);
        }
        Shape perRow = new Shape(n, 1, 1, 1);
        Objective objective = new Objective(context.model(), manager.create(oneHot, new Shape(n, classes)),
                manager.create(invT, perRow), manager.create(limit, perRow), manager.create(lambdas, new Shape(n, 3)),
                ((Hyperparameters) perImage.get(0)).laplacianSize());
        return new NeuroMaskBatch(context, objective, context.pixels(), manager.create(w0, new Shape(n, 1, h, w)));
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
        Objective.Terms t = objective.evaluate(pixels, parameters);
        return new Step(t.mask(), t.logits(), List.of(t.prediction(), t.sparsity(), t.smoothness()), t.perImage(),
                t.total());
    }

    @Override
    public NDArray saliency(NDArray parameters) {
        return objective.mask(parameters);
    }

    @Override
    public NDArray tieBreak(NDArray parameters) {
        return parameters;
    }

    @Override
    public NDArray keptLogits(NDArray saliency) {
        return context.model().logits(pixels.mul(saliency));
    }

    @Override
    public MaskBatch select(NDArray images) {
        return new NeuroMaskBatch(context, objective.select(images), pixels.get(images), initial);
    }
}
