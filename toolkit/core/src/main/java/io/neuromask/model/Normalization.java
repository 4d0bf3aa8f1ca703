package io.neuromask.model;

import java.util.Arrays;

/**
 * Per-channel {@code (x - mean) / std} applied by a classifier to [0, 1] RGB pixels.
 *
 * @param mean three channel means
 * @param std three channel standard deviations, all positive
 */
public record Normalization(float[] mean, float[] std) {

    /** The ImageNet statistics used by torchvision models and by the CIFAR ResNets here. */
    public static final Normalization IMAGENET =
            new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /** No normalisation: the model sees [0, 1] pixels. */
    public static final Normalization NONE = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});

    public Normalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalisation needs 3 means and 3 stds");
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("normalisation std must be positive and finite, got " + s);
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("normalisation mean must be finite, got " + m);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Whether this is the identity. */
    public boolean isIdentity() {
        return Arrays.equals(mean, NONE.mean) && Arrays.equals(std, NONE.std);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
