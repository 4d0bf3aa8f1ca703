package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The smooth-max mask against a plain-Java transcription of TorchRay's MaskGenerator, pixel by pixel. */
class SmoothMaxMaskTest {

    @Test
    void matchesTheDefinitionPixelByPixel() {
        int h = 13;
        int w = 10;
        int step = 3;
        double sigma = 4;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            SmoothMaxMask g = new SmoothMaxMask(manager, h, w, step, sigma);
            int[] in = g.parameterShape();
            assertArrayEquals(new int[] {5, 4}, in, "ceil(13/3) x ceil(10/3) parameters");
            float[] p = new float[2 * in[0] * in[1]];
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) r.nextDouble();
            }
            NDArray params = manager.create(p, new Shape(2, 1, in[0], in[1]));
            float[] actual = g.cropped(g.full(params, true)).toFloatArray();
            float[] expected = reference(p, 2, in[0], in[1], h, w, step, sigma);
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "pixel " + i);
            }
            assertArrayEquals(actual, g.cropped(g.full(params, true, 1)).toFloatArray(),
                    "rows computed one group at a time give the same masks");
        }
    }

    @Test
    void rejectsBadSettings() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThrows(IllegalArgumentException.class, () -> new SmoothMaxMask(manager, 8, 8, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> new SmoothMaxMask(manager, 8, 8, 2, Double.NaN));
        }
    }

    /**
     * TorchRay's generate(): unfold the zero-padded parameters with a (2r+1)² window, nearest-upsample by step,
     * drop the last step−1 rows and columns, weight by k(|u − centre|/σ), smooth max with coldness 20, clamp,
     * crop the margin round(σ).
     */
    static float[] reference(float[] p, int rows, int ph, int pw, int h, int w, int step, double sigma) {
        int padding = 1 + (int) Math.ceil(2 * sigma / step);
        int radius = 1 + (int) Math.ceil(sigma / step);
        int side = 2 * radius + 1;
        int midY = ph + 2 * padding - side + 1;
        int midX = pw + 2 * padding - side + 1;
        int outY = step * midY - step + 1;
        int outX = step * midX - step + 1;
        int margin = (int) Math.round(sigma);
        float[] out = new float[rows * h * w];
        for (int k = 0; k < rows; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int uy = y + margin;
                    int ux = x + margin;
                    if (uy >= outY || ux >= outX) {
                        throw new IllegalStateException("crop outside the mask");
                    }
                    int my = uy / step; // nearest upsampling: floor(uy · mid / up)
                    int mx = ux / step;
                    double num = 0;
                    double den = 0;
                    for (int ky = 0; ky < side; ky++) {
                        for (int kx = 0; kx < side; kx++) {
                            int iy = my + ky - padding; // the parameter this window position reads
                            int ix = mx + kx - padding;
                            double value = iy >= 0 && iy < ph && ix >= 0 && ix < pw ? p[(k * ph + iy) * pw + ix] : 0;
                            double dy = uy - (sigma + step * iy);
                            double dx = ux - (sigma + step * ix);
                            double z = Math.sqrt(dy * dy + dx * dx) / sigma;
                            double over = Math.max(z - 0.5, 0);
                            double v = value * Math.exp(-2 * over * over);
                            double e = Math.exp(20 * v);
                            num += v * e;
                            den += e;
                        }
                    }
                    out[(k * h + y) * w + x] = (float) Math.min(1, Math.max(0, num / den));
                }
            }
        }
        return out;
    }
}
