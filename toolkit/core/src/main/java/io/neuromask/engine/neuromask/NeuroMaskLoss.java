package io.neuromask.engine.neuromask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import io.neuromask.base.Classifier;
import io.neuromask.internal.Upsampling;
import io.neuromask.model.MemoryLayout;

/**
 * The NeuroMask objective for a batch, each image with its own λ, T and limit. Every tensor here is
 * per image, and the batch total is the plain sum of per-image losses, so the gradient of one image's
 * weights depends on that image alone.
 *
 * <p>The weights are one per pixel, or (with an {@link Upsampling}, {@code NeuroMaskObjective.maskStride} above 1)
 * a coarser grid: the mask is then the sigmoid of the grid upsampled bilinearly to the image, the sparsity term the
 * image-resolution mean of the upsampled {@code |w + limit|}, and the smoothness term the Laplacian of the grid in
 * pixel units: divided by the cell's area {@code s²} ({@link Upsampling#cellArea()}).
 */
public final class NeuroMaskLoss {

    /** Per-image terms of one evaluation; every array has shape (N). */
    public record Terms(
            NDArray mask, NDArray logits, NDArray prediction, NDArray deletion, NDArray sparsity, NDArray smoothness,
            NDArray perImage, NDArray total) {}

    private final Classifier model;
    private final NDArray oneHot;
    private final NDArray inverseTemperature;
    private final NDArray limit;
    private final NDArray lambdaPrediction;
    private final NDArray lambdaSparsity;
    private final NDArray lambdaSmoothness;
    private final int laplacianSize;
    private final Shape window;
    private final String centre;
    private final NDArray laplacianScale;
    private final NDArray lambdaDeletion;
    private final NDArray baseline;
    private final NDArray epsilon;
    private final boolean replicateBorder;
    private final Upsampling upsampling;

    /**
     * @param oneHot N×C target one-hot
     * @param inverseTemperature N×1×1×1
     * @param limit N×1×1×1
     * @param lambdas N×3 (prediction, sparsity, smoothness)
     * @param laplacianSize k: 3 or 5
     */
    public NeuroMaskLoss(Classifier model, NDArray oneHot, NDArray inverseTemperature, NDArray limit, NDArray lambdas,
            int laplacianSize) {
        this(model, oneHot, inverseTemperature, limit, lambdas, laplacianSize, null, null);
    }

    /**
     * The objective with NeuroMask's two optional parts.
     *
     * @param lambdaDeletion (N) weights of the deletion term {@code -log(1 - p_target(x * (1 - m)) + 1e-6)}, or null
     *     to leave it out
     * @param baseline N×3×H×W images the removed pixels become in the preserved image {@code x * m + b * (1 - m)},
     *     or null for {@code x * m}
     */
    public NeuroMaskLoss(Classifier model, NDArray oneHot, NDArray inverseTemperature, NDArray limit, NDArray lambdas,
            int laplacianSize, NDArray lambdaDeletion, NDArray baseline) {
        this(model, oneHot, inverseTemperature, limit, lambdas, laplacianSize, lambdaDeletion, baseline, false);
    }

    /**
     * The objective with NeuroMask's optional parts and its smoothness border.
     *
     * @param replicateBorder whether the Laplacian is taken at every pixel over the edge-replicated weights
     *     ({@code NeuroMaskObjective.Border.REPLICATE}) instead of VALID (the paper's)
     */
    public NeuroMaskLoss(Classifier model, NDArray oneHot, NDArray inverseTemperature, NDArray limit, NDArray lambdas,
            int laplacianSize, NDArray lambdaDeletion, NDArray baseline, boolean replicateBorder) {
        this(model, oneHot, inverseTemperature, limit, lambdas, laplacianSize, lambdaDeletion, baseline, replicateBorder,
                null);
    }

    /**
     * The objective with its optional parts, its smoothness border and low-resolution weights.
     *
     * @param upsampling the bilinear resize from the weights' grid to the image, or null for one weight per pixel
     *     (the paper's; the weights then go into the sigmoid as they are)
     */
    public NeuroMaskLoss(Classifier model, NDArray oneHot, NDArray inverseTemperature, NDArray limit, NDArray lambdas,
            int laplacianSize, NDArray lambdaDeletion, NDArray baseline, boolean replicateBorder,
            Upsampling upsampling) {
        this.upsampling = upsampling;
        this.replicateBorder = replicateBorder;
        this.lambdaDeletion = lambdaDeletion;
        this.baseline = baseline;
        this.epsilon = lambdaDeletion == null ? null : oneHot.getManager().create(1e-6f);
        this.model = model;
        this.oneHot = oneHot;
        this.inverseTemperature = inverseTemperature;
        this.limit = limit;
        this.lambdaPrediction = lambdas.get(":, 0");
        this.lambdaSparsity = lambdas.get(":, 1");
        this.lambdaSmoothness = lambdas.get(":, 2");
        this.laplacianSize = laplacianSize;
        this.window = new Shape(laplacianSize, laplacianSize);
        int r = laplacianSize / 2;
        this.centre = ":, :, " + r + ":-" + r + ", " + r + ":-" + r;
        // on a grid of cells s pixels apart the Laplacian is divided by s², the cell's area: the same curvature per
        // pixel as at one weight per pixel, so that lambdaSmoothness means the same at every stride
        this.laplacianScale = oneHot.getManager().create(upsampling == null ? (float) (laplacianSize * laplacianSize)
                : (float) (laplacianSize * laplacianSize / upsampling.cellArea()));
    }

    /** The same objective restricted to some images: {@code rows} is an int64 index array. */
    public NeuroMaskLoss select(NDArray rows) {
        return new NeuroMaskLoss(model, oneHot.get(rows), inverseTemperature.get(rows), limit.get(rows),
                lambdas().get(rows),
                laplacianSize, lambdaDeletion == null ? null : lambdaDeletion.get(rows),
                baseline == null ? null : baseline.get(rows), replicateBorder, upsampling);
    }

    /**
     * The same objective on another grid: {@code upsampling} from the new grid to the image, or null for one weight
     * per pixel (the coarse-to-fine schedule's second phase).
     */
    public NeuroMaskLoss onGrid(Upsampling upsampling) {
        return new NeuroMaskLoss(model, oneHot, inverseTemperature, limit, lambdas(), laplacianSize, lambdaDeletion,
                baseline, replicateBorder, upsampling);
    }

    /** The λ weights as the constructor takes them, N×3. */
    private NDArray lambdas() {
        return lambdaPrediction.expandDims(1).concat(lambdaSparsity.expandDims(1), 1)
                .concat(lambdaSmoothness.expandDims(1), 1);
    }

    /**
     * The weights whose {@code sigmoid(w / T)} is {@code values} (N×1×h×w in [0, 1], clamped to [1e-6, 1 − 1e-6]
     * so that saturated values map to finite weights): {@code T · logit(values)}.
     */
    public NDArray weightsOf(NDArray values) {
        NDArray p = values.clip(1e-6f, 1 - 1e-6f);
        return p.log().sub(p.onesLike().sub(p).log()).div(inverseTemperature);
    }

    /** The preserved image for a mask: {@code x * m}, or {@code x * m + b * (1 - m)} with a baseline. */
    public NDArray preserved(NDArray pixels, NDArray mask) {
        return baseline == null ? pixels.mul(mask) : pixels.mul(mask).add(baseline.mul(mask.onesLike().sub(mask)));
    }

    /**
     * The mask N×1×H×W: {@code sigmoid(w / T)} for weights N×1×H×W, or {@code up(sigmoid(w / T))} for weights on
     * the upsampling's grid.
     */
    public NDArray mask(NDArray weights) {
        NDArray mask = Activation.sigmoid(weights.mul(inverseTemperature));
        return upsampling == null ? mask : upsampling.apply(mask);
    }



    /** The weights at the image's resolution: themselves, or upsampled from their grid as the mask is. */
    public NDArray atImageResolution(NDArray weights) {
        return upsampling == null ? weights : upsampling.apply(weights);
    }

    /**
     * Evaluates the objective.
     *
     * @param pixels N×3×H×W in [0, 1]
     * @param weights N×1×H×W, or N×1×h×w on the upsampling's grid
     */
    public Terms evaluate(NDArray pixels, NDArray weights) {
        NDArray mask = mask(weights);
        NDArray logits = model.logits(preserved(pixels, mask));
        NDArray crossEntropy = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
        // each weight counts for the image pixels it covers: the mean of the upsampled |w + limit|
        NDArray l1 = perImageMean(atImageResolution(weights.add(limit).abs()));
        NDArray smooth = smoothness(laplacianMaps(weights), weights.getShape().get(0));
        NDArray prediction = crossEntropy.mul(lambdaPrediction);
        NDArray sparsity = l1.mul(lambdaSparsity);
        NDArray smoothness = smooth.mul(lambdaSmoothness);
        NDArray deletion = null;
        NDArray perImage;
        if (lambdaDeletion == null) {
            perImage = prediction.add(sparsity).add(smoothness);
        } else {
            // the complement of the mask, its removed pixels black as in the deletion metric, should lose the class
            NDArray kept = model.logits(pixels.mul(mask.onesLike().sub(mask))).softmax(1).mul(oneHot)
                    .sum(new int[] {1});
            deletion = kept.onesLike().sub(kept).add(epsilon).log().neg().mul(lambdaDeletion);
            perImage = prediction.add(deletion).add(sparsity).add(smoothness);
        }
        return new Terms(mask, logits, prediction, deletion, sparsity, smoothness, perImage, perImage.sum());
    }

    /**
     * The VALID convolution of {@code weights} with the k×k Laplacian ({@link Laplacian#kernel}): all taps
     * -1 and the centre k²-1, so {@code K * w = k² (w_centre - mean of the k×k window)}. Computed with an
     * average pool, which is several times faster than a one-channel convolution on the CPU. With the replicated
     * border, the same at every pixel of {@code weights} extended by k/2 copies of its edge rows and columns. On a
     * coarse grid (with an upsampling) the result is divided by the cell's area.
     */
    public NDArray laplacian(NDArray weights) {
        NDArray maps = laplacianMaps(weights);
        Shape s = maps.getShape();
        return s.get(0) == weights.getShape().get(0) ? maps : maps.reshape(s.get(1), 1, s.get(2), s.get(3));
    }

    /**
     * Batches of at least this many images take the Laplacian with the images as the channels of one image, in
     * channels-last order: libtorch's average pool then runs across the images in vector registers instead of
     * one image at a time (the same window means bit for bit; on the project's CPU at batch 64 the pool's forward
     * and backward on 224×224 take less than half the time). Smaller batches would not fill a vector.
     */
    static final int IMAGES_AS_CHANNELS = 8;

    /** {@link #laplacian} as N×1×H'×W', or for a batch of {@value #IMAGES_AS_CHANNELS} or more as 1×N×H'×W'. */
    private NDArray laplacianMaps(NDArray weights) {
        boolean asChannels = weights.getShape().get(0) >= IMAGES_AS_CHANNELS;
        NDArray w = asChannels ? imagesAsChannels(weights) : weights;
        NDArray centreValues;
        NDArray source;
        if (replicateBorder) {
            int r = laplacianSize / 2;
            long h = weights.getShape().get(2);
            long width = weights.getShape().get(3);
            NDArray rows = weights.get(":, :, 0:1, :").repeat(2, r).concat(weights, 2)
                    .concat(weights.get(":, :, " + (h - 1) + ":" + h + ", :").repeat(2, r), 2);
            NDArray padded = rows.get(":, :, :, 0:1").repeat(3, r).concat(rows, 3)
                    .concat(rows.get(":, :, :, " + (width - 1) + ":" + width).repeat(3, r), 3);
            source = asChannels ? imagesAsChannels(padded) : padded;
            centreValues = w;
        } else {
            source = w;
            centreValues = w.get(centre);
        }
        NDArray windowMean = Pool.avgPool2d(source, window, new Shape(1, 1), new Shape(0, 0), false, true);
        // Multiply by a tensor we keep, never by a Java number: DJL's PyTorch engine turns a number into a
        // scalar tensor backed by a direct buffer and frees it right after the op, but autograd keeps
        // that tensor for the backward pass and would read freed memory.
        return centreValues.sub(windowMean).mul(laplacianScale);
    }

    /** N×1×H×W as 1×N×H×W, channels last: the same values, each pixel's N values side by side in memory. */
    private static NDArray imagesAsChannels(NDArray x) {
        Shape s = x.getShape();
        return MemoryLayout.CHANNELS_LAST.apply(x.reshape(1, s.get(0), s.get(2), s.get(3)));
    }

    /** The mean of the squared Laplacian per image, (N), from {@link #laplacianMaps}. */
    private static NDArray smoothness(NDArray maps, long images) {
        NDArray squared = maps.square();
        return maps.getShape().get(0) == images ? perImageMean(squared)
                : squared.reshape(1, images, -1).mean(new int[] {2}).reshape(images);
    }

    /** The mean over every axis but the first: N×... to (N). */
    public static NDArray perImageMean(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).mean(new int[] {1});
    }

}
