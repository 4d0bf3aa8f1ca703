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
}
