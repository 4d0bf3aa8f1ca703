package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 1,000 explanations through hyperparameter sweeps in one JVM: resident memory stays flat after warm-up. */
class SoakTest {

    @Test
    void thousandSweepExplanationsKeepResidentMemoryFlat() throws Exception {
        try (BlockClassifier model = TinyCnn.model(5, null)) {
            RgbImage image = Benchmark.randomImages(model, 1, 3).get(0);
            NeuroMaskObjective base = Preset.PAPER_CIFAR10.neuroMask().withIterations(8);
            List<NeuroMaskObjective> sweep = new ArrayList<>();
            for (double s : new double[] {0.1, 0.35, 1.0, 3.0, 10.0}) {
                sweep.add(base.withLambdaSparsity(s));
                sweep.add(base.withTemperature(s));
            }
            MaskEngine nm = NeuroMask.builder().model(model).objective(base).build();
            List<RgbImage> images = Collections.nCopies(sweep.size(), image);
            List<Target> targets = Collections.nCopies(sweep.size(), Target.index(1));
            List<Explanation> first = nm.explain(images, targets, sweep);
            for (int i = 1; i < 30; i++) { // warm-up
                nm.explain(images, targets, sweep);
            }
            System.gc();
            long before = NativeMemoryTest.vmRssKb();
            List<Explanation> last = null;
            for (int i = 0; i < 100; i++) {
                last = nm.explain(images, targets, sweep);
            }
            System.gc();
            long after = NativeMemoryTest.vmRssKb();
            double growth = (after - before) / (double) before;
            System.out.printf("soak: VmRSS %d kB -> %d kB (%.2f %%)%n", before, after, 100 * growth);
            assertTrue(growth <= 0.02, "VmRSS grew " + (100 * growth) + " % (" + before + " -> " + after + " kB)");
            // the 1st and the 1,300th explanation of the same image and hyperparameters are bit-identical
            for (int j = 0; j < sweep.size(); j++) {
                assertArrayEquals(first.get(j).mask(), last.get(j).mask(), "sweep entry " + j);
            }
        }
    }
}
