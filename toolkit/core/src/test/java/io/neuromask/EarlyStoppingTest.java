package io.neuromask;

import io.neuromask.engine.EarlyStopping;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.Progress;
import io.neuromask.engine.StopReason;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void finishedImagesLeaveTheBatchAndRecordWhy() {
        try (BlockClassifier model = PlantedEvidence.model(32, null)) {
            RgbImage img = PlantedEvidence.image(32, 6, 18, 8, 3);
            NeuroMaskObjective base = Preset.PAPER_CIFAR10.neuroMask().withIterations(2000);
            // a high learning rate converges (saturates the sigmoid) long before a low one
            NeuroMaskObjective fast = base.withLearningRate(0.3);
            NeuroMaskObjective slow = base.withLearningRate(0.003);
            List<Progress> progress = new ArrayList<>();
            MaskEngine nm = NeuroMask.builder().model(model).objective(base)
                    .earlyStopping(EarlyStopping.of(1e-3, 50)).progress(progress::add).build();
            List<Explanation> out = nm.explain(List.of(img, img), List.of(Target.predicted(), Target.predicted()),
                    List.of(fast, slow));

            Explanation f = out.get(0);
            assertEquals(StopReason.EARLY_STOPPED, f.stopReason());
            assertTrue(f.iterations() < 2000, "stopped at " + f.iterations());
            assertTrue(f.classPreserved());
            assertEquals(0, f.iterations() % 50, "checks happen every 50 iterations");
            assertEquals(f.iterations(), progress.stream().filter(p -> p.activeImages() == 2).count(),
                    "the batch shrank right after the first image stopped");
            assertTrue(progress.get(progress.size() - 1).activeImages() <= 1);
            Explanation s = out.get(1);
            assertTrue(s.iterations() > f.iterations(), "slow " + s.iterations() + " vs fast " + f.iterations());
            // the early-stopped mask equals the mask of a plain run of that many iterations
            Explanation plain = NeuroMask.builder().model(model).objective(fast.withIterations(f.iterations()))
                    .build().explain(img, Target.predicted());
            BatchingTest.assertClose(plain.mask(), f.mask(), 1e-5, "early-stopped vs plain run");
        }
    }

    @Test
    void textFormReadsBackAndNamesTheExpectedForm() {
        EarlyStopping e = EarlyStopping.parse(" 0.002 / 20 ");
        assertEquals(0.002, e.epsilon());
        assertEquals(20, e.patience());
        assertEquals(e, EarlyStopping.parse(e.toString()));
        assertEquals(EarlyStopping.NEVER, EarlyStopping.parse("OFF"));
        assertEquals("off", EarlyStopping.NEVER.toString());
        for (String bad : new String[] {"0.002", "0.002/x", "a/20", "", "1/2/3"}) {
            var ex = assertThrows(IllegalArgumentException.class, () -> EarlyStopping.parse(bad), bad);
            assertTrue(ex.getMessage().contains("EPSILON/PATIENCE"), ex.getMessage());
        }
        // the range checks of the record still apply
        var neg = assertThrows(IllegalArgumentException.class, () -> EarlyStopping.parse("-1/20"));
        assertTrue(neg.getMessage().contains("epsilon"), neg.getMessage());
    }

    @Test
    void maskMethodsTakeEarlyStoppingAsASettingAndRecordItOnlyWhenGiven() {
        io.neuromask.attribution.MethodConfig plain = io.neuromask.attribution.MethodConfig.defaults()
                .objective(Preset.PAPER_CIFAR10.neuroMask().withIterations(2000).withLearningRate(0.3));
        io.neuromask.attribution.MethodConfig early = plain.with("early_stop", "1e-3/50");
        assertTrue(!io.neuromask.attribution.Methods.settings("neuromask", plain).containsKey("early_stop"),
                "a results file from before the setting records none");
        assertEquals("0.001/50", io.neuromask.attribution.Methods.settings("neuromask", early).get("early_stop"));
        try (BlockClassifier model = PlantedEvidence.model(32, null)) {
            RgbImage img = PlantedEvidence.image(32, 6, 18, 8, 3);
            io.neuromask.base.Attribution stopping = io.neuromask.attribution.Methods.create("neuromask", model, early);
            io.neuromask.base.Attribution full = io.neuromask.attribution.Methods.create("neuromask", model, plain);
            Explanation a = ((MaskEngine) stopping).explain(List.of(img), List.of(Target.predicted())).get(0);
            Explanation b = ((MaskEngine) full).explain(List.of(img), List.of(Target.predicted())).get(0);
            assertEquals(StopReason.EARLY_STOPPED, a.stopReason());
            assertTrue(a.iterations() < 2000 && a.iterations() % 50 == 0, "stopped at " + a.iterations());
            assertEquals(2000, b.iterations());
        }
    }

    @Test
    void invalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.of(0, 5));
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.of(Double.NaN, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> EarlyStopping.of(1e-3, 0));
        assertTrue(e.getMessage().contains("patience"), e.getMessage());
    }
}
