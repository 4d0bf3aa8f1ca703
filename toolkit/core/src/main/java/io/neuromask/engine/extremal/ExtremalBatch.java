package io.neuromask.engine.extremal;

import io.neuromask.engine.Game;
import io.neuromask.engine.MaskBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.neuromask.internal.BlurPyramid;
import io.neuromask.internal.Rows;
import io.neuromask.internal.SmoothMaxMask;
import java.util.List;

/** {@link ExtremalPerturbation} as a {@link MaskBatch}: one parameter row per image and target area. */
final class ExtremalBatch implements MaskBatch {

    private final MaskBatch.Context context;
    private final ExtremalPerturbation settings;
    private final int areas;
    private final SmoothMaxMask generator;
    private final BlurPyramid pyramid;      // one per image
    private final NDArray rowOneHot;        // rows×C
    private final AreaConstraint area;
    private final NDArray one;

    private ExtremalBatch(MaskBatch.Context context, ExtremalPerturbation settings, SmoothMaxMask generator,
            BlurPyramid pyramid, NDArray rowOneHot, AreaConstraint area, NDArray one) {
        this.context = context;
        this.settings = settings;
        this.areas = settings.areas().size();
        this.generator = generator;
        this.pyramid = pyramid;
        this.rowOneHot = rowOneHot;
        this.area = area;
        this.one = one;
    }

    static ExtremalBatch start(MaskBatch.Context context, ExtremalPerturbation settings, int n) {
        int h = context.model().inputHeight();
        int w = context.model().inputWidth();
        int classes = context.model().numClasses();
        int k = settings.areas().size();
        NDManager manager = context.manager();
        float[] pix = context.pixels().toFloatArray();
        float[][] chw = new float[n][];
        for (int i = 0; i < n; i++) {
            chw[i] = java.util.Arrays.copyOfRange(pix, i * 3 * h * w, (i + 1) * 3 * h * w);
        }
        BlurPyramid pyramid = BlurPyramid.of(manager, chw, 3, h, w, settings.levels(), settings.maxBlur());
        SmoothMaxMask generator = new SmoothMaxMask(manager, h, w, settings.step(), settings.sigma());
        int full = generator.fullArea();
        float[] oneHot = new float[n * k * classes];
        int[] ones = new int[n * k];
        for (int r = 0; r < n * k; r++) {
            oneHot[r * classes + context.targets()[r / k]] = 1f;
            // TorchRay counts the area over the mask with its margin (260² at 224², so its masks cover about 1.35·a
            // of the image); we count a of the image's pixels, so that area a means a fraction a of the image
            ones[r] = (int) (h * w * settings.areas().get(r % k));
        }
        return new ExtremalBatch(context, settings, generator, pyramid,
                manager.create(oneHot, new Shape(n * k, classes)), AreaConstraint.of(manager, full, ones),
                manager.create(1f));
    }

    @Override
    public int rowsPerImage() {
        return areas;
    }

    /**
     * No more images than the smooth-max mask can keep its exponentials for (one at 224² with three areas): its
     * backward pass then skips its costliest operation, and the batch holds less memory (batch 10 at 224², one libtorch
     * thread: 1907 against 2047 CPU-ms per iteration, 0.9 against 1.1 GB, measured). No limit where the engine sets
     * none (a GPU).
     */
    @Override
    public int imagesPerPass(long pixels, int height, int width) {
        int fit = MaskBatch.super.imagesPerPass(pixels, height, width);
        if (pixels == Long.MAX_VALUE) {
            return fit;
        }
        long kept = SmoothMaxMask.KEEP_BYTES / ((long) areas * generator.exponentialBytesPerMask());
        return (int) Math.max(1, Math.min(fit, kept));
    }

    @Override
    public NDArray initialParameters() {
        int[] s = generator.parameterShape();
        long rows = rowOneHot.getShape().get(0);
        return context.manager().ones(new Shape(rows, 1, s[0], s[1]));
    }

    @Override
    public Step evaluate(NDArray parameters, int iteration) {
        // the smooth maximum is computed outside autograd (its graph would hold 81 mask-sized tensors per row);
        // autograd starts from it, and the engine finishes the chain rule with the generator's backward pass
        SmoothMaxMask.Pass pass = generator.forward(parameters);
        NDArray smooth = pass.mask();
        smooth.setRequiresGradient(true);
        NDArray full = smooth.clip(0, 1);
        NDArray mask = generator.cropped(full);
        NDArray x;
        switch (settings.game()) {
            case PRESERVE -> x = pyramid.apply(mask, areas);
            case DELETE -> x = pyramid.apply(one.sub(mask), areas);
            default -> x = pyramid.apply(mask, areas).concat(pyramid.apply(one.sub(mask), areas), 0);
        }
        if (settings.jitter() && iteration % 2 == 0) {
            x = x.flip(3);
        }
        NDArray logits = context.model().logits(x);
        long rows = rowOneHot.getShape().get(0);
        NDArray reward;
        if (settings.game() == Game.DUAL) {
            NDArray kept = logits.get(new NDIndex("0:" + rows)).mul(rowOneHot).sum(new int[] {1});
            NDArray deleted = logits.get(new NDIndex(rows + ":")).mul(rowOneHot).sum(new int[] {1});
            reward = kept.sub(deleted);
        } else {
            NDArray score = logits.mul(rowOneHot).sum(new int[] {1});
            reward = settings.game() == Game.DELETE ? score.neg() : score;
        }
        double weight = settings.regularizerWeight() * Math.pow(settings.regularizerGrowth(), iteration);
        NDArray lambda = context.manager().create((float) weight);
        NDArray regul = area.penalty(full.reshape(rows, -1)).mul(lambda);
        NDArray rewardTerm = perImageSum(reward.neg());
        NDArray areaTerm = perImageSum(regul);
        NDArray perImage = rewardTerm.add(areaTerm);
        return new Step(perImageMean(mask), null, List.of(rewardTerm, areaTerm), perImage, perImage.sum(),
                new ManualBackward(smooth, pass::backward));
    }

    private NDArray perImageSum(NDArray perRow) {
        return perRow.reshape(-1, areas).sum(new int[] {1});
    }

    /** rows×1×H×W to images×1×H×W, the mean over each image's areas. */
    private NDArray perImageMean(NDArray perRow) {
        Shape s = perRow.getShape();
        return perRow.reshape(-1, areas, s.get(2), s.get(3)).mean(new int[] {1}, true);
    }

    @Override
    public void project(NDArray parameters) {
        parameters.set(new NDIndex(":"), parameters.clip(0, 1));
    }

    @Override
    public NDArray saliency(NDArray parameters) {
        return perImageMean(generator.cropped(generator.full(parameters, true)));
    }

    @Override
    public NDArray tieBreak(NDArray parameters) {
        return perImageMean(generator.cropped(generator.full(parameters, false)));
    }

    @Override
    public NDArray keptLogits(NDArray saliency) {
        return context.model().logits(pyramid.apply(saliency));
    }

    @Override
    public MaskBatch select(NDArray images) {
        long[] keep = images.toLongArray();
        long[] rows = new long[keep.length * areas];
        for (int j = 0; j < keep.length; j++) {
            for (int a = 0; a < areas; a++) {
                rows[j * areas + a] = keep[j] * areas + a;
            }
        }
        NDArray r = context.manager().create(rows);
        return new ExtremalBatch(context, settings, generator, pyramid.select(images), Rows.of(rowOneHot, r),
                area.select(r), one);
    }
}
