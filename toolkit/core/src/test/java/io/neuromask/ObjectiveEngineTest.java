package io.neuromask;

import io.neuromask.engine.EarlyStopping;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.Game;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.Optimizer;
import io.neuromask.engine.StopReason;
import io.neuromask.engine.extremal.ExtremalPerturbation;
import io.neuromask.engine.meaningful.MeaningfulPerturbation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/**
 * The engine's promises hold for every objective: batching never changes a mask (also when images leave the
 * batch early and an image has several parameter rows), the optimiser is chosen per run, maps carry a tie-break,
 * and settings of the wrong objective are refused.
 */
class ObjectiveEngineTest {

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

    @Test
    void batchesGiveTheMasksOfSingleRuns() {
        List<MaskObjective<?>> objectives = List.of(MeaningfulPerturbation.cifar10().withIterations(40),
                ExtremalPerturbation.cifar10().withIterations(40));
        for (MaskObjective<?> objective : objectives) {
            MaskEngine nm = NeuroMask.builder().model(model).objective(objective).seed(3).build();
            List<Explanation> batch = nm.explain(images);
            for (int i = 0; i < images.size(); i++) {
                Explanation single = nm.explain(images.get(i), Target.predicted());
                assertArrayEquals(single.mask(), batch.get(i).mask(), 1e-5f, objective.name() + ", image " + i);
                assertEquals(single.lossHistory().size(), batch.get(i).lossHistory().size());
            }
        }
    }

    /**
     * The engine evaluates a large batch in passes of a few images (to bound memory); passes of one image each give
     * the masks of one pass over the batch, for every objective, also when images leave early.
     */
    @Test
    void passesOfOneImageGiveTheMasksOfOnePass() {
        List<MaskObjective<?>> objectives = List.of(Preset.PAPER_CIFAR10.neuroMask().withIterations(30),
                MeaningfulPerturbation.cifar10().withIterations(30), ExtremalPerturbation.cifar10().withIterations(30));
        for (MaskObjective<?> objective : objectives) {
            MaskEngine nm = NeuroMask.builder().model(model).objective(objective).seed(3)
                    .earlyStopping(EarlyStopping.of(0.02, 10)).build();
            List<Explanation> onePass = nm.explain(images);
            List<Explanation> perImage;
            System.setProperty("neuromask.passPixels", "1");
            try {
                perImage = nm.explain(images);
            } finally {
                System.clearProperty("neuromask.passPixels");
            }
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(onePass.get(i).mask(), perImage.get(i).mask(), 1e-4f, objective.name() + ", image " + i);
                assertEquals(onePass.get(i).iterations(), perImage.get(i).iterations(), objective.name() + ", image " + i);
                assertEquals(onePass.get(i).probabilityMasked(), perImage.get(i).probabilityMasked(), 1e-5,
                        objective.name() + ", image " + i + ": the kept logits");
            }
        }
    }

    /** Extremal perturbation has three parameter rows per image: images leaving early take exactly theirs along. */
    @Test
    void earlyStoppingShrinksMultiRowBatchesImageByImage() {
        ExtremalPerturbation ep = ExtremalPerturbation.cifar10().withIterations(100);
        // SGD at 10x TorchRay's learning rate, so the masks settle within the test's budget
        MaskEngine nm = NeuroMask.builder().model(model).objective(ep).optimizer(new Optimizer.Sgd(0.1, 0.9, 0.9))
                .earlyStopping(EarlyStopping.of(0.01, 10)).seed(3).build();
        List<Explanation> batch = nm.explain(images);
        boolean anyEarly = false;
        for (int i = 0; i < images.size(); i++) {
            Explanation single = nm.explain(images.get(i), Target.predicted());
            assertEquals(single.iterations(), batch.get(i).iterations(), "image " + i + " stops at the same step");
            assertArrayEquals(single.mask(), batch.get(i).mask(), 1e-5f, "image " + i);
            anyEarly |= batch.get(i).stopReason() == StopReason.EARLY_STOPPED;
        }
        assertTrue(anyEarly, "some image settles before 100 steps: "
                + batch.stream().map(Explanation::iterations).toList());
    }

    @Test
    void theOptimiserIsChosenPerRun() {
        NeuroMaskObjective hp = Preset.FAST_CIFAR10.neuroMask().withIterations(30);
        Explanation rms = NeuroMask.builder().model(model).objective(hp).build().explain(images.get(0),
                Target.predicted());
        Explanation adam = NeuroMask.builder().model(model).objective(hp).optimizer(Optimizer.Adam.of(0.05)).build()
                .explain(images.get(0), Target.predicted());
        assertEquals("rmsprop-tf1", rms.optimizer().name());
        assertEquals(Optimizer.Adam.of(0.05), adam.optimizer());
        assertTrue(BatchingTest.maxAbsDiff(rms.mask(), adam.mask()) > 1e-3, "another optimiser, another mask");
    }

    @Test
    void masksCarryTheObjectivesTieBreak() {
        Explanation e = NeuroMask.builder().model(model).preset(Preset.FAST_CIFAR10).iterations(20).build()
                .explain(images.get(0), Target.predicted());
        assertTrue(e.map().hasTieBreak(), "NeuroMask's weights break the mask's ties");
        float[] w = e.map().tieBreak();
        float[] m = e.mask();
        for (int i = 0; i < m.length; i++) {
            assertEquals(1 / (1 + Math.exp(-w[i])), m[i], 1e-5, "the mask is sigmoid(w / T) at T = 1, pixel " + i);
        }
    }

    @Test
    void settingsOfAnotherObjectiveAreRefused() {
        MaskEngine.Builder b = NeuroMask.builder().model(model).objective(ExtremalPerturbation.cifar10());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.set("temperature", "0.5"));
        assertTrue(e.getMessage().contains("unknown setting 'temperature' of the extremal objective"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Preset.EXTREMAL_IMAGENET.neuroMask());
        assertThrows(IllegalArgumentException.class, () -> ExtremalPerturbation.cifar10().withAreas(List.of(1.5)));
        assertThrows(IllegalArgumentException.class, () -> MeaningfulPerturbation.cifar10().withGame(Game.DUAL));
        assertThrows(IllegalArgumentException.class, () -> new Optimizer.Sgd(Double.NaN, 0.9, 0.9));
        assertEquals(Preset.EXTREMAL_CIFAR10.objective(), Objectives.presetFor("extremal", model), "32 px model: CIFAR preset");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Objectives.presetFor("gradcam", model));
        assertTrue(unknown.getMessage().contains("choose from neuromask, meaningful, extremal"), unknown.getMessage());
    }
}
