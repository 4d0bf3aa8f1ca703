package io.neuromask.base;

/**
 * Antialiased resizing of one row-major plane: the triangle ("bilinear") filter of PIL's {@code Image.resize} and
 * torchvision's {@code Resize(antialias=True)}, separable, rows first, then columns.
 *
 * <p>Shrinking by a factor {@code s > 1}, the filter is stretched by {@code s}: every output pixel is a weighted mean of
 * the {@code ~2s} input pixels under it, so detail finer than the output's pixels averages out instead of aliasing
 * (a one-pixel checkerboard becomes grey, not a pattern of samples). Enlarging, it is plain bilinear interpolation
 * with half-pixel centres, as {@link Bilinear} (PyTorch's {@code align_corners=False}). Output pixel {@code i} is
 * centred at input coordinate {@code (i + 0.5) · s}; the weights are normalised over the input pixels that exist, so
 * borders are not darkened.
 */
final class Resampling {

    private Resampling() {}

    /**
     * Resizes an {@code h}×{@code w} plane to {@code newH}×{@code newW}.
     *
     * @throws IllegalArgumentException for a non-positive size or a plane of the wrong length
     */
    static float[] resize(float[] src, int h, int w, int newH, int newW) {
        if (newH <= 0 || newW <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + w + "x" + h + " -> " + newW + "x" + newH);
        }
        if (src.length != h * w) {
            throw new IllegalArgumentException("plane has " + src.length + " values, expected " + h + "*" + w);
        }
        float[] rows = newW == w ? src : horizontal(src, h, w, newW);
        return newH == h ? (rows == src ? src.clone() : rows) : vertical(rows, h, newW, newH);
    }

    /** The taps of one axis: for output {@code i}, input pixels {@code first[i] ..} with {@code weights[i]}. */
    private record Taps(int[] first, double[][] weights) {
        static Taps of(int in, int out) {
            double scale = (double) in / out;
            double stretch = Math.max(scale, 1.0);
            double support = stretch; // the triangle's support is 1 input pixel, stretched when shrinking
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max((int) (centre - support + 0.5), 0);
                int hi = Math.min((int) (centre + support + 0.5), in);
                double[] k = new double[Math.max(hi - lo, 0)];
                double total = 0;
                for (int j = 0; j < k.length; j++) {
                    double x = Math.abs((lo + j - centre + 0.5) / stretch);
                    k[j] = x < 1 ? 1 - x : 0;
                    total += k[j];
                }
                if (total > 0) {
                    for (int j = 0; j < k.length; j++) {
                        k[j] /= total;
                    }
                }
                first[i] = lo;
                weights[i] = k;
            }
            return new Taps(first, weights);
        }
    }

    private static float[] horizontal(float[] src, int h, int w, int newW) {
        Taps taps = Taps.of(w, newW);
        float[] out = new float[h * newW];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < newW; x++) {
                double[] k = taps.weights()[x];
                int lo = row + taps.first()[x];
                double sum = 0;
                for (int j = 0; j < k.length; j++) {
                    sum += k[j] * src[lo + j];
                }
                out[y * newW + x] = (float) sum;
            }
        }
        return out;
    }

    private static float[] vertical(float[] src, int h, int w, int newH) {
        Taps taps = Taps.of(h, newH);
        float[] out = new float[newH * w];
        double[] acc = new double[w];
        for (int y = 0; y < newH; y++) {
            java.util.Arrays.fill(acc, 0);
            double[] k = taps.weights()[y];
            int lo = taps.first()[y];
            for (int j = 0; j < k.length; j++) {
                int row = (lo + j) * w;
                double kj = k[j];
                for (int x = 0; x < w; x++) {
                    acc[x] += kj * src[row + x];
                }
            }
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) acc[x];
            }
        }
        return out;
    }
}
