package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The smooth-max mask and its hand-written backward pass against a plain-Java, double-precision transcription of
 * TorchRay's MaskGenerator (every pixel's smooth maximum over its whole window, computed from scratch), whose
 * gradient is taken by central finite differences.
 */
class SmoothMaxMaskTest {

    @ParameterizedTest(name = "{0}x{1}, step {2}, sigma {3}")
    @CsvSource({"13, 10, 3, 4", "32, 32, 1, 3", "20, 17, 7, 5"})
    void maskAndGradientMatchTheDefinition(int h, int w, int step, double sigma) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            SmoothMaxMask g = new SmoothMaxMask(manager, h, w, step, sigma);
            int[] in = g.parameterShape();
            assertArrayEquals(new int[] {(h + step - 1) / step, (w + step - 1) / step}, in, "ceil(H/step) x ceil(W/step)");
            int rows = 2;
            float[] p = new float[rows * in[0] * in[1]];
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < p.length; i++) {
                // parameters as the optimiser leaves them: in [0, 1], some exactly at either end
                double u = r.nextDouble();
                p[i] = u < 0.15 ? 0f : u > 0.9 ? 1f : (float) r.nextDouble();
            }
            Reference ref = new Reference(h, w, step, sigma);
            int[] full = ref.fullShape();
            assertEquals(full[0] * full[1], g.fullArea(), "the full mask's area");
            NDArray params = manager.create(p, new Shape(rows, 1, in[0], in[1]));
            SmoothMaxMask.Pass pass = g.forward(params);
            assertEquals(new Shape(rows, 1, full[0], full[1]), pass.mask().getShape());
            float[] actual = pass.mask().toFloatArray();
            double[] expected = ref.full(toDouble(p), rows, in[0], in[1]);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "full-mask pixel " + i);
            }
            float[] crop = g.cropped(g.full(params, true)).toFloatArray();
            double[] expectedCrop = ref.cropped(expected, rows);
            assertEquals(rows * h * w, crop.length);
            for (int i = 0; i < crop.length; i++) {
                assertEquals(Math.min(1, Math.max(0, expectedCrop[i])), crop[i], 1e-5, "cropped pixel " + i);
            }

            // a loss L = Σ G·mask with a fixed random G: dL/dp from the backward pass against finite differences
            float[] upstream = new float[actual.length];
            for (int i = 0; i < upstream.length; i++) {
                upstream[i] = (float) (r.nextDouble() * 2 - 1);
            }
            float[] grad = pass.backward(manager.create(upstream, pass.mask().getShape())).toFloatArray();
            double[] numeric = ref.gradient(toDouble(p), rows, in[0], in[1], toDouble(upstream));
            double scale = 0;
            for (double v : numeric) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 1e-3, "the test loss depends on the parameters: " + scale);
            for (int i = 0; i < numeric.length; i++) {
                assertEquals(numeric[i], grad[i], 2e-5 * Math.max(1, scale), "gradient of parameter " + i);
            }

            // pieces of any size, exponentials kept or computed again: the same mask and gradient, to rounding
            SmoothMaxMask.Pass small = g.forward(params, 1, 0);
            assertArrayEquals(actual, small.mask().toFloatArray(), 1e-6f, "one cell per piece");
            float[] smallGrad = small.backward(manager.create(upstream, pass.mask().getShape())).toFloatArray();
            for (int i = 0; i < grad.length; i++) {
                assertEquals(grad[i], smallGrad[i], 1e-5 * Math.max(1, scale), "one cell per piece: gradient " + i);
            }
        }
    }

    @Test
    void theForwardPassLeavesTheParametersGraphAlone() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            SmoothMaxMask g = new SmoothMaxMask(manager, 8, 8, 2, 2);
            int[] in = g.parameterShape();
            NDArray params = manager.full(new Shape(1, 1, in[0], in[1]), 0.5f);
            params.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector c = ai.djl.engine.Engine.getEngine("PyTorch")
                    .newGradientCollector()) {
                NDArray mask = g.forward(params).mask();
                assertTrue(!mask.hasGradient(), "the mask is computed outside autograd");
                c.zeroGradients();
            }
        }
    }

    @Test
    void rejectsBadSettingsAndShapes() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertThrows(IllegalArgumentException.class, () -> new SmoothMaxMask(manager, 8, 8, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> new SmoothMaxMask(manager, 8, 8, 2, Double.NaN));
            SmoothMaxMask g = new SmoothMaxMask(manager, 8, 8, 2, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.forward(manager.ones(new Shape(1, 1, 3, 4))));
            assertTrue(e.getMessage().contains("K×1×4×4"), e.getMessage());
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /**
     * TorchRay's generate() in double precision, pixel by pixel: unfold the zero-padded parameters with a (2r+1)²
     * window, nearest-upsample by step, drop the last step−1 rows and columns, weight by k(|u − centre|/σ), smooth
     * max with coldness 20; {@link #cropped} cuts the margin round(σ).
     */
    static final class Reference {
        final int h;
        final int w;
        final int step;
        final double sigma;
        final int padding;
        final int side;
        final int outY;
        final int outX;

        Reference(int h, int w, int step, double sigma) {
            this.h = h;
            this.w = w;
            this.step = step;
            this.sigma = sigma;
            this.padding = 1 + (int) Math.ceil(2 * sigma / step);
            this.side = 2 * (1 + (int) Math.ceil(sigma / step)) + 1;
            int ph = (h + step - 1) / step;
            int pw = (w + step - 1) / step;
            this.outY = step * (ph + 2 * padding - side + 1) - step + 1;
            this.outX = step * (pw + 2 * padding - side + 1) - step + 1;
        }

        int[] fullShape() {
            return new int[] {outY, outX};
        }

        double[] full(double[] p, int rows, int ph, int pw) {
            double[] out = new double[rows * outY * outX];
            for (int k = 0; k < rows; k++) {
                for (int uy = 0; uy < outY; uy++) {
                    for (int ux = 0; ux < outX; ux++) {
                        out[(k * outY + uy) * outX + ux] = pixel(p, k, ph, pw, uy, ux);
                    }
                }
            }
            return out;
        }

        /** The smooth maximum at pixel (uy, ux) of the full mask of row k. */
        double pixel(double[] p, int k, int ph, int pw, int uy, int ux) {
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
            return num / den;
        }

        double[] cropped(double[] full, int rows) {
            int margin = (int) Math.round(sigma);
            double[] out = new double[rows * h * w];
            for (int k = 0; k < rows; k++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[(k * h + y) * w + x] = full[(k * outY + y + margin) * outX + x + margin];
                    }
                }
            }
            return out;
        }

        /** d(Σ upstream·full)/dp by central differences, over the pixels whose window holds the parameter. */
        double[] gradient(double[] p, int rows, int ph, int pw, double[] upstream) {
            double eps = 1e-5;
            double[] grad = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                int k = i / (ph * pw);
                int iy = i % (ph * pw) / pw;
                int ix = i % pw;
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double d = 0;
                // parameter iy is read by cells my = iy + padding − ky, ky in [0, side)
                for (int uy = Math.max(0, (iy + padding - side + 1) * step);
                        uy < Math.min(outY, (iy + padding + 1) * step); uy++) {
                    for (int ux = Math.max(0, (ix + padding - side + 1) * step);
                            ux < Math.min(outX, (ix + padding + 1) * step); ux++) {
                        d += upstream[(k * outY + uy) * outX + ux]
                                * (pixel(plus, k, ph, pw, uy, ux) - pixel(minus, k, ph, pw, uy, ux));
                    }
                }
                grad[i] = d / (2 * eps);
            }
            return grad;
        }
    }
}
