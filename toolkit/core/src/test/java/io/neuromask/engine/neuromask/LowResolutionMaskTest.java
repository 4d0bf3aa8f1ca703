package io.neuromask.engine.neuromask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.GradientCollector;
import io.neuromask.Preset;
import io.neuromask.internal.Upsampling;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Normalization;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NeuroMask's low-resolution weights ({@code maskStride} above 1): the upsampled mask, its gradient and the terms
 * against hand computations, and the checks of the setting.
 */
class LowResolutionMaskTest {

    /**
     * PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} in one dimension, written out: the weight of
     * source sample {@code j} in output sample {@code i} when {@code in} samples become {@code out}.
     */
    private static double weight(int in, int out, int i, int j) {
        double src = Math.max(0, (i + 0.5) * in / out - 0.5);
        int i0 = Math.min((int) Math.floor(src), in - 1);
        int i1 = Math.min(i0 + 1, in - 1);
        double f = src - i0;
        return (j == i0 ? 1 - f : 0) + (j == i1 ? f : 0);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** A model whose logits are 0.5·sum(R·a) − 0.3·sum(G), 0.2·sum(B) and 0, for fixed per-pixel weights a. */
    private static BlockClassifier handModel(int h, int w, float[] a) {
        LambdaBlock block = new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            long n = x.getShape().get(0);
            NDManager m = x.getManager();
            NDArray r = x.get(":, 0").mul(m.create(a, new Shape(1, h, w))).reshape(n, -1).sum(new int[] {1});
            NDArray g = x.get(":, 1").reshape(n, -1).sum(new int[] {1});
            NDArray b = x.get(":, 2").reshape(n, -1).sum(new int[] {1});
            NDArray l0 = r.mul(m.create(0.5f)).sub(g.mul(m.create(0.3f))).expandDims(1);
            NDArray l1 = b.mul(m.create(0.2f)).expandDims(1);
            return new NDList(l0.concat(l1, 1).concat(l0.zerosLike(), 1));
        }, "hand");
        return BlockClassifier.of("hand", block, List.of("a", "b", "c"), h, w, Normalization.NONE, null);
    }

    /** 2×2 weights become a 4×4 mask: each output pixel mixes the sigmoids of its two nearest cells per axis. */
    @Test
    void twoByTwoWeightsGiveTheHandUpsampledMaskAndGradient() {
        double t = 0.5;
        float[] w = {1.2f, -0.4f, -2.0f, 0.7f};
        // the coefficients of a scalar read from the mask, so that each mask pixel gets its own gradient
        float[] c = new float[16];
        for (int p = 0; p < 16; p++) {
            c[p] = 0.1f * (p + 1) * (p % 3 == 0 ? -1 : 1);
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NeuroMaskLoss loss = new NeuroMaskLoss(null, m.zeros(new Shape(1, 3)), m.create(new float[] {(float) (1 / t)},
                    new Shape(1, 1, 1, 1)), m.create(new float[] {10}, new Shape(1, 1, 1, 1)), m.ones(new Shape(1, 3)), 3,
                    null, null, false, new Upsampling(m, 2, 2, 4, 4));
            NDArray leaf = m.create(w, new Shape(1, 1, 2, 2));
            leaf.setRequiresGradient(true);
            float[] mask;
            try (GradientCollector g = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = loss.mask(leaf);
                assertEquals(new Shape(1, 1, 4, 4), out.getShape());
                mask = out.toFloatArray();
                g.backward(out.mul(m.create(c, new Shape(1, 1, 4, 4))).sum());
            }
            float[] gradient = leaf.getGradient().toFloatArray();
            // the 1-D weights of 2 -> 4 with half-pixel centres: rows (1, 0), (3/4, 1/4), (1/4, 3/4), (0, 1)
            double[][] a = {{1, 0}, {0.75, 0.25}, {0.25, 0.75}, {0, 1}};
            double[] s = new double[4];
            for (int j = 0; j < 4; j++) {
                s[j] = sigmoid(w[j] / t);
            }
            double[] expectGradient = new double[4];
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    double v = 0;
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 2; j++) {
                            v += a[y][i] * a[x][j] * s[2 * i + j];
                            // d mask(y, x) / d w_ij = a[y][i] a[x][j] s (1 - s) / T
                            expectGradient[2 * i + j] += c[4 * y + x] * a[y][i] * a[x][j]
                                    * s[2 * i + j] * (1 - s[2 * i + j]) / t;
                        }
                    }
                    assertEquals(v, mask[4 * y + x], 1e-6, "mask at (" + y + ", " + x + ")");
                }
            }
            // the corners are the corner cells' sigmoids, the centre the mean of the four
            assertEquals(s[0], mask[0], 1e-6);
            assertEquals((s[0] * 9 + s[1] * 3 + s[2] * 3 + s[3]) / 16, mask[5], 1e-6);
            for (int j = 0; j < 4; j++) {
                assertEquals(expectGradient[j], gradient[j], 1e-5, "gradient of weight " + j);
            }
        }
    }

    /**
     * A 5×5 image at stride 2 has a 3×3 grid; 3 -> 5 weighs the middle row more than the edge rows (1.8 against 1.6
     * output pixels), so the sparsity term is a weighted mean of |w + limit|, not the grid's plain mean. The
     * prediction sees the upsampled mask, the smoothness term is the Laplacian of the 3×3 grid (one VALID centre)
     * divided by the cells' area in pixels, (5/3)².
     */
    @Test
    void termsOfAStrideTwoGridMatchHandComputation() {
        int h = 5;
        int g = 3;
        SplittableRandom r = new SplittableRandom(11);
        float[] a = new float[h * h];
        float[] x = new float[3 * h * h];
        float[] w = new float[g * g];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 16 - 12); // some |w + limit| change sign around limit 4
        }
        double t = 0.3;
        double limit = 4;
        double[] lambda = {0.4, 0.7, 0.05};
        try (BlockClassifier model = handModel(h, h, a); NDManager m = NDManager.newBaseManager("PyTorch")) {
            NeuroMaskLoss loss = new NeuroMaskLoss(model, m.create(new float[] {0, 1, 0}, new Shape(1, 3)),
                    m.create(new float[] {(float) (1 / t)}, new Shape(1, 1, 1, 1)),
                    m.create(new float[] {(float) limit}, new Shape(1, 1, 1, 1)),
                    m.create(new float[] {0.4f, 0.7f, 0.05f}, new Shape(1, 3)), 3, null, null, false,
                    new Upsampling(m, g, g, h, h));
            NeuroMaskLoss.Terms terms = loss.evaluate(m.create(x, new Shape(1, 3, h, h)), m.create(w, new Shape(1, 1, g, g)));

            double[] mask = new double[h * h];
            double l1 = 0;
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < h; xx++) {
                    double v = 0;
                    double cover = 0;
                    for (int i = 0; i < g; i++) {
                        for (int j = 0; j < g; j++) {
                            double k = weight(g, h, y, i) * weight(g, h, xx, j);
                            v += k * sigmoid(w[g * i + j] / t);
                            cover += k * Math.abs(w[g * i + j] + limit);
                        }
                    }
                    mask[h * y + xx] = v;
                    l1 += cover;
                }
            }
            l1 /= h * h;
            double[] logits = new double[3];
            for (int p = 0; p < h * h; p++) {
                logits[0] += 0.5 * a[p] * x[p] * mask[p] - 0.3 * x[h * h + p] * mask[p];
                logits[1] += 0.2 * x[2 * h * h + p] * mask[p];
            }
            double max = Math.max(logits[0], Math.max(logits[1], 0));
            double ce = max + Math.log(Math.exp(logits[0] - max) + Math.exp(logits[1] - max) + Math.exp(-max))
                    - logits[1];
            double lap = 8 * w[4];
            for (int i = 0; i < 9; i++) {
                lap -= i == 4 ? 0 : w[i];
            }
            lap /= (5.0 / 3) * (5.0 / 3); // in pixel units: the cells are 5/3 pixels apart
            assertArrayEquals(toFloat(mask), terms.mask().toFloatArray(), 1e-6f, "the upsampled mask");
            assertEquals(lambda[0] * ce, terms.prediction().toFloatArray()[0], 1e-5, "prediction term");
            assertEquals(lambda[1] * l1, terms.sparsity().toFloatArray()[0], 1e-5, "sparsity term");
            assertEquals(lambda[2] * lap * lap, terms.smoothness().toFloatArray()[0], 1e-5 * Math.max(1, lap * lap),
                    "smoothness term");
            double plainMean = 0;
            for (float v : w) {
                plainMean += Math.abs(v + limit) / 9;
            }
            assertTrue(Math.abs(plainMean - l1) > 1e-3, "the weighted and the plain mean differ here: " + plainMean
                    + " vs " + l1);
        }
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /**
     * An upsampling from the image to itself is the identity: the loss, its terms and its gradient are the ones
     * without upsampling (stride 1, the paper's path), bit for bit.
     */
    @Test
    void anIdentityUpsamplingChangesNothing() {
        int h = 6;
        SplittableRandom r = new SplittableRandom(2);
        float[] a = new float[h * h];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
        }
        try (BlockClassifier model = handModel(h, h, a); NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray pixels = m.randomUniform(0, 1, new Shape(2, 3, h, h));
            NDArray w = m.randomUniform(-10, 10, new Shape(2, 1, h, h));
            float[][] terms = new float[2][];
            float[][] gradients = new float[2][];
            for (int k = 0; k < 2; k++) {
                NeuroMaskLoss loss = new NeuroMaskLoss(model, m.create(new float[] {1, 0, 0, 0, 0, 1}, new Shape(2, 3)),
                        m.ones(new Shape(2, 1, 1, 1)), m.full(new Shape(2, 1, 1, 1), 10f),
                        m.create(new float[] {0.4f, 0.35f, 0.15f, 1f, 0.2f, 0.03f}, new Shape(2, 3)), 3, null, null,
                        false, k == 0 ? null : new Upsampling(m, h, h, h, h));
                NDArray leaf = w.duplicate();
                leaf.setRequiresGradient(true);
                try (GradientCollector g = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NeuroMaskLoss.Terms t = loss.evaluate(pixels, leaf);
                    terms[k] = t.perImage().toFloatArray();
                    g.backward(t.total());
                }
                gradients[k] = leaf.getGradient().toFloatArray();
            }
            assertArrayEquals(terms[0], terms[1]);
            assertArrayEquals(gradients[0], gradients[1]);
        }
    }

    /**
     * The coarse-to-fine switch: before iteration {@code coarseIterations} the batch refines to one weight per pixel
     * whose mask is the coarse mask (to float rounding of {@code T·logit}), never at another iteration and never
     * again.
     */
    @Test
    void theSwitchToOneWeightPerPixelKeepsTheMask() {
        int h = 16;
        try (BlockClassifier model = handModel(h, h, new float[h * h]);
                NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray pixels = m.randomUniform(0, 1, new Shape(2, 3, h, h));
            NeuroMaskObjective o = Preset.FAST_CIFAR10.neuroMask().withIterations(10).withCoarseToFine(5, 4);
            io.neuromask.engine.MaskBatch batch = o.start(new io.neuromask.engine.MaskBatch.Context(model, pixels,
                    new int[] {0, 1}, 3, m), List.of(o, o.withTemperature(0.5)));
            NDArray w = m.randomUniform(-3, 3, new Shape(2, 1, 4, 4));
            assertEquals(null, batch.refine(w, 4), "no switch before coarseIterations");
            io.neuromask.engine.MaskBatch.Refinement r = batch.refine(w, 5);
            assertEquals(new Shape(2, 1, h, h), r.parameters().getShape());
            assertArrayEquals(batch.saliency(w).toFloatArray(), r.batch().saliency(r.parameters()).toFloatArray(),
                    2e-6f, "the mask at the switch");
            assertEquals(null, r.batch().refine(r.parameters(), 5), "the fine batch does not switch again");
        }
    }

    @Test
    void theStrideIsASettingThatLeavesStrideOneAsItWas() {
        NeuroMaskObjective paper = Preset.PAPER_IMAGENET.neuroMask();
        assertEquals(1, paper.maskStride());
        assertEquals(paper, paper.withSetting("maskStride", "1"));
        assertTrue(!paper.settings().containsKey("maskStride"), "stride 1 is not written: " + paper.settings());
        NeuroMaskObjective coarse = Preset.FAITHFUL_IMAGENET.neuroMask().withSetting("maskStride", "8");
        assertEquals(8, coarse.maskStride());
        assertEquals(8, coarse.settings().get("maskStride"));
        assertEquals(NeuroMaskObjective.Border.REPLICATE, coarse.smoothnessBorder(), "the other grid setting stays");
        assertEquals(coarse, Preset.FAITHFUL_IMAGENET.neuroMask().withMaskStride(8));
        assertNotEquals(Preset.FAITHFUL_IMAGENET.neuroMask().batchKey(), coarse.batchKey());
        assertEquals(Preset.FAITHFUL_IMAGENET.neuroMask(), coarse.withMaskStride(1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> paper.withMaskStride(0));
        assertTrue(zero.getMessage().contains("maskStride must be at least 1"), zero.getMessage());
    }

    @Test
    void aStrideTheImageCannotHoldIsRefusedWithTheFix() {
        NeuroMaskObjective valid = Preset.PAPER_CIFAR10.neuroMask();
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> NeuroMaskBatch.checkGrid(valid.withMaskStride(40), 32, 32));
        assertTrue(large.getMessage().contains("larger than the model's 32x32") && large.getMessage().contains("at most 32"),
                large.getMessage());
        // 32 / 16 = a 2x2 grid, smaller than the VALID 3x3 Laplacian: at most 32 / 3 = 10, or replicate
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> NeuroMaskBatch.checkGrid(valid.withMaskStride(16), 32, 32));
        assertTrue(small.getMessage().contains("at most 10") && small.getMessage().contains("smoothnessBorder=replicate"),
                small.getMessage());
        NeuroMaskBatch.checkGrid(valid.withMaskStride(10), 32, 32);
        NeuroMaskBatch.checkGrid(valid.withMaskStride(32).withSmoothnessBorder(NeuroMaskObjective.Border.REPLICATE), 32,
                32);
    }
}
