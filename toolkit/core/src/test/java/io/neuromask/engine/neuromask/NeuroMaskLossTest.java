package io.neuromask.engine.neuromask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import io.neuromask.internal.InitialWeights;
import io.neuromask.internal.Laplacian;
import io.neuromask.internal.RmsProp;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Normalization;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each loss term and one RMSProp step against values computed by hand, in double precision. */
class ObjectiveTest {

    private static final int N = 2;
    private static final int H = 5;
    private static final int W = 6;
    private static BlockClassifier model;

    /** logit 0 = 0.7·sum(R) − 0.2·sum(B), logit 1 = 0.1·sum(G), logit 2 = 0. */
    @BeforeAll
    static void model() {
        LambdaBlock block = new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            long n = x.getShape().get(0);
            NDArray r = x.get(":, 0").reshape(n, -1).sum(new int[] {1});
            NDArray g = x.get(":, 1").reshape(n, -1).sum(new int[] {1});
            NDArray b = x.get(":, 2").reshape(n, -1).sum(new int[] {1});
            // constants as tensors on the input's manager: autograd keeps them for the backward pass
            NDArray l0 = r.mul(x.getManager().create(0.7f)).sub(b.mul(x.getManager().create(0.2f))).expandDims(1);
            NDArray l1 = g.mul(x.getManager().create(0.1f)).expandDims(1);
            return new NDList(l0.concat(l1, 1).concat(l0.zerosLike(), 1));
        }, "hand");
        model = BlockClassifier.of("hand", block, List.of("a", "b", "c"), H, W, Normalization.NONE, null);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void termsMatchHandComputation() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[N * 3 * H * W];
        float[] w = new float[N * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 20 - 10);
        }
        int[] target = {0, 1};
        double[] t = {1.0, 0.3};
        double[] limit = {10, 4};
        double[][] lambda = {{0.4, 0.35, 0.15}, {1.5, 0.2, 0.03}};
        int k = 3;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] oneHot = new float[N * 3];
            oneHot[target[0]] = 1;
            oneHot[3 + target[1]] = 1;
            NeuroMaskLoss objective = new NeuroMaskLoss(model, m.create(oneHot, new Shape(N, 3)),
                    m.create(new float[] {(float) (1 / t[0]), (float) (1 / t[1])}, new Shape(N, 1, 1, 1)),
                    m.create(new float[] {(float) limit[0], (float) limit[1]}, new Shape(N, 1, 1, 1)),
                    m.create(new float[] {0.4f, 0.35f, 0.15f, 1.5f, 0.2f, 0.03f}, new Shape(N, 3)),
                    k);
            NeuroMaskLoss.Terms terms = objective.evaluate(m.create(x, new Shape(N, 3, H, W)), m.create(w, new Shape(N, 1, H, W)));
            float[] pred = terms.prediction().toFloatArray();
            float[] sparse = terms.sparsity().toFloatArray();
            float[] smooth = terms.smoothness().toFloatArray();
            float[] total = terms.perImage().toFloatArray();

            for (int i = 0; i < N; i++) {
                double[] mask = new double[H * W];
                double sumR = 0, sumG = 0, sumB = 0, l1 = 0;
                for (int p = 0; p < H * W; p++) {
                    double wi = w[i * H * W + p];
                    mask[p] = 1 / (1 + Math.exp(-wi / t[i]));
                    sumR += x[(i * 3) * H * W + p] * mask[p];
                    sumG += x[(i * 3 + 1) * H * W + p] * mask[p];
                    sumB += x[(i * 3 + 2) * H * W + p] * mask[p];
                    l1 += Math.abs(wi + limit[i]);
                }
                double[] logits = {0.7 * sumR - 0.2 * sumB, 0.1 * sumG, 0};
                double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
                double lse = max + Math.log(Math.exp(logits[0] - max) + Math.exp(logits[1] - max) + Math.exp(logits[2] - max));
                double ce = lse - logits[target[i]];
                double lap = 0;
                for (int y = 1; y < H - 1; y++) {
                    for (int xx = 1; xx < W - 1; xx++) {
                        double v = 8 * w[i * H * W + y * W + xx];
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                if (dy != 0 || dx != 0) {
                                    v -= w[i * H * W + (y + dy) * W + xx + dx];
                                }
                            }
                        }
                        lap += v * v;
                    }
                }
                lap /= (H - 2) * (W - 2);
                double expectPred = lambda[i][0] * ce;
                double expectSparse = lambda[i][1] * l1 / (H * W);
                double expectSmooth = lambda[i][2] * lap;
                assertEquals(expectPred, pred[i], 1e-4 * Math.max(1, expectPred), "prediction term " + i);
                assertEquals(expectSparse, sparse[i], 1e-4 * expectSparse, "sparsity term " + i);
                assertEquals(expectSmooth, smooth[i], 1e-4 * expectSmooth, "smoothness term " + i);
                assertEquals(expectPred + expectSparse + expectSmooth, total[i], 1e-4 * total[i], "total " + i);
            }
        }
    }

    /** The logits of the hand model for one image (C×H×W at offset {@code off}) scaled per pixel by {@code s}. */
    private static double[] handLogits(float[] x, int off, double[] s, float[] b, double[] bs) {
        double sumR = 0, sumG = 0, sumB = 0;
        for (int p = 0; p < H * W; p++) {
            sumR += x[off + p] * s[p] + (b == null ? 0 : b[off + p] * bs[p]);
            sumG += x[off + H * W + p] * s[p] + (b == null ? 0 : b[off + H * W + p] * bs[p]);
            sumB += x[off + 2 * H * W + p] * s[p] + (b == null ? 0 : b[off + 2 * H * W + p] * bs[p]);
        }
        return new double[] {0.7 * sumR - 0.2 * sumB, 0.1 * sumG, 0};
    }

    private static double softmax(double[] z, int c) {
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return Math.exp(z[c] - max) / sum;
    }

    @Test
    void deletionTermAndBaselineMatchHandComputation() {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[N * 3 * H * W];
        float[] b = new float[N * 3 * H * W];
        float[] w = new float[N * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
            b[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 6 - 3);
        }
        int[] target = {0, 1};
        double[] lambdaDeletion = {0.4, 2.0};
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] oneHot = new float[N * 3];
            oneHot[target[0]] = 1;
            oneHot[3 + target[1]] = 1;
            NeuroMaskLoss objective = new NeuroMaskLoss(model, m.create(oneHot, new Shape(N, 3)), m.ones(new Shape(N, 1, 1, 1)),
                    m.create(new float[] {10, 10}, new Shape(N, 1, 1, 1)),
                    m.create(new float[] {0.4f, 0.35f, 0.15f, 0.4f, 0.35f, 0.15f}, new Shape(N, 3)), 3,
                    m.create(new float[] {(float) lambdaDeletion[0], (float) lambdaDeletion[1]}, new Shape(N)),
                    m.create(b, new Shape(N, 3, H, W)));
            NDArray pixels = m.create(x, new Shape(N, 3, H, W));
            NeuroMaskLoss.Terms terms = objective.evaluate(pixels, m.create(w, new Shape(N, 1, H, W)));
            float[] pred = terms.prediction().toFloatArray();
            float[] del = terms.deletion().toFloatArray();
            float[] total = terms.perImage().toFloatArray();
            float[] sparse = terms.sparsity().toFloatArray();
            float[] smooth = terms.smoothness().toFloatArray();
            for (int i = 0; i < N; i++) {
                double[] mask = new double[H * W];
                double[] inverse = new double[H * W];
                for (int p = 0; p < H * W; p++) {
                    mask[p] = 1 / (1 + Math.exp(-w[i * H * W + p]));
                    inverse[p] = 1 - mask[p];
                }
                double ce = -Math.log(softmax(handLogits(x, i * 3 * H * W, mask, b, inverse), target[i]));
                double kept = softmax(handLogits(x, i * 3 * H * W, inverse, null, null), target[i]);
                double expectDel = lambdaDeletion[i] * -Math.log(1 - kept + 1e-6);
                assertEquals(0.4 * ce, pred[i], 1e-4 * Math.max(1, ce), "prediction on x*m + b*(1-m), image " + i);
                assertEquals(expectDel, del[i], 1e-4 * Math.max(1, expectDel), "deletion term, image " + i);
                assertEquals(pred[i] + del[i] + sparse[i] + smooth[i], total[i], 1e-4 * total[i], "total " + i);
            }
            // a shrunk batch keeps each row's weight and baseline
            NeuroMaskLoss.Terms second = objective.select(m.create(new long[] {1}))
                    .evaluate(pixels.get("1:2"), m.create(w, new Shape(N, 1, H, W)).get("1:2"));
            assertEquals(del[1], second.deletion().toFloatArray()[0], 1e-6f);
            assertEquals(pred[1], second.prediction().toFloatArray()[0], 1e-6f);
            // without the parts: the paper's objective, no deletion term
            NeuroMaskLoss plain = new NeuroMaskLoss(model, m.create(oneHot, new Shape(N, 3)), m.ones(new Shape(N, 1, 1, 1)),
                    m.create(new float[] {10, 10}, new Shape(N, 1, 1, 1)),
                    m.create(new float[] {0.4f, 0.35f, 0.15f, 0.4f, 0.35f, 0.15f}, new Shape(N, 3)), 3);
            NeuroMaskLoss.Terms paper = plain.evaluate(pixels, m.create(w, new Shape(N, 1, H, W)));
            assertEquals(null, paper.deletion());
            assertArrayEquals(paper.logits().toFloatArray(), model.logits(pixels.mul(paper.mask())).toFloatArray());
        }
    }

    /** Both ways of pooling: one image at a time (batch 2) and the images as channels (a larger batch). */
    private static final int[] BATCHES = {2, NeuroMaskLoss.IMAGES_AS_CHANNELS + 1};

    @Test
    void poolingLaplacianEqualsTheConvolutionWithThePapersKernel() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int n : BATCHES) {
                for (int k : new int[] {3, 5}) {
                    NDArray w = m.randomUniform(-10, 10, new Shape(n, 1, 9, 11));
                    NeuroMaskLoss objective = new NeuroMaskLoss(model, m.zeros(new Shape(n, 3)),
                            m.ones(new Shape(n, 1, 1, 1)), m.ones(new Shape(n, 1, 1, 1)), m.ones(new Shape(n, 3)), k);
                    NDArray viaConv = ai.djl.nn.convolutional.Conv2d.conv2d(w,
                            m.create(Laplacian.kernel(k), new Shape(1, 1, k, k))).singletonOrThrow();
                    NDArray viaPool = objective.laplacian(w);
                    assertEquals(viaConv.getShape(), viaPool.getShape());
                    assertArrayEquals(viaConv.toFloatArray(), viaPool.toFloatArray(), 1e-3f, "k = " + k + ", n = " + n);
                }
            }
        }
    }

    /**
     * A batch large enough to pool with the images as channels gives each image the smoothness term and its gradient
     * that the image gets alone, within float rounding.
     */
    @Test
    void aLargeBatchGivesEachImageItsOwnSmoothnessAndGradient() {
        int n = NeuroMaskLoss.IMAGES_AS_CHANNELS + 3;
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (boolean replicate : new boolean[] {false, true}) {
                NDArray w = m.randomUniform(-10, 10, new Shape(n, 1, H, W));
                NDArray pixels = m.randomUniform(0, 1, new Shape(n, 3, H, W));
                float[] lambdas = new float[3 * n];
                for (int i = 0; i < n; i++) {
                    lambdas[3 * i + 2] = 0.1f * (i + 1); // smoothness only, a different weight per image
                }
                NeuroMaskLoss batch = new NeuroMaskLoss(model, m.zeros(new Shape(n, 3)), m.ones(new Shape(n, 1, 1, 1)),
                        m.ones(new Shape(n, 1, 1, 1)), m.create(lambdas, new Shape(n, 3)), 5, null, null, replicate);
                NDArray leaf = w.duplicate();
                leaf.setRequiresGradient(true);
                float[] terms;
                try (ai.djl.training.GradientCollector g = engine.newGradientCollector()) {
                    NeuroMaskLoss.Terms t = batch.evaluate(pixels, leaf);
                    terms = t.smoothness().toFloatArray();
                    g.backward(t.total());
                }
                float[] gradient = leaf.getGradient().toFloatArray();
                for (int i = 0; i < n; i++) {
                    NDArray rows = m.create(new long[] {i});
                    NDArray one = w.get(rows).duplicate();
                    one.setRequiresGradient(true);
                    float alone;
                    try (ai.djl.training.GradientCollector g = engine.newGradientCollector()) {
                        NeuroMaskLoss.Terms t = batch.select(rows).evaluate(pixels.get(rows), one);
                        alone = t.smoothness().getFloat();
                        g.backward(t.total());
                    }
                    assertEquals(alone, terms[i], 1e-5 * Math.abs(alone), "image " + i + ", replicate " + replicate);
                    float[] own = one.getGradient().toFloatArray();
                    for (int j = 0; j < own.length; j++) {
                        assertEquals(own[j], gradient[i * H * W + j], 1e-5 * (1 + Math.abs(own[j])),
                                "gradient of image " + i + " at " + j);
                    }
                }
            }
        }
    }

    /** REPLICATE: the Laplacian at every pixel, neighbours beyond the border taken from the nearest edge pixel. */
    @Test
    void replicatedBorderLaplacianMatchesAHandLoopAtEveryPixel() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int h = 7;
            int wd = 9;
            for (int k : new int[] {3, 5}) {
              for (int images : BATCHES) {
                NDArray w = m.randomUniform(-10, 10, new Shape(images, 1, h, wd));
                NeuroMaskLoss objective = new NeuroMaskLoss(model, m.zeros(new Shape(images, 3)),
                        m.ones(new Shape(images, 1, 1, 1)), m.ones(new Shape(images, 1, 1, 1)),
                        m.ones(new Shape(images, 3)), k, null, null, true);
                NDArray lap = objective.laplacian(w);
                assertEquals(new Shape(images, 1, h, wd), lap.getShape());
                float[] in = w.toFloatArray();
                float[] out = lap.toFloatArray();
                float[] kernel = Laplacian.kernel(k);
                int r = k / 2;
                for (int n = 0; n < images; n++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < wd; x++) {
                            double sum = 0;
                            for (int dy = -r; dy <= r; dy++) {
                                for (int dx = -r; dx <= r; dx++) {
                                    int yy = Math.min(h - 1, Math.max(0, y + dy));
                                    int xx = Math.min(wd - 1, Math.max(0, x + dx));
                                    sum += kernel[(dy + r) * k + dx + r] * in[(n * h + yy) * wd + xx];
                                }
                            }
                            assertEquals(sum, out[(n * h + y) * wd + x], 1e-3, "k " + k + " at " + y + "," + x);
                        }
                    }
                }
              }
                // a constant map is perfectly smooth up to the border
                NDArray flat = m.full(new Shape(1, 1, h, wd), 3f);
                NeuroMaskLoss one = new NeuroMaskLoss(model, m.zeros(new Shape(1, 3)), m.ones(new Shape(1, 1, 1, 1)),
                        m.ones(new Shape(1, 1, 1, 1)), m.ones(new Shape(1, 3)), k, null, null, true);
                assertEquals(0f, one.laplacian(flat).abs().max().getFloat(), 1e-5f);
            }
        }
    }

    @Test
    void laplacianKernelsHaveThePapersCentres() {
        float[] k3 = Laplacian.kernel(3);
        float[] k5 = Laplacian.kernel(5);
        assertEquals(8f, k3[4]);
        assertEquals(24f, k5[12]);
        assertEquals(-1f, k3[0]);
        assertEquals(-1f, k5[24]);
        double s3 = 0, s5 = 0;
        for (float v : k3) {
            s3 += v;
        }
        for (float v : k5) {
            s5 += v;
        }
        assertEquals(0, s3);
        assertEquals(0, s5);
    }

    @Test
    void rmsPropStepMatchesTf1Formula() {
        float[] w = {1.0f, -2.0f, 0.5f, 3.0f};
        float[] g = {0.2f, -0.1f, 0.0f, 4.0f};
        double lr = 0.03, decay = 0.9, eps = 1e-10, ms0 = 1.0;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Shape shape = new Shape(1, 1, 2, 2);
            Shape one = new Shape(1, 1, 1, 1);
            NDArray weights = m.create(w, shape);
            NDArray ms = m.full(shape, (float) ms0);
            RmsProp opt = new RmsProp(m.full(one, (float) lr), m.full(one, (float) decay), m.full(one, (float) eps), ms);
            opt.step(weights, m.create(g, shape));
            opt.step(weights, m.create(g, shape));
            float[] got = weights.toFloatArray();
            float[] expected = new float[4];
            for (int i = 0; i < 4; i++) {
                double acc = ms0;
                double wi = w[i];
                for (int step = 0; step < 2; step++) {
                    acc = decay * acc + (1 - decay) * g[i] * g[i];
                    wi -= lr * g[i] / Math.sqrt(acc + eps);
                }
                expected[i] = (float) wi;
            }
            assertArrayEquals(expected, got, 1e-6f);
            // First step from an accumulator of 1: 1.0 - 0.03 * 0.2 / sqrt(0.9 + 0.1 * 0.04)
            assertEquals(1.0 - 0.03 * 0.2 / Math.sqrt(0.904) - 0.03 * 0.2 / Math.sqrt(0.9 * 0.904 + 0.004), got[0], 1e-6);
        }
    }

    @Test
    void initialWeightsAreUniformInTheLimitAndSeeded() {
        float[] a = InitialWeights.uniform(5, 40, 50, 10);
        float[] b = InitialWeights.uniform(5, 40, 50, 10);
        float[] c = InitialWeights.uniform(6, 40, 50, 10);
        assertArrayEquals(a, b);
        double mean = 0;
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            mean += a[i];
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
            same += a[i] == c[i] ? 1 : 0;
        }
        mean /= a.length;
        assertEquals(0, mean, 0.5, "U(-10,10) has mean 0");
        assertEquals(-10, min, 0.1);
        assertEquals(10, max, 0.1);
        assertEquals(0, same, "another seed gives another start");
    }
}
