package io.neuromask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskEvolution;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NeuroMask's coarse-to-fine schedule ({@code coarseIterations}, {@code coarseStride}) through the engine. */
class CoarseToFineTest {

    static final int COARSE = 12;

    /**
     * The first phase is the objective at {@code maskStride = coarseStride}: the mask the schedule holds when it
     * switches (its evolution's frame at iteration {@value #COARSE}) is the mask that objective ends with after as
     * many iterations (frames are stored at 8 bits; {@code LowResolutionMaskTest} checks the switch itself to
     * float rounding); and the fine phase goes on from it, changing the mask afterwards.
     */
    @Test
    void theCoarsePhaseIsTheLowResolutionObjectiveAndTheSwitchKeepsItsMask() {
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 2, 5);
            NeuroMaskObjective base = Preset.FAST_CIFAR10.neuroMask();
            for (int coarseStride : new int[] {4, 8}) {
                NeuroMaskObjective schedule = base.withIterations(COARSE + 10).withCoarseToFine(COARSE, coarseStride);
                NeuroMaskObjective lowRes = base.withMaskStride(coarseStride).withIterations(COARSE);
                List<Explanation> scheduled = NeuroMask.builder().model(model).objective(schedule).seed(4)
                        .recordEvery(COARSE).build().explain(images);
                List<Explanation> coarse = NeuroMask.builder().model(model).objective(lowRes).seed(4).build()
                        .explain(images);
                for (int i = 0; i < images.size(); i++) {
                    MaskEvolution frames = scheduled.get(i).evolution().orElseThrow();
                    int at = -1;
                    for (int f = 0; f < frames.size(); f++) {
                        at = frames.iteration(f) == COARSE ? f : at;
                    }
                    assertTrue(at >= 0, "a frame at the switch");
                    float[] atSwitch = frames.frame(at);
                    // frames are kept at 8 bits: within half a step of 1/255
                    BatchingTest.assertClose(coarse.get(i).mask(), atSwitch, 0.5 / 255 + 1e-6, "coarse stride "
                            + coarseStride + ", image " + i + ": the mask at the switch");
                    assertTrue(maxDifference(atSwitch, scheduled.get(i).mask()) > 1e-3, "coarse stride " + coarseStride
                            + ", image " + i + ": the fine phase moved the mask");
                    assertEquals(COARSE + 10, scheduled.get(i).iterations());
                }
            }
        }
    }

    /** Each image gets the mask it gets alone, whatever the batch. */
    @Test
    void aBatchAgreesWithSingleRuns() {
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 3, 5);
            NeuroMaskObjective schedule = Preset.FAITHFUL_CIFAR10.neuroMask().withIterations(20).withCoarseToFine(8, 4);
            List<Target> targets = List.of(Target.predicted(), Target.index(3), Target.index(7));
            List<Explanation> batch = NeuroMask.builder().model(model).objective(schedule).seed(9).build()
                    .explain(images, targets);
            for (int i = 0; i < images.size(); i++) {
                Explanation single = NeuroMask.builder().model(model).objective(schedule).seed(9).build()
                        .explain(images.get(i), targets.get(i));
                // the switch's T·logit magnifies float rounding near saturated pixels: 1e-4 rather than 1e-5
                BatchingTest.assertClose(single.mask(), batch.get(i).mask(), 1e-4, "image " + i);
            }
        }
    }

    /** Settings: recorded only with a coarse phase, set by name, refused out of range with the fix. */
    @Test
    void theScheduleIsASettingCheckedWithItsFix() {
        NeuroMaskObjective fast = Preset.FAST_CIFAR10.neuroMask();
        assertFalse(fast.settings().containsKey("coarseIterations"), "no coarse phase: the settings read as before");
        NeuroMaskObjective named = fast.withSetting("coarseIterations", "50");
        Map<String, Object> s = named.settings();
        assertEquals(50, s.get("coarseIterations"));
        assertEquals(NeuroMaskObjective.Grid.DEFAULT_COARSE_STRIDE, s.get("coarseStride"));
        assertNotEquals(fast.batchKey(), named.batchKey(), "a schedule does not share a batch with the plain objective");
        assertEquals(named, fast.withCoarseToFine(50, 8));

        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> fast.withCoarseToFine(200, 8));
        assertTrue(tooMany.getMessage().contains("coarseIterations (200) must be less than iterations (200)")
                && tooMany.getMessage().contains("fewer coarse ones"), tooMany.getMessage());
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> fast.withMaskStride(4).withSetting("coarseIterations", "20"));
        assertTrue(strided.getMessage().contains("goes on with one weight per pixel, but maskStride is 4")
                && strided.getMessage().contains("set maskStride=1"), strided.getMessage());
        IllegalArgumentException notCoarse = assertThrows(IllegalArgumentException.class,
                () -> fast.withCoarseToFine(20, 1));
        assertTrue(notCoarse.getMessage().contains("coarseStride must be at least 2"), notCoarse.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fast.withSetting("coarseStride", "1"),
                "refused even without a coarse phase: the documented range holds for every value");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> fast.withCoarseToFine(-1, 8));
        assertTrue(negative.getMessage().contains("coarseIterations must be at least 0"), negative.getMessage());
    }

    /** A coarse grid larger than the image fails when the batch starts, naming the setting and the largest fit. */
    @Test
    void aCoarseStrideLargerThanTheImageIsRefused() {
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            RgbImage image = Benchmark.randomImages(model, 1, 5).get(0);
            MaskEngine engine = NeuroMask.builder().model(model).preset(Preset.FAST_CIFAR10).iterations(4)
                    .set("coarseStride", "64").set("coarseIterations", "2").build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.explain(image, Target.predicted()));
            assertTrue(e.getMessage().contains("coarseStride 64") && e.getMessage().contains("at most 32"),
                    e.getMessage());
        }
    }

    static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /**
     * A sample of a run (the batch-size probe, the benchmark) keeps the schedule's share of coarse iterations, at
     * least one and fewer than all, where cutting the iterations alone is refused; an objective without a coarse
     * phase is cut as {@code withIterations} cuts it.
     */
    @Test
    void aShortenedScheduleKeepsItsShareOfCoarseIterations() {
        NeuroMaskObjective schedule = Preset.FAITHFUL_CIFAR10.neuroMask().withIterations(90).withCoarseToFine(30, 4);
        assertThrows(IllegalArgumentException.class, () -> schedule.withIterations(30));
        NeuroMaskObjective third = schedule.shortened(30);
        assertEquals(30, third.iterations());
        assertEquals(10, third.coarseIterations(), "a third of the iterations, as in the full schedule");
        assertEquals(4, third.coarseStride());
        assertEquals(schedule.withCoarseToFine(10, 4).withIterations(30), third, "nothing else changes");
        assertEquals(1, schedule.shortened(2).coarseIterations(), "at least one coarse iteration");
        assertEquals(1, schedule.shortened(4).coarseIterations(), "rounded: 30 × 4 / 90 = 1.33");
        assertEquals(1, schedule.withCoarseToFine(80, 4).shortened(2).coarseIterations(), "one fine iteration left");
        assertEquals(0, schedule.shortened(1).coarseIterations(), "one iteration: the fine phase alone");
        assertEquals(schedule.withIterations(150).withCoarseToFine(50, 4), schedule.shortened(150));
        NeuroMaskObjective plain = Preset.FAITHFUL_CIFAR10.neuroMask();
        assertEquals(plain.withIterations(3), plain.shortened(3));
    }
}
