package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A batch gives the same masks as one-at-a-time runs; seeds make runs reproducible. */
class BatchingTest {

    private static BlockClassifier model;
    private static List<RgbImage> images;

    @BeforeAll
    static void setUp() {
        model = TinyCnn.model(11, null);
        images = Benchmark.randomImages(model, 3, 5);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static MaskEngine explainer(long seed) {
        return NeuroMask.builder().model(model).preset(Preset.PAPER_CIFAR10).iterations(60).seed(seed).build();
    }

    @Test
    void batchAgreesWithSingleRuns() {
        List<Target> targets = List.of(Target.predicted(), Target.index(3), Target.index(7));
        List<Explanation> batch = explainer(9).explain(images, targets);
        for (int i = 0; i < images.size(); i++) {
            Explanation single = explainer(9).explain(images.get(i), targets.get(i));
            assertEquals(single.target(), batch.get(i).target());
            assertClose(single.mask(), batch.get(i).mask(), 1e-5, "image " + i);
            assertEquals(single.probabilityMasked(), batch.get(i).probabilityMasked(), 1e-5);
        }
    }

    /** toBuilder keeps every setting: the same masks bit for bit, and a changed seed changes them. */
    @Test
    void toBuilderKeepsTheSettings() {
        MaskEngine original = NeuroMask.builder().model(model).preset(Preset.FAST_CIFAR10).iterations(30).seed(5)
                .batchSize(2).name("neuromask:fast").build();
        MaskEngine copy = original.toBuilder().build();
        assertEquals("neuromask:fast", copy.name());
        assertEquals(original.objective(NeuroMaskObjective.class), copy.objective(NeuroMaskObjective.class));
        assertEquals(original.seed(), copy.seed());
        List<Explanation> a = original.explain(images);
        List<Explanation> b = copy.explain(images);
        List<io.neuromask.base.SaliencyMap> maps = copy.attribute(images, java.util.Collections.nCopies(images.size(),
                Target.predicted()));
        for (int i = 0; i < images.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.get(i).mask(), b.get(i).mask(), "image " + i);
            assertEquals(a.get(i).map(), maps.get(i), "attribute() returns explain()'s mask");
        }
        MaskEngine reseeded = original.toBuilder().seed(6).build();
        assertEquals(5, original.seed());
        assertEquals(6, reseeded.seed());
    }

    @Test
    void perImageHyperparametersInOneBatchMatchSeparateRuns() {
        NeuroMaskObjective base = Preset.PAPER_CIFAR10.neuroMask().withIterations(40);
        NeuroMaskObjective strong = base.withLambdaSparsity(2.0).withTemperature(0.5);
        MaskEngine nm = NeuroMask.builder().model(model).objective(base).seed(1).build();
        RgbImage img = images.get(0);
        List<Explanation> sweep = nm.explain(List.of(img, img), List.of(Target.index(2), Target.index(2)),
                List.of(base, strong));
        Explanation alone = NeuroMask.builder().model(model).objective(strong).seed(1).build()
                .explain(img, Target.index(2));
        assertClose(alone.mask(), sweep.get(1).mask(), 1e-5, "per-image hyperparameters");
        assertTrue(maxAbsDiff(sweep.get(0).mask(), sweep.get(1).mask()) > 1e-3,
                "different hyperparameters give different masks");
    }

    @Test
    void seededRunsAreReproducibleAndSeedsDiffer() {
        Explanation a = explainer(1).explain(images.get(0), Target.predicted());
        Explanation b = explainer(1).explain(images.get(0), Target.predicted());
        Explanation c = explainer(2).explain(images.get(0), Target.predicted());
        assertClose(a.mask(), b.mask(), 0, "same seed");
        assertTrue(maxAbsDiff(a.mask(), c.mask()) > 0.1, "another seed starts elsewhere");
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length);
        double diff = maxAbsDiff(expected, actual);
        assertTrue(diff <= tolerance, what + ": max difference " + diff + " > " + tolerance);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
