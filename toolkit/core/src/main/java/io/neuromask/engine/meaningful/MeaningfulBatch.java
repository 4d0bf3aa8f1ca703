package io.neuromask.engine.meaningful;

import io.neuromask.engine.Game;
import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import io.neuromask.internal.PerImage;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.neuromask.internal.GaussianBlur;
import io.neuromask.internal.Rows;
import io.neuromask.internal.Upsampling;
import java.util.List;

/** {@link MeaningfulPerturbation} as a {@link MaskBatch}: parameters are the low-resolution masks {@code m}. */
final class MeaningfulBatch implements MaskBatch {

    private final MaskBatch.Context context;
    private final MeaningfulPerturbation settings;
    private final NDArray pixels;
    private final NDArray blurred;
    private final NDArray oneHot;
    private final NDArray lambdaArea;
    private final NDArray lambdaSmoothness;
    private final Upsampling upsampling;
    private final NDArray one;
    private final NDArray beta;
    private final int tiePool;

    private MeaningfulBatch(MaskBatch.Context context, MeaningfulPerturbation settings, NDArray pixels,
            NDArray blurred, NDArray oneHot, NDArray lambdaArea, NDArray lambdaSmoothness, Upsampling upsampling,
            NDArray one, NDArray beta, int tiePool) {
        this.context = context;
        this.settings = settings;
        this.pixels = pixels;
        this.blurred = blurred;
        this.oneHot = oneHot;
        this.lambdaArea = lambdaArea;
        this.lambdaSmoothness = lambdaSmoothness;
        this.upsampling = upsampling;
        this.one = one;
        this.beta = beta;
        this.tiePool = tiePool;
    }

    static MeaningfulBatch start(MaskBatch.Context context, List<MeaningfulPerturbation> perImage) {
        MeaningfulPerturbation first = perImage.get(0);
        int n = perImage.size();
        int h = context.model().inputHeight();
        int w = context.model().inputWidth();
        int classes = context.model().numClasses();
        NDManager manager = context.manager();
        float[] pix = context.pixels().toFloatArray();
        float[] blur = new float[pix.length];
        float[] oneHot = new float[n * classes];
        float[] la = new float[n];
        float[] ls = new float[n];
        int size = 3 * h * w;
        for (int i = 0; i < n; i++) {
            MeaningfulPerturbation mp = perImage.get(i);
            float[] img = java.util.Arrays.copyOfRange(pix, i * size, (i + 1) * size);
            System.arraycopy(GaussianBlur.blur(img, 3, h, w, mp.blurSigma()), 0, blur, i * size, size);
            oneHot[i * classes + context.targets()[i]] = 1f;
            la[i] = (float) mp.lambdaArea();
            ls[i] = (float) mp.lambdaSmoothness();
        }
        int s = first.maskSize();
        return new MeaningfulBatch(context, first, context.pixels(), manager.create(blur, new Shape(n, 3, h, w)),
                manager.create(oneHot, new Shape(n, classes)), manager.create(la), manager.create(ls),
                new Upsampling(manager, s, s, h, w), manager.create(1f), manager.create((float) first.tvBeta()),
                Math.max(3, 2 * (Math.max(h, w) / s) + 1));
    }

    @Override
    public int rowsPerImage() {
        return 1;
    }

    @Override
    public NDArray initialParameters() {
        int s = settings.maskSize();
        return context.manager().ones(new Shape(pixels.getShape().get(0), 1, s, s));
    }

    @Override
    public Step evaluate(NDArray m, int iteration) {
        NDArray keep = upsampling.apply(m);
        NDArray logits = context.model().logits(perturb(keep));
        NDArray p = logits.softmax(1).mul(oneHot).sum(new int[] {1});
        boolean delete = settings.game() == Game.DELETE;
        NDArray prediction = delete ? p : one.sub(p);
        NDArray area = PerImage.mean((delete ? one.sub(m) : m).abs()).mul(lambdaArea);
        NDArray dy = m.get(":, :, 1:, :").sub(m.get(":, :, :-1, :")).abs();
        NDArray dx = m.get(":, :, :, 1:").sub(m.get(":, :, :, :-1")).abs();
        NDArray tv = PerImage.mean(dy.pow(beta)).add(PerImage.mean(dx.pow(beta)));
        NDArray smoothness = tv.mul(lambdaSmoothness);
        NDArray perImage = prediction.add(area).add(smoothness);
        NDArray saliency = delete ? one.sub(keep) : keep;
        return new Step(saliency, null, List.of(prediction, area, smoothness), perImage, perImage.sum());
    }

    private NDArray perturb(NDArray keep) {
        return pixels.mul(keep).add(blurred.mul(one.sub(keep)));
    }

    @Override
    public void project(NDArray parameters) {
        parameters.set(new NDIndex(":"), parameters.clip(0, 1));
    }

    @Override
    public NDArray saliency(NDArray parameters) {
        NDArray keep = upsampling.apply(parameters);
        return settings.game() == Game.DELETE ? one.sub(keep) : keep;
    }

    /** The saliency averaged over a window of about two mask cells: deeper inside a saturated region ranks higher. */
    @Override
    public NDArray tieBreak(NDArray parameters) {
        int r = tiePool / 2;
        return Pool.avgPool2d(saliency(parameters), new Shape(tiePool, tiePool), new Shape(1, 1), new Shape(r, r),
                false, false);
    }

    @Override
    public NDArray keptLogits(NDArray saliency) {
        return context.model().logits(perturb(saliency));
    }

    @Override
    public MaskBatch select(NDArray images) {
        return new MeaningfulBatch(context, settings, Rows.of(pixels, images), Rows.of(blurred, images),
                Rows.of(oneHot, images), Rows.of(lambdaArea, images), Rows.of(lambdaSmoothness, images), upsampling,
                one, beta, tiePool);
    }
}
