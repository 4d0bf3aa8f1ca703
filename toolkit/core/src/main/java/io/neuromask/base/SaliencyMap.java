package io.neuromask.base;

import java.util.Arrays;

/**
 * An immutable H×W saliency map, row-major floats. Values may be signed (occlusion, Integrated
 * Gradients); every metric states how it treats negative values.
 */
public final class SaliencyMap {

    private final float[] values;
    private final int height;
    private final int width;

    private SaliencyMap(float[] values, int height, int width) {
        this.values = values;
        this.height = height;
        this.width = width;
    }

    /**
     * Wraps row-major values (copied).
     *
     * @throws IllegalArgumentException when the length does not match or a value is NaN or infinite
     */
    public static SaliencyMap of(float[] values, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("a saliency map needs a positive size, got " + width + "x" + height);
        }
        if (values.length != height * width) {
            throw new IllegalArgumentException("a " + width + "x" + height + " saliency map needs " + height * width
                    + " values, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("saliency value " + i + " (row " + i / width + ", column "
                        + i % width + ") is " + values[i] + "; maps must be finite");
            }
        }
        return new SaliencyMap(values.clone(), height, width);
    }

    /** Wraps a double array (converted to float). */
    public static SaliencyMap of(double[] values, int height, int width) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return of(f, height, width);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The value at row {@code y}, column {@code x}. */
    public float get(int y, int x) {
        return values[y * width + x];
    }

    /** A copy of the values, row-major. */
    public float[] values() {
        return values.clone();
    }

    /** The smallest value. */
    public float min() {
        float m = values[0];
        for (float v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** The largest value. */
    public float max() {
        float m = values[0];
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The mean value. */
    public double mean() {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** The row-major index of the first largest value. */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Min-max normalised to [0, 1]; a constant map becomes all zeros (the convention of
     * wsolevaluation's {@code normalize_scoremap}).
     */
    public SaliencyMap normalized() {
        float lo = min();
        float range = max() - lo;
        float[] out = new float[values.length];
        if (range > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.min(1f, Math.max(0f, (values[i] - lo) / range));
            }
        }
        return new SaliencyMap(out, height, width);
    }

    /**
     * Bilinear resize with half-pixel centres (PyTorch {@code align_corners=false}, no antialiasing),
     * e.g. to bring a Grad-CAM map to the input size.
     */
    public SaliencyMap resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        return new SaliencyMap(io.neuromask.base.Bilinear.resize(values, height, width, newHeight, newWidth), newHeight, newWidth);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaliencyMap m && m.height == height && m.width == width && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SaliencyMap[" + width + "x" + height + ", min=" + min() + ", max=" + max() + "]";
    }
}
