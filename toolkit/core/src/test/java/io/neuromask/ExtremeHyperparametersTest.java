package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** λ up to 1e6 and T down to 1e-3 keep the optimiser finite: masks never contain NaN. */
class ExtremeHyperparametersTest {

    @Test
    void extremeValuesGiveFiniteMasks() {
        try (BlockClassifier model = TinyCnn.model(2, null)) {
            RgbImage img = io.neuromask.bench.Benchmark.randomImages(model, 1, 3).get(0);
            NeuroMaskObjective base = Preset.PAPER_CIFAR10.neuroMask().withIterations(60);
            List<NeuroMaskObjective> cases = List.of(
                    base.withLambdas(1e6, 0.35, 0.15),
                    base.withLambdas(0.4, 1e6, 0.15),
                    base.withLambdas(0.4, 0.35, 1e6),
                    base.withLambdas(1e6, 1e6, 1e6),
                    base.withTemperature(1e-3),
                    base.withTemperature(1e-3).withLambdas(1e6, 1e6, 1e6),
                    base.withLambdas(0, 0, 0));
            List<Explanation> out = NeuroMask.builder().model(model).objective(base).build()
                    .explain(java.util.Collections.nCopies(cases.size(), img),
                            java.util.Collections.nCopies(cases.size(), Target.index(4)), cases);
            for (int c = 0; c < cases.size(); c++) {
                Explanation e = out.get(c);
                for (float v : e.mask()) {
                    assertTrue(v >= 0 && v <= 1, "case " + c + ": mask value " + v);
                }
                assertTrue(Double.isFinite(e.probabilityMasked()), "case " + c);
                for (LossRecord r : e.lossHistory()) {
                    assertTrue(Double.isFinite(r.total()), "case " + c + " loss " + r);
                }
            }
        }
    }
}
