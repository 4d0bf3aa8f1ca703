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

    /**
     * Reads a normalisation from text: {@code none}, {@code imagenet}, or {@code MEAN,MEAN,MEAN/STD,STD,STD} (three
     * means, a slash, three positive standard deviations, e.g. {@code 0.5,0.5,0.5/0.25,0.25,0.25}).
     *
     * @throws IllegalArgumentException naming the text and the form it must take
     */
    public static Normalization parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("none")) {
            return NONE;
        }
        if (t.equalsIgnoreCase("imagenet")) {
            return IMAGENET;
        }
        String form = "give none, imagenet or MEAN,MEAN,MEAN/STD,STD,STD (three channel means, a slash, three "
                + "positive standard deviations, e.g. 0.5,0.5,0.5/0.25,0.25,0.25)";
        String[] parts = t.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("normalisation '" + text + "' is not understood: " + form);
        }
        float[] mean = three(text, "means", parts[0], form);
        float[] std = three(text, "standard deviations", parts[1], form);
        for (int i = 0; i < 3; i++) {
            if (!Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("normalisation '" + text + "': mean " + (i + 1) + " is " + mean[i]
                        + "; means must be finite numbers");
            }
            if (!(std[i] > 0) || !Float.isFinite(std[i])) {
                throw new IllegalArgumentException("normalisation '" + text + "': standard deviation " + (i + 1)
                        + " is " + std[i] + "; standard deviations must be positive finite numbers (pixels are "
                        + "divided by them)");
            }
        }
        return new Normalization(mean, std);
    }

    private static float[] three(String text, String what, String part, String form) {
        String[] values = part.split(",", -1);
        if (values.length != 3) {
            throw new IllegalArgumentException("normalisation '" + text + "' has " + values.length + " " + what
                    + " ('" + part.trim() + "'), not 3: " + form);
        }
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Float.parseFloat(values[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("normalisation '" + text + "': '" + values[i].trim()
                        + "' is not a number: " + form);
            }
        }
        return out;
    }

    /** As {@link #parse} reads it: {@code none}, {@code imagenet} or {@code MEAN,MEAN,MEAN/STD,STD,STD}. */
    public String text() {
        if (equals(NONE)) {
            return "none";
        }
        if (equals(IMAGENET)) {
            return "imagenet";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            b.append(i == 0 ? "" : ",").append(mean[i]);
        }
        b.append('/');
        for (int i = 0; i < 3; i++) {
            b.append(i == 0 ? "" : ",").append(std[i]);
        }
        return b.toString();
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
