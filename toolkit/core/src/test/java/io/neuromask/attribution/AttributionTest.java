package io.neuromask.attribution;

import io.neuromask.NeuroMask;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.base.Attribution;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.neuromask.Preset;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Normalization;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.model.TinyCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every method finds the planted evidence; Integrated Gradients is complete; bad input is refused. */
class AttributionTest {

    static final int SIZE = 32;
    static final int TOP = 8;
    static final int LEFT = 16;
    static final int PATCH = 8;

    static BlockClassifier planted;
    static BlockClassifier pooled;
    static BlockClassifier tiny;

    @BeforeAll
    static void models() {
        planted = PlantedEvidence.model(SIZE, TOP, LEFT, PATCH, 10, null);
        pooled = pooledPlanted();
        tiny = TinyCnn.model(0, null);
    }

    @AfterAll
    static void close() {
        planted.close();
        pooled.close();
        tiny.close();
    }

    /** The planted-evidence logit behind a 4×4 average pool, so Grad-CAM has a spatial layer ("0"). */
    static BlockClassifier pooledPlanted() {
        NDIndex cells = new NDIndex(":, :, {}:{}, {}:{}", TOP / 4, (TOP + PATCH) / 4, LEFT / 4, (LEFT + PATCH) / 4);
        SequentialBlock block = new SequentialBlock()
                .add(Pool.avgPool2dBlock(new Shape(4, 4), new Shape(4, 4)))
                .add(new LambdaBlock(in -> {
                    NDArray f = in.singletonOrThrow();
                    NDArray e = f.get(cells).reshape(f.getShape().get(0), -1).mean(new int[] {1})
                            .sub(PlantedEvidence.THRESHOLD).mul(PlantedEvidence.GAIN).expandDims(1);
                    return new NDList(e.concat(e.zerosLike().repeat(1, 9), 1));
                }, "evidence"));
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            labels.add("c" + c);
        }
        return BlockClassifier.of("pooled-planted", block, labels, SIZE, SIZE, Normalization.NONE, null);
    }

    /**
     * Background noise in [0, 0.5], evidence patch in [0.4, 0.5]: class 0 wins, but not saturated, so
     * hiding part of the patch changes the probability (occlusion, RISE).
     */
    static RgbImage image(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] chw = new float[3 * SIZE * SIZE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    chw[(c * SIZE + y) * SIZE + x] = (float) (inside(y, x) ? 0.4 + 0.1 * r.nextDouble()
                            : 0.5 * r.nextDouble());
                }
            }
        }
        return RgbImage.ofChw(chw, 3, SIZE, SIZE);
    }

    static boolean inside(int y, int x) {
        return y >= TOP && y < TOP + PATCH && x >= LEFT && x < LEFT + PATCH;
    }

    static void assertMaxInPatch(Attribution method, BlockClassifier model) {
        List<RgbImage> images = List.of(image(1), image(2), image(3));
        long t0 = System.nanoTime();
        List<SaliencyMap> maps = method.attribute(images, List.of(Target.predicted(), Target.index(0), Target.predicted()));
        assertEquals(3, maps.size());
        for (SaliencyMap m : maps) {
            assertEquals(SIZE, m.height());
            assertEquals(SIZE, m.width());
            int arg = m.argmax();
            assertTrue(inside(arg / SIZE, arg % SIZE), method.name() + ": maximum at (" + arg / SIZE + ", "
                    + arg % SIZE + ") is outside the patch; " + m);
        }
        System.out.printf("%s: %.1f ms for 3 images%n", method.name(), (System.nanoTime() - t0) / 1e6);
    }

    @Test
    void vanillaGradient() {
        assertMaxInPatch(new VanillaGradient(planted, 2), planted);
    }

    @Test
    void smoothGrad() {
        assertMaxInPatch(SmoothGrad.builder(planted).samples(8).batchSize(5).seed(3).build(), planted);
    }

    @Test
    void integratedGradients() {
        assertMaxInPatch(IntegratedGradients.builder(planted).steps(8).build(), planted);
    }

    @Test
    void gradCam() {
        assertMaxInPatch(new GradCam(pooled, "0"), pooled);
    }

    @Test
    void occlusion() {
        assertMaxInPatch(new Occlusion(planted), planted);
    }

    @Test
    void rise() {
        assertMaxInPatch(Rise.builder(planted).masks(300).seed(5).build(), planted);
    }

    @Test
    void neuroMask() {
        // a short run: start near 0 (limit 2) instead of the paper's U(-10, 10), so 150 iterations settle
        NeuroMaskObjective hp = Preset.PAPER_CIFAR10.neuroMask().withInitLimit(2).withIterations(150)
                .withLearningRate(0.1);
        assertMaxInPatch(NeuroMask.builder().model(planted).objective(hp).build(),
                planted);
    }

    @Test
    void smoothGradOfIntegratedGradients() {
        SmoothGrad sg = SmoothGrad.builder(IntegratedGradients.builder(planted).steps(8).batchSize(20).build())
                .samples(4).seed(3).build();
        assertEquals("smoothgrad-ig", sg.name());
        assertMaxInPatch(sg, planted);
    }

    /** Without noise, SmoothGrad of a method is that method: the wrapper averages exactly its raw attributions. */
    @Test
    void smoothGradWithoutNoiseIsTheWrappedMethod() {
        List<RgbImage> images = List.of(image(4), image(5));
        List<Target> targets = List.of(Target.index(3), Target.predicted());
        for (GradientAttribution inner : List.of(new VanillaGradient(tiny, 16),
                IntegratedGradients.builder(tiny).steps(4).batchSize(16).build())) {
            List<SaliencyMap> plain = inner.attribute(images, targets);
            List<SaliencyMap> smooth = SmoothGrad.builder(inner).samples(2).noise(0).build().attribute(images, targets);
            for (int i = 0; i < 2; i++) {
                float[] x = plain.get(i).values();
                float[] y = smooth.get(i).values();
                for (int k = 0; k < x.length; k++) {
                    assertEquals(x[k], y[k], 1e-5 * (1 + Math.abs(x[k])), inner.name() + " value " + k);
                }
            }
        }
    }

    @Test
    void centerIsFixedAndCentred() {
        List<SaliencyMap> maps = new CenterBaseline(planted).attribute(List.of(image(1), image(2)),
                List.of(Target.predicted(), Target.predicted()));
        assertEquals(maps.get(0), maps.get(1));
        int arg = maps.get(0).argmax();
        assertEquals(15, arg / SIZE);
        assertEquals(15, arg % SIZE);
    }

    @Test
    void smoothGradIsSeededAndBatchIndependent() {
        List<RgbImage> images = List.of(image(4), image(5));
        List<Target> targets = List.of(Target.index(3), Target.index(3));
        List<SaliencyMap> a = SmoothGrad.builder(tiny).samples(4).batchSize(3).seed(9).build().attribute(images, targets);
        List<SaliencyMap> b = SmoothGrad.builder(tiny).samples(4).batchSize(8).seed(9).build().attribute(images, targets);
        for (int i = 0; i < 2; i++) {
            float[] x = a.get(i).values();
            float[] y = b.get(i).values();
            for (int k = 0; k < x.length; k++) {
                assertEquals(x[k], y[k], 1e-5 * (1 + Math.abs(x[k])));
            }
        }
    }

    /** Completeness: Σ attributions = f(x) − f(baseline) within 5 %, on a ReLU CNN. */
    @Test
    void integratedGradientsCompleteness() {
        List<RgbImage> images = List.of(image(6), image(7));
        float[] fx;
        float[] f0;
        try (NDManager m = NDManager.newBaseManager(tiny.device(), "PyTorch")) {
            float[] chw = new float[2 * 3 * SIZE * SIZE];
            System.arraycopy(images.get(0).toChw(), 0, chw, 0, 3 * SIZE * SIZE);
            System.arraycopy(images.get(1).toChw(), 0, chw, 3 * SIZE * SIZE, 3 * SIZE * SIZE);
            fx = tiny.logits(m.create(chw, new Shape(2, 3, SIZE, SIZE))).toFloatArray();
            f0 = tiny.logits(m.zeros(new Shape(1, 3, SIZE, SIZE))).toFloatArray();
        }
        List<Target> targets = new ArrayList<>();
        float[] expected = new float[2];
        for (int i = 0; i < 2; i++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (Math.abs(fx[i * 10 + c] - f0[c]) > Math.abs(fx[i * 10 + best] - f0[best])) {
                    best = c;
                }
            }
            targets.add(Target.index(best));
            expected[i] = fx[i * 10 + best] - f0[best];
        }
        List<float[]> attributions = IntegratedGradients.builder(tiny).steps(32).build().attributions(images, targets);
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (float v : attributions.get(i)) {
                sum += v;
            }
            System.out.printf("IG completeness: sum %.6f, f(x)-f(0) %.6f%n", sum, expected[i]);
            assertEquals(expected[i], sum, 0.05 * Math.abs(expected[i]), "image " + i);
        }
    }

    @Test
    void gradCamFindsLayersByNameOnTinyCnn() {
        List<String> names = GradCam.layerNames(tiny);
        assertTrue(names.contains("7 (LambdaBlock)"), names.toString());
        GradCam byIndex = new GradCam(tiny, "7");
        GradCam byKey = new GradCam(tiny, "08LambdaBlock");
        List<RgbImage> images = List.of(image(8));
        SaliencyMap a = byIndex.attribute(images, List.of(Target.index(2))).get(0);
        SaliencyMap b = byKey.attribute(images, List.of(Target.index(2))).get(0);
        SaliencyMap other = byKey.attribute(images, List.of(Target.index(5))).get(0);
        assertEquals(a, b);
        assertNotEquals(a, other);
        assertTrue(a.min() >= 0, "ReLU'd map");
        // the probe is transparent: the model's logits are unchanged and other methods still work
        assertEquals(SIZE, new VanillaGradient(tiny).attribute(images.get(0), Target.index(2)).height());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new GradCam(tiny, "stage9"));
        assertTrue(unknown.getMessage().contains("valid layer names"), unknown.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> new GradCam(tiny, "10"));
        assertTrue(flat.getMessage().contains("N×C×H×W"), flat.getMessage());
    }

    @Test
    void badInputIsRefused() {
        VanillaGradient g = new VanillaGradient(planted);
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> g.attribute(List.of(image(1), image(2)), List.of(Target.predicted())));
        assertTrue(sizes.getMessage().contains("2 images and 1 targets"), sizes.getMessage());
        RgbImage small = image(1).resize(16, 16);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> g.attribute(small, Target.predicted()));
        assertTrue(wrong.getMessage().contains("resize"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.attribute(image(1), Target.index(10)));
        assertThrows(IllegalArgumentException.class, () -> SmoothGrad.builder(planted).noise(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SmoothGrad.builder(planted).noise(-0.1));
        assertThrows(IllegalArgumentException.class, () -> IntegratedGradients.builder(planted).steps(0));
        assertThrows(IllegalArgumentException.class, () -> Rise.builder(planted).probability(1.5));
        assertThrows(IllegalArgumentException.class, () -> Occlusion.builder(planted).patch(64).build());
        assertThrows(IllegalArgumentException.class, () -> SaliencyMap.of(new float[] {Float.NaN}, 1, 1));
    }
}
