package io.neuromask.internal;

/**
 * A separable Gaussian blur of C×H×W float images with TorchRay's {@code imsmooth} conventions: taps
 * {@code −W … W} with {@code W = ⌈4σ⌉}, weights {@code exp(−i²/(2σ²))} normalised to sum to 1, zero padding
 * (the border darkens), output the size of the input. σ = 0 is the identity.
 */
public final class GaussianBlur {

    private GaussianBlur() {}

    /** The normalised 1-D kernel, {@code 2⌈4σ⌉ + 1} taps. */
    public static float[] kernel(double sigma) {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("blur sigma must be finite and >= 0, got " + sigma);
        }
        int w = (int) Math.ceil(4 * sigma);
        float[] k = new float[2 * w + 1];
        double sum = 0;
        double scale = Math.sqrt(2) * sigma + 1.1920929e-7;
        for (int i = -w; i <= w; i++) {
            double z = i / scale;
            k[i + w] = (float) Math.exp(-z * z);
            sum += k[i + w];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (k[i] / sum);
        }
        return k;
    }

    /** Blurs {@code chw} (C×H×W, row-major) with σ, zero padding; returns a new array. */
    public static float[] blur(float[] chw, int channels, int height, int width, double sigma) {
        float[] k = kernel(sigma);
        int r = k.length / 2;
        float[] tmp = new float[chw.length];
        float[] out = new float[chw.length];
        for (int c = 0; c < channels; c++) {
            int base = c * height * width;
            for (int y = 0; y < height; y++) { // vertical pass
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        int yy = y + t;
                        if (yy >= 0 && yy < height) {
                            s += k[t + r] * chw[base + yy * width + x];
                        }
                    }
                    tmp[base + y * width + x] = (float) s;
                }
            }
            for (int y = 0; y < height; y++) { // horizontal pass
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int t = -r; t <= r; t++) {
                        int xx = x + t;
                        if (xx >= 0 && xx < width) {
                            s += k[t + r] * tmp[base + y * width + xx];
                        }
                    }
                    out[base + y * width + x] = (float) s;
                }
            }
        }
        return out;
    }

    /**
     * The start image of the insertion metric (RISE's protocol): each of 3 channels convolved with an 11-tap, σ = 5
     * Gaussian (normalised), zero padding, horizontal pass first, in double precision. Used by
     * {@code DeletionInsertion} and by NeuroMask's blurred baseline, so that both see the same image.
     */
    public static float[] insertionStart(float[] chw, int h, int w) {
        int radius = 5;
        double sigma = 5;
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] out = new float[chw.length];
        double[] tmp = new double[h * w];
        for (int c = 0; c < 3; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int d = -radius; d <= radius; d++) {
                        int xx = x + d;
                        if (xx >= 0 && xx < w) {
                            s += k[d + radius] * chw[base + y * w + xx];
                        }
                    }
                    tmp[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int d = -radius; d <= radius; d++) {
                        int yy = y + d;
                        if (yy >= 0 && yy < h) {
                            s += k[d + radius] * tmp[yy * w + x];
                        }
                    }
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }
}
