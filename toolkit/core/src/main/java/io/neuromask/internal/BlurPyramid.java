package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * TorchRay's perturbation pyramid (extremal perturbation): level {@code l} of {@code L} is the image blurred with
 * {@code σ_l = σ_max·(1 − l/(L−1))}, so level 0 is the most blurred and level {@code L−1} the image itself. A
 * mask value {@code m ∈ [0, 1]} picks level {@code m·(L−1)}, interpolating linearly between the two nearest
 * levels. With {@code L = 2} and σ_max = 0 it degenerates to no perturbation; a meaningful-perturbation blur is
 * {@code L = 2}: {@code m·x + (1−m)·blur(x)}.
 */
public final class BlurPyramid {

    private final NDArray levels; // N×L×C×H×W
    private final int count;
    private final NDArray top;
    private final NDArray one;

    private BlurPyramid(NDArray levels, int count) {
        this.levels = levels;
        this.count = count;
        NDManager m = levels.getManager();
        this.top = m.create((float) (count - 1));
        this.one = m.create(1f);
    }

    /**
     * Builds the pyramid of each image.
     *
     * @param chw one C×H×W image per entry
     * @param levels L ≥ 2
     */
    public static BlurPyramid of(NDManager manager, float[][] chw, int channels, int height, int width, int levels,
            double maxSigma) {
        if (levels < 2) {
            throw new IllegalArgumentException("a blur pyramid needs at least 2 levels, got " + levels);
        }
        int n = chw.length;
        int size = channels * height * width;
        // one image at a time into the native array: no Java array of the whole batch's pyramids (120 MB for 25
        // images at 224² with 8 levels) that the Java heap would keep committed after it is garbage
        NDArray all = manager.create(new Shape(n, levels, channels, height, width));
        float[] one = new float[levels * size];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < levels; l++) {
                double sigma = maxSigma * (1 - (double) l / (levels - 1));
                float[] b = sigma == 0 ? chw[i] : GaussianBlur.blur(chw[i], channels, height, width, sigma);
                System.arraycopy(b, 0, one, l * size, size);
            }
            try (NDArray image = manager.create(one, new Shape(levels, channels, height, width))) {
                all.set(new NDIndex(i), image);
            }
        }
        return new BlurPyramid(all, levels);
    }

    /** The pyramids of some images (int64 indices, repeats allowed); consecutive ones give a view ({@link Rows}). */
    public BlurPyramid select(NDArray images) {
        return new BlurPyramid(Rows.of(levels, images), count);
    }

    /**
     * The perturbed images: mask K×1×H×W in [0, 1], one per pyramid row; differentiable in the mask.
     *
     * @return K×C×H×W
     */
    public NDArray apply(NDArray mask) {
        return apply(mask, 1);
    }

    /**
     * The perturbed images of {@code rowsPerImage} masks per image: mask (N·k)×1×H×W in [0, 1], rows {@code i·k …
     * i·k+k−1} perturbing image {@code i}; differentiable in the mask.
     *
     * @return (N·k)×C×H×W
     */
    public NDArray apply(NDArray mask, int rowsPerImage) {
        Shape shape = levels.getShape();
        long n = shape.get(0);
        long c = shape.get(2);
        long h = shape.get(3);
        long w = shape.get(4);
        if (mask.getShape().get(0) != n * rowsPerImage) {
            throw new IllegalArgumentException(mask.getShape().get(0) + " masks for " + n + " images with "
                    + rowsPerImage + " masks each");
        }
        NDArray s = mask.mul(top); // K×1×H×W in [0, L−1]
        NDArray k = s.stopGradient().floor();
        NDArray frac = s.sub(k).reshape(n, rowsPerImage, 1, h, w);
        NDArray k0 = k.toType(DataType.INT64, false).reshape(n, rowsPerImage, 1, h, w) // N×k×1×H×W
                .repeat(2, c);                                                        // N×k×C×H×W
        NDArray k1 = k0.add(1).minimum(count - 1);
        NDArray y0 = levels.gather(k0, 1);
        NDArray y1 = levels.gather(k1, 1);
        return y0.mul(one.sub(frac)).add(y1.mul(frac)).reshape(n * rowsPerImage, c, h, w);
    }

    /** The number of levels. */
    public int levels() {
        return count;
    }
}
