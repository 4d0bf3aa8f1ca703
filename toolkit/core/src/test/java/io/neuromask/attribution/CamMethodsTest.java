package io.neuromask.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five CAM methods against a hand computation, in plain Java, on a network small enough for it: a 1×1
 * convolution (3 → 3 channels, fixed weights), a 2×2 average pool (the probed layer {@code "1"}: 3×2×2 for a 4×4
 * image), then ReLU, global average pooling and a fixed linear head to 3 classes. At the layer, with
 * {@code A = pool(conv(x))}, the logit is {@code z_t = Σ_k V_tk · mean_p ReLU(A_kp) + b_t}, so its gradient is
 * {@code g_kp = V_tk / 4 · [A_kp > 0]}.
 */
class CamMethodsTest {

    static final int SIZE = 4;
    static final int CHANNELS = 3;
    static final int CLASSES = 3;
    static final double[][] W = {{1.0, -0.5, 0.25}, {-0.75, 0.5, 1.0}, {0.5, 1.0, -1.0}};
    static final double[] B = {-0.2, 0.1, 0.05};
    static final double[][] V = {{2.0, -1.0, 0.5}, {-1.0, 1.5, 1.0}, {0.5, 0.5, -2.0}};
    static final double[] BV = {0.1, -0.2, 0.0};

    /** The batch size of every pass through the head. */
    static final List<Integer> HEAD_BATCHES = new CopyOnWriteArrayList<>();

    static BlockClassifier model;
    /** The same network with its logits times {@link #SMALL}: gradients of about 1e-5, as at SqueezeNet's fire8. */
    static BlockClassifier scaled;
    static final double SMALL = 1e-4;

    @BeforeAll
    static void build() {
        model = network(1);
        scaled = network(SMALL);
    }

    static BlockClassifier network(double scale) {
        SequentialBlock block = new SequentialBlock()
                .add(new LambdaBlock(in -> {
                    NDArray x = in.singletonOrThrow();
                    NDArray out = null;
                    for (int k = 0; k < CHANNELS; k++) {
                        float[] wk = {(float) W[k][0], (float) W[k][1], (float) W[k][2]};
                        NDArray ak = x.mul(x.getManager().create(wk, new Shape(1, 3, 1, 1))).sum(new int[] {1}, true)
                                .add((float) B[k]);
                        out = out == null ? ak : out.concat(ak, 1);
                    }
                    return new NDList(out);
                }, "conv"))
                .add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(new LambdaBlock(in -> {
                    NDArray a = in.singletonOrThrow();
                    HEAD_BATCHES.add((int) a.getShape().get(0));
                    NDArray r = a.maximum(0f).mean(new int[] {3}).mean(new int[] {2}); // N×C
                    float[] v = new float[CHANNELS * CLASSES];
                    float[] b = new float[CLASSES];
                    for (int j = 0; j < CLASSES; j++) {
                        b[j] = (float) BV[j];
                        for (int k = 0; k < CHANNELS; k++) {
                            v[k * CLASSES + j] = (float) V[j][k];
                        }
                    }
                    return new NDList(r.matMul(a.getManager().create(v, new Shape(CHANNELS, CLASSES)))
                            .add(a.getManager().create(b, new Shape(1, CLASSES))).mul((float) scale));
                }, "head"));
        return BlockClassifier.of("tiny-cam", block, List.of("a", "b", "c"), SIZE, SIZE, Normalization.NONE, null);
    }

    @AfterAll
    static void close() {
        model.close();
        scaled.close();
    }

    static RgbImage random(long seed) {
        Random r = new Random(seed);
        float[] px = new float[3 * SIZE * SIZE];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        return RgbImage.ofChw(px, 3, SIZE, SIZE);
    }

    static RgbImage uniform(float value) {
        float[] px = new float[3 * SIZE * SIZE];
        java.util.Arrays.fill(px, value);
        return RgbImage.ofChw(px, 3, SIZE, SIZE);
    }

    /** Four random images, then a uniform one, whose activation maps are constant. */
    static final List<RgbImage> IMAGES = List.of(random(1), random(2), random(3), random(4), uniform(0.5f));
    static final int UNIFORM = 4;
    static final int[] CLASS = {0, 1, 2, 1, 0};
    static final List<Target> TARGETS = java.util.Arrays.stream(CLASS).mapToObj(Target::index).toList();

    // ---- the hand computation ----

    /** {@code A[k][p]}, p the 2×2 cells row-major: the conv is linear, so it is the conv of each cell's mean. */
    static double[][] layer(float[] x) {
        double[][] a = new double[CHANNELS][4];
        for (int k = 0; k < CHANNELS; k++) {
            for (int p = 0; p < 4; p++) {
                int y0 = p / 2 * 2;
                int x0 = p % 2 * 2;
                double v = B[k];
                for (int c = 0; c < 3; c++) {
                    double mean = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            mean += x[c * SIZE * SIZE + (y0 + dy) * SIZE + x0 + dx] / 4.0;
                        }
                    }
                    v += W[k][c] * mean;
                }
                a[k][p] = v;
            }
        }
        return a;
    }

    static double[] logits(float[] x) {
        double[][] a = layer(x);
        double[] z = new double[CLASSES];
        for (int j = 0; j < CLASSES; j++) {
            z[j] = BV[j];
            for (int k = 0; k < CHANNELS; k++) {
                double r = 0;
                for (int p = 0; p < 4; p++) {
                    r += Math.max(0, a[k][p]) / 4;
                }
                z[j] += V[j][k] * r;
            }
        }
        return z;
    }

    static double softmax(double[] z, int t) {
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v);
        }
        return Math.exp(z[t]) / sum;
    }

    /** {@code ∂ z_t / ∂ A[k][p]}. */
    static double[][] gradient(double[][] a, int t) {
        double[][] g = new double[CHANNELS][4];
        for (int k = 0; k < CHANNELS; k++) {
            for (int p = 0; p < 4; p++) {
                g[k][p] = a[k][p] > 0 ? V[t][k] / 4 : 0;
            }
        }
        return g;
    }

    /** 2×2 to 4×4, bilinear with half-pixel centres: rows (columns) 0..3 take 1, ¾ + ¼, ¼ + ¾, 1 of cells 0, 1. */
    static double[] up(double[] cells) {
        double[][] f = {{1, 0}, {0.75, 0.25}, {0.25, 0.75}, {0, 1}};
        double[] out = new double[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        out[y * SIZE + x] += f[y][i] * f[x][j] * cells[i * 2 + j];
                    }
                }
            }
        }
        return out;
    }

    /** {@code ReLU(Σ_k w[k][p] · A[k][p])} upsampled, for weights per activation. */
    static float[] cam(double[][] a, double[][] w) {
        double[] cells = new double[4];
        for (int p = 0; p < 4; p++) {
            for (int k = 0; k < CHANNELS; k++) {
                cells[p] += w[k][p] * a[k][p];
            }
            cells[p] = Math.max(0, cells[p]);
        }
        double[] u = up(cells);
        float[] out = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = (float) u[i];
        }
        return out;
    }

    /** Channel weights spread over the cells. */
    static double[][] perChannel(double[] w) {
        double[][] out = new double[CHANNELS][4];
        for (int k = 0; k < CHANNELS; k++) {
            java.util.Arrays.fill(out[k], w[k]);
        }
        return out;
    }

    static float[] expectedGradCam(float[] x, int t) {
        double[][] a = layer(x);
        double[][] g = gradient(a, t);
        double[] w = new double[CHANNELS];
        for (int k = 0; k < CHANNELS; k++) {
            for (int p = 0; p < 4; p++) {
                w[k] += g[k][p] / 4;
            }
        }
        return cam(a, perChannel(w));
    }

    static float[] expectedGradCamPlusPlus(float[] x, int t) {
        return expectedGradCamPlusPlus(x, t, 1);
    }

    /** With the logits times {@code scale}, so the gradient too. */
    static float[] expectedGradCamPlusPlus(float[] x, int t, double scale) {
        return expectedGradCamPlusPlus(x, t, scale, 0);
    }

    /** With {@code epsilon} added to the denominator. */
    static float[] expectedGradCamPlusPlus(float[] x, int t, double scale, double epsilon) {
        double[][] a = layer(x);
        double[][] g = gradient(a, t);
        for (double[] channel : g) {
            for (int p = 0; p < 4; p++) {
                channel[p] *= scale;
            }
        }
        double[] w = new double[CHANNELS];
        for (int k = 0; k < CHANNELS; k++) {
            double sum = a[k][0] + a[k][1] + a[k][2] + a[k][3];
            for (int p = 0; p < 4; p++) {
                double g2 = g[k][p] * g[k][p];
                double denominator = 2 * g2 + sum * g2 * g[k][p] + epsilon;
                double alpha = denominator == 0 ? 0 : g2 / denominator;
                w[k] += alpha * Math.max(0, g[k][p]);
            }
        }
        return cam(a, perChannel(w));
    }

    static float[] expectedLayerCam(float[] x, int t) {
        double[][] a = layer(x);
        double[][] g = gradient(a, t);
        double[][] w = new double[CHANNELS][4];
        for (int k = 0; k < CHANNELS; k++) {
            for (int p = 0; p < 4; p++) {
                w[k][p] = Math.max(0, g[k][p]);
            }
        }
        return cam(a, w);
    }

    static float[] expectedScoreCam(float[] x, int t) {
        double[][] a = layer(x);
        double[] w = new double[CHANNELS];
        for (int k = 0; k < CHANNELS; k++) {
            double[] m = up(a[k]);
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (double v : m) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (hi - lo < 1e-9) {
                continue; // a constant channel weighs 0
            }
            float[] masked = new float[x.length];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < SIZE * SIZE; i++) {
                    masked[c * SIZE * SIZE + i] = (float) (x[c * SIZE * SIZE + i] * (m[i] - lo) / (hi - lo));
                }
            }
            w[k] = softmax(logits(masked), t);
        }
        return cam(a, perChannel(w));
    }

    /** Opti-CAM's saliency {@code n(up(Σ_k softmax(u)_k ReLU(A_k)))}; a constant map hides every pixel. */
    static double[] optiCamSaliency(double[][] a, double[] u) {
        double[] w = softmax(u);
        double[] cells = new double[4];
        for (int p = 0; p < 4; p++) {
            for (int k = 0; k < CHANNELS; k++) {
                cells[p] += w[k] * Math.max(0, a[k][p]);
            }
        }
        double[] m = up(cells);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double v : m) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double[] out = new double[m.length];
        for (int i = 0; i < m.length && hi - lo > 1e-9; i++) {
            out[i] = (m[i] - lo) / (hi - lo);
        }
        return out;
    }

    static double[] softmax(double[] u) {
        double sum = 0;
        for (double v : u) {
            sum += Math.exp(v);
        }
        double[] out = new double[u.length];
        for (int k = 0; k < u.length; k++) {
            out[k] = Math.exp(u[k]) / sum;
        }
        return out;
    }

    /** The target's logit of the image times Opti-CAM's saliency at {@code u}. */
    static double optiCamScore(float[] x, double[][] a, double[] u, int t) {
        double[] s = optiCamSaliency(a, u);
        float[] masked = new float[x.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < SIZE * SIZE; i++) {
                masked[c * SIZE * SIZE + i] = (float) (x[c * SIZE * SIZE + i] * s[i]);
            }
        }
        return logits(masked)[t];
    }

    /**
     * Opti-CAM's weights after {@code iterations} Adam steps (PyTorch's, β 0.9/0.999, ε 1e-8) from {@code u = ½},
     * the gradient of the score by central differences.
     */
    static double[] optiCamWeights(float[] x, int t, int iterations, double lr) {
        double[][] a = layer(x);
        double[] u = {0.5, 0.5, 0.5};
        double[] m = new double[CHANNELS];
        double[] v = new double[CHANNELS];
        for (int step = 1; step <= iterations; step++) {
            double[] g = new double[CHANNELS];
            for (int k = 0; k < CHANNELS; k++) {
                double h = 1e-3; // the masked image is rounded to float: a smaller step would difference its rounding
                double[] plus = u.clone();
                double[] minus = u.clone();
                plus[k] += h;
                minus[k] -= h;
                g[k] = -(optiCamScore(x, a, plus, t) - optiCamScore(x, a, minus, t)) / (2 * h); // ascent
            }
            for (int k = 0; k < CHANNELS; k++) {
                m[k] = 0.9 * m[k] + 0.1 * g[k];
                v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
                double mHat = m[k] / (1 - Math.pow(0.9, step));
                double vHat = v[k] / (1 - Math.pow(0.999, step));
                u[k] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        return u;
    }

    static float[] expectedOptiCam(float[] x, int t) {
        double[][] a = layer(x);
        double[] w = softmax(optiCamWeights(x, t, OPTI_ITERATIONS, OPTI_LR));
        double[][] perActivation = new double[CHANNELS][4];
        for (int k = 0; k < CHANNELS; k++) {
            for (int p = 0; p < 4; p++) {
                perActivation[k][p] = a[k][p] > 0 ? w[k] : 0;
            }
        }
        return cam(a, perActivation);
    }

    static final int OPTI_ITERATIONS = 6;
    static final double OPTI_LR = 0.3;

    interface Expected {
        float[] map(float[] x, int t);
    }

    static List<SaliencyMap> assertMatches(CamAttribution method, Expected expected) {
        List<SaliencyMap> maps = method.attribute(IMAGES, TARGETS);
        for (int i = 0; i < IMAGES.size(); i++) {
            float[] want = expected.map(IMAGES.get(i).toChw(), CLASS[i]);
            assertArrayEquals(want, maps.get(i).values(), 2e-6f, method.name() + " image " + i);
        }
        return maps;
    }

    // ---- the tests ----

    @Test
    void theHandComputedNetworkIsTheModelAndReachesEveryCase() {
        int zeroGradients = 0;
        int negativeWeights = 0;
        for (int i = 0; i < IMAGES.size(); i++) {
            float[] x = IMAGES.get(i).toChw();
            try (NDManager m = NDManager.newBaseManager(model.device(), "PyTorch")) {
                float[] got = model.logits(m.create(x, new Shape(1, 3, SIZE, SIZE))).toFloatArray();
                double[] want = logits(x);
                for (int j = 0; j < CLASSES; j++) {
                    assertEquals(want[j], got[j], 1e-6, "logit " + j + " of image " + i);
                }
            }
            double[][] a = layer(x);
            double[][] g = gradient(a, CLASS[i]);
            for (int k = 0; k < CHANNELS; k++) {
                double meanGradient = 0;
                for (int p = 0; p < 4; p++) {
                    zeroGradients += g[k][p] == 0 ? 1 : 0;
                    meanGradient += g[k][p];
                }
                negativeWeights += meanGradient < 0 ? 1 : 0;
            }
        }
        assertTrue(zeroGradients > 0, "some activations are cut by the head's ReLU (zero gradient)");
        assertTrue(negativeWeights > 0, "some channels count against the target");
        List<Expected> methods = List.of(CamMethodsTest::expectedGradCam, CamMethodsTest::expectedGradCamPlusPlus,
                CamMethodsTest::expectedLayerCam, CamMethodsTest::expectedScoreCam);
        for (int i = 0; i < UNIFORM; i++) {
            float[] x = IMAGES.get(i).toChw();
            for (int f = 0; f < methods.size(); f++) {
                float[] one = methods.get(f).map(x, CLASS[i]);
                assertTrue(max(one) > 0, "method " + f + ", image " + i + ": a map that is not all zero");
                for (int o = 0; o < f; o++) {
                    float[] other = methods.get(o).map(x, CLASS[i]);
                    assertTrue(maxDifference(one, other) > 1e-3, "methods " + o + " and " + f + " differ on image "
                            + i);
                }
            }
        }
        float[] uniform = IMAGES.get(UNIFORM).toChw();
        assertTrue(max(expectedGradCam(uniform, CLASS[UNIFORM])) > 0, "Grad-CAM sees the uniform image's channels");
        assertEquals(0f, max(expectedScoreCam(uniform, CLASS[UNIFORM])), "constant channels weigh 0 in Score-CAM");
    }

    static float max(float[] v) {
        float m = -Float.MAX_VALUE;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }

    static float[] scaled(float[] v, float factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    static float maxDifference(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void gradCamMatchesTheHandComputation() {
        assertMatches(new GradCam(model, "1", 2), CamMethodsTest::expectedGradCam);
    }

    @Test
    void gradCamPlusPlusMatchesTheHandComputation() {
        assertMatches(new GradCamPlusPlus(model, "1", 2), CamMethodsTest::expectedGradCamPlusPlus);
    }

    /**
     * At gradients of about 1e-5 the weights are still the closed form's: a 1e-6 added to the denominator (as
     * pytorch-grad-cam adds) would outweigh {@code 2 g²} (about 1e-10) and change the map.
     */
    @Test
    void gradCamPlusPlusKeepsTheClosedFormAtSmallGradients() {
        List<SaliencyMap> maps = new GradCamPlusPlus(scaled, "1", 2).attribute(IMAGES, TARGETS);
        float shapeChange = 0;
        for (int i = 0; i < UNIFORM; i++) {
            float[] want = expectedGradCamPlusPlus(IMAGES.get(i).toChw(), CLASS[i], SMALL);
            assertArrayEquals(want, maps.get(i).values(), 1e-4f * max(want), "image " + i);
            float[] epsilon = expectedGradCamPlusPlus(IMAGES.get(i).toChw(), CLASS[i], SMALL, 1e-6);
            shapeChange = Math.max(shapeChange, maxDifference(scaled(want, 1 / max(want)),
                    scaled(epsilon, 1 / max(epsilon))));
        }
        assertTrue(shapeChange > 0.2, "with the 1e-6 the max-normalised maps would differ by " + shapeChange);
    }

    @Test
    void layerCamMatchesTheHandComputation() {
        assertMatches(new LayerCam(model, "1", 2), CamMethodsTest::expectedLayerCam);
    }

    @Test
    void scoreCamMatchesTheHandComputation() {
        assertMatches(new ScoreCam(model, "1", 2), CamMethodsTest::expectedScoreCam);
    }

    @Test
    void optiCamMatchesTheHandComputation() {
        List<SaliencyMap> maps = new OptiCam(model, "1", 2, OPTI_ITERATIONS, OPTI_LR).attribute(IMAGES, TARGETS);
        // float autograd against double central differences over six Adam steps: Adam divides each gradient by its
        // own size, so a channel whose gradient is small (image 2's nearly uniform channel 1, about 1e-4) carries
        // their relative difference into the step; 0.2 % of the map's maximum (the others agree within 1e-5)
        for (int i = 0; i < IMAGES.size(); i++) {
            float[] want = expectedOptiCam(IMAGES.get(i).toChw(), CLASS[i]);
            assertTrue(max(want) > 0, "image " + i + " has a map");
            assertArrayEquals(want, maps.get(i).values(), 2e-3f * max(want), "image " + i);
        }
        // the uniform image's map is constant and hides every pixel: no gradient, its equal weights stay
        double[] w = optiCamWeights(IMAGES.get(UNIFORM).toChw(), CLASS[UNIFORM], OPTI_ITERATIONS, OPTI_LR);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, w, 0.0, "a constant map gives no gradient");
    }

    @Test
    void optiCamRefusesSettingsOutOfRange() {
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new OptiCam(model, "1", 2, 0, 0.1));
        assertTrue(none.getMessage().contains("at least 1 iteration"), none.getMessage());
        for (double lr : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> new OptiCam(model, "1", 2, 5, lr));
            assertTrue(bad.getMessage().contains("learning rate must be finite and > 0"), bad.getMessage());
        }
    }

    @Test
    void eachImagesMapIsTheSameAloneAndInABatch() {
        List<CamAttribution> batched = List.of(new GradCam(model, "1", 3), new GradCamPlusPlus(model, "1", 3),
                new ScoreCam(model, "1", 3), new LayerCam(model, "1", 3), new OptiCam(model, "1", 3, 4, 0.3));
        List<CamAttribution> single = List.of(new GradCam(model, "1", 1), new GradCamPlusPlus(model, "1", 1),
                new ScoreCam(model, "1", 1), new LayerCam(model, "1", 1), new OptiCam(model, "1", 1, 4, 0.3));
        for (int f = 0; f < batched.size(); f++) {
            List<SaliencyMap> together = batched.get(f).attribute(IMAGES, TARGETS);
            for (int i = 0; i < IMAGES.size(); i++) {
                SaliencyMap alone = single.get(f).attribute(IMAGES.get(i), TARGETS.get(i));
                assertArrayEquals(alone.values(), together.get(i).values(), 1e-6f,
                        batched.get(f).name() + ": image " + i + " alone and in a batch of 3");
            }
        }
    }

    /** One pass to read the layer, then one per varying channel, never more than the batch size at once. */
    @Test
    void scoreCamRunsOnePassPerVaryingChannelInBatches() {
        ScoreCam scoreCam = new ScoreCam(model, "1", 2);
        HEAD_BATCHES.clear();
        scoreCam.attribute(IMAGES, TARGETS);
        int varying = 0;
        for (RgbImage image : IMAGES) {
            for (double[] channel : layer(image.toChw())) {
                varying += channel[0] == channel[1] && channel[1] == channel[2] && channel[2] == channel[3] ? 0 : 1;
            }
        }
        assertEquals(4 * CHANNELS, varying, "every channel of the random images varies, none of the uniform one's");
        assertEquals(IMAGES.size() + varying, HEAD_BATCHES.stream().mapToInt(Integer::intValue).sum(),
                "inputs through the model");
        assertTrue(HEAD_BATCHES.stream().allMatch(b -> b <= 2), "batches of at most 2: " + HEAD_BATCHES);
    }
}
