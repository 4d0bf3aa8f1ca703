package io.neuromask;

import io.neuromask.engine.LossRecord;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import org.junit.jupiter.api.Test;

/** The paper presets are the authors' values; the fast ones keep the paper's loss and change only the optimiser. */
class PresetTest {

    @Test
    void paperPresetsAreTheAuthorsValues() {
        assertEquals(new NeuroMaskObjective(new NeuroMaskObjective.Weights(0.4, 0.35, 0.15), 1.0, 3, 2000,
                new NeuroMaskObjective.RmsProp(0.03, 0.9, 1e-10, 1.0), new NeuroMaskObjective.Start(10.0, 1.0, 0.0), 10, 0,
                NeuroMaskObjective.Baseline.BLACK, NeuroMaskObjective.Border.VALID),
                Preset.PAPER_CIFAR10.neuroMask());
        assertEquals(new NeuroMaskObjective(new NeuroMaskObjective.Weights(0.4, 0.35, 0.03), 0.3, 5, 2000,
                new NeuroMaskObjective.RmsProp(0.03, 0.9, 1e-10, 1.0), new NeuroMaskObjective.Start(10.0, 1.0, 0.0), 10, 0,
                NeuroMaskObjective.Baseline.BLACK, NeuroMaskObjective.Border.VALID),
                Preset.PAPER_IMAGENET.neuroMask());
    }

    @Test
    void fastSparsePresetsRaiseOnlyTheSparsityWeightAndTheSteepnessOfTheFastOnes() {
        for (Preset[] pair : new Preset[][] {{Preset.FAST_SPARSE_CIFAR10, Preset.FAST_CIFAR10},
                {Preset.FAST_SPARSE_IMAGENET, Preset.FAST_IMAGENET}}) {
            NeuroMaskObjective sparse = pair[0].neuroMask();
            NeuroMaskObjective fast = pair[1].neuroMask();
            assertTrue(sparse.lambdaSparsity() > fast.lambdaSparsity(), pair[0] + " weighs sparsity more");
            assertEquals(fast.withLambdaSparsity(sparse.lambdaSparsity()).withTemperature(sparse.temperature()), sparse,
                    pair[0] + " differs from " + pair[1] + " only in λ_sparse and T");
            assertEquals(pair[0], Preset.parse(pair[0].cliName()));
        }
    }

    /**
     * The smoothness border is the paper's VALID except in FAITHFUL_IMAGENET and the preset built on it; settings name it only when it is not the
     * paper's (so older results files still resume), and images with different borders never share a batch.
     */
    @Test
    void theSmoothnessBorderIsListedOnlyWhenItIsNotThePapers() {
        for (Preset p : Preset.values()) {
            if (p.objective() instanceof NeuroMaskObjective hp) {
                assertEquals(p == Preset.FAITHFUL_IMAGENET || p == Preset.RECOMMENDED_IMAGENET
                        ? NeuroMaskObjective.Border.REPLICATE
                        : NeuroMaskObjective.Border.VALID, hp.smoothnessBorder(), p.name());
                assertEquals(hp.smoothnessBorder() != NeuroMaskObjective.Border.VALID,
                        hp.settings().containsKey("smoothnessBorder"), p.name());
            }
        }
        NeuroMaskObjective faithful = Preset.FAITHFUL_IMAGENET.neuroMask();
        assertEquals("replicate", faithful.settings().get("smoothnessBorder"));
        NeuroMaskObjective valid = faithful.withSmoothnessBorder(NeuroMaskObjective.Border.VALID);
        assertTrue(!valid.batchKey().equals(faithful.batchKey()), "different borders, different batches");
        NeuroMaskObjective fast = Preset.FAST_IMAGENET.neuroMask();
        assertTrue(!fast.batchKey().equals(fast.withSmoothnessBorder(NeuroMaskObjective.Border.REPLICATE).batchKey()));
        assertThrows(NullPointerException.class, () -> fast.withSmoothnessBorder(null));
    }

    /**
     * The recommended presets are the faithful ones on a coarse-to-fine schedule with fewer iterations: nothing else
     * of the loss or the optimiser changes, and the coarse phase is recorded in their settings.
     */
    @Test
    void recommendedPresetsAreTheFaithfulOnesOnACoarseToFineScheduleWithFewerIterations() {
        for (Preset[] pair : new Preset[][] {{Preset.RECOMMENDED_CIFAR10, Preset.FAITHFUL_CIFAR10},
                {Preset.RECOMMENDED_IMAGENET, Preset.FAITHFUL_IMAGENET}}) {
            NeuroMaskObjective recommended = pair[0].neuroMask();
            NeuroMaskObjective faithful = pair[1].neuroMask();
            assertTrue(recommended.iterations() < faithful.iterations(), pair[0] + " runs fewer iterations");
            assertTrue(recommended.coarseIterations() > 0 && recommended.coarseStride() >= 2, pair[0] + " starts coarse");
            assertEquals(faithful.withIterations(recommended.iterations())
                    .withCoarseToFine(recommended.coarseIterations(), recommended.coarseStride()), recommended,
                    pair[0] + " differs from " + pair[1] + " only in the iterations and the schedule");
            assertEquals(String.valueOf(recommended.coarseIterations()),
                    String.valueOf(recommended.settings().get("coarseIterations")));
            assertEquals(pair[0], Preset.parse(pair[0].cliName()));
        }
    }

    @Test
    void fastPresetsKeepThePaperLossAtAtMost200Iterations() {
        check(Preset.FAST_CIFAR10, Preset.PAPER_CIFAR10);
        check(Preset.FAST_IMAGENET, Preset.PAPER_IMAGENET);
    }

    private static void check(Preset fast, Preset paper) {
        NeuroMaskObjective f = fast.neuroMask();
        NeuroMaskObjective p = paper.neuroMask();
        assertTrue(f.iterations() <= 200, fast + ": " + f.iterations() + " iterations");
        assertEquals(p.withIterations(f.iterations()).withLearningRate(f.learningRate())
                .withInitialAccumulator(f.rmsInitialAccumulator()).withInitSpread(f.initSpread()), f,
                fast + " differs from " + paper + " only in the optimiser and the start");
        assertEquals(fast, Preset.parse(fast.cliName()));
    }

    @Test
    void initSpreadZeroStartsFromAFlatHalfMask() {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            RgbImage image = PlantedEvidence.image(32, 6, 18, 8, 3);
            NeuroMaskObjective base = Preset.PAPER_CIFAR10.neuroMask().withIterations(2).withLogEvery(1);
            LossRecord flat = NeuroMask.builder().model(model).objective(base.withInitSpread(0)).build()
                    .explain(image, Target.predicted()).lossHistory().get(0);
            LossRecord rough = NeuroMask.builder().model(model).objective(base).build()
                    .explain(image, Target.predicted()).lossHistory().get(0);
            assertEquals(0, flat.iteration());
            assertEquals(0.5, flat.maskMean(), 1e-6, "sigmoid(0) everywhere");
            assertEquals(0.0, flat.term("smoothness"), 1e-9, "a constant map has no Laplacian");
            assertEquals(0.35 * 10, flat.term("sparsity"), 1e-5, "lambda_sparse * mean|0 + 10|");
            assertTrue(rough.term("smoothness") > 100, "U(-10, 10) starts rough: " + rough.term("smoothness"));
        }
    }

    @Test
    void initSpreadOutsideZeroToOneIsRejected() {
        NeuroMaskObjective hp = Preset.PAPER_CIFAR10.neuroMask();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hp.withInitSpread(1.5));
        assertTrue(e.getMessage().contains("initSpread must be in [0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hp.withInitSpread(Double.NaN));
    }
}
