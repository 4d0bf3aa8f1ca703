package io.neuromask.base;

import java.util.Arrays;

/**
 * An immutable H×W saliency map, row-major floats. Values may be signed (occlusion, Integrated
 * Gradients); every metric states how it treats negative values.
 *
 * <p><b>Ranking and ties.</b> {@link #ranking()} orders the pixels by decreasing value; {@link #argmax()} is its
 * first pixel. A map may carry an optional secondary score per pixel, the <em>tie-break</em>
 * ({@link #withTieBreak(float[])}), that orders pixels of exactly equal value, e.g. a saturated mask with many
 * pixels at 1.0 ranked by the logits behind it. Pixels equal in both stay in row-major order. Only the ranking
 * and the argmax use it: {@link #values()}, {@link #get}, {@link #min()}, {@link #max()} and {@link #mean()} are
 * the values alone. Values compare as {@link Float#compare} does, so {@code -0.0} ranks just below {@code 0.0}.
 */
public final class SaliencyMap {

    private final float[] values;
    private final int height;
    private final int width;
    /** Secondary scores ordering equal values, or null. */
    private final float[] tieBreak;

    private SaliencyMap(float[] values, int height, int width) {
        this(values, height, width, null);
    }

    private SaliencyMap(float[] values, int height, int width, float[] tieBreak) {
        this.values = values;
        this.height = height;
        this.width = width;
        this.tieBreak = tieBreak;
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

    /**
     * This map with a tie-break: {@code scores[i]} orders pixel {@code i} among the pixels of exactly the same
     * value in {@link #ranking()} and {@link #argmax()}, higher first (row-major, copied). The values do not
     * change; a tie-break this map already has is replaced.
     *
     * @param scores H·W finite scores, row-major
     * @throws IllegalArgumentException when {@code scores} is null, has another length than H·W, or holds a NaN or
     *     infinite score
     */
    public SaliencyMap withTieBreak(float[] scores) {
        if (scores == null) {
            throw new IllegalArgumentException("tie-break scores are null; give " + values.length
                    + " scores, or call withoutTieBreak() for a map without one");
        }
        if (scores.length != values.length) {
            throw new IllegalArgumentException("a tie-break for a " + width + "x" + height + " saliency map needs "
                    + values.length + " scores (one per pixel, row-major), got " + scores.length);
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("tie-break score " + i + " (row " + i / width + ", column "
                        + i % width + ") is " + scores[i] + "; tie-break scores must be finite");
            }
        }
        return new SaliencyMap(values, height, width, scores.clone());
    }

    /** Whether this map has a tie-break ({@link #withTieBreak(float[])}). */
    public boolean hasTieBreak() {
        return tieBreak != null;
    }

    /** This map without a tie-break: equal values rank in row-major order. This map itself when it has none. */
    public SaliencyMap withoutTieBreak() {
        return tieBreak == null ? this : new SaliencyMap(values, height, width, null);
    }

    /**
     * A copy of the tie-break scores, row-major.
     *
     * @throws IllegalStateException when the map has none (see {@link #hasTieBreak()})
     */
    public float[] tieBreak() {
        if (tieBreak == null) {
            throw new IllegalStateException("this saliency map has no tie-break; check hasTieBreak() first");
        }
        return tieBreak.clone();
    }

    /**
     * The row-major pixel indices ranked by decreasing value; pixels of equal value by decreasing tie-break score
     * when the map has a tie-break, then in row-major order (a stable order). The deletion and insertion metrics
     * remove and restore pixels in this order.
     */
    public int[] ranking() {
        Integer[] idx = new Integer[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> compareRank(b, a)); // a stable sort: row-major among full ties
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Positive when pixel {@code a} ranks before pixel {@code b} by value, then tie-break (0 when both are equal). */
    private int compareRank(int a, int b) {
        int c = Float.compare(values[a], values[b]);
        if (c != 0 || tieBreak == null) {
            return c;
        }
        return Float.compare(tieBreak[a], tieBreak[b]);
    }

    /**
     * The row-major index of the largest value; among equal values the one with the largest tie-break score, then
     * the first in row-major order. Always {@code ranking()[0]}.
     */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (compareRank(i, best) > 0) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Min-max normalised to [0, 1]; a constant map becomes all zeros (the convention of
     * wsolevaluation's {@code normalize_scoremap}). The tie-break, if any, is kept (same pixels); values that
     * normalisation rounds to the same float then rank by it.
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
        return new SaliencyMap(out, height, width, tieBreak);
    }

    /**
     * Bilinear resize with half-pixel centres (PyTorch {@code align_corners=false}, no antialiasing),
     * e.g. to bring a Grad-CAM map to the input size. Resizing to the same size returns this map (with its
     * tie-break); to another size the tie-break is dropped, since its per-pixel scores no longer name pixels of
     * the new map (give the resized map a tie-break of its own with {@link #withTieBreak(float[])}).
     */
    public SaliencyMap resize(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        return new SaliencyMap(io.neuromask.base.Bilinear.resize(values, height, width, newHeight, newWidth), newHeight, newWidth);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaliencyMap m && m.height == height && m.width == width && Arrays.equals(m.values, values)
                && Arrays.equals(m.tieBreak, tieBreak);
    }

    /** Includes the tie-break; a map without one hashes as before tie-breaks existed. */
    @Override
    public int hashCode() {
        int h = 31 * (31 * height + width) + Arrays.hashCode(values);
        return tieBreak == null ? h : 31 * h + Arrays.hashCode(tieBreak);
    }

    @Override
    public String toString() {
        return "SaliencyMap[" + width + "x" + height + ", min=" + min() + ", max=" + max()
                + (tieBreak == null ? "" : ", with tie-break") + "]";
    }
}
