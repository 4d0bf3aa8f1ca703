package io.neuromask.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.AutoBatchSize;
import io.neuromask.Explanation;
import io.neuromask.Hyperparameters;
import io.neuromask.NeuroMask;
import io.neuromask.Preset;
import io.neuromask.base.RgbImage;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The automatic batch size is the measured best on a CPU, and it never changes the masks. */
class AutoBatchSizeTest {

    @Test
    void choosesTheFastestMeasuredBatchOnTheCpu() {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            Hyperparameters hp = Preset.PAPER_CIFAR10.hyperparameters();
            List<String> log = new ArrayList<>();
            AutoBatchSize.Choice c = AutoBatchSize.measure(model, hp, log::add);
            System.out.println("auto batch: " + c);
            Map<Integer, Double> t = c.msPerImage();
            assertEquals(1, t.keySet().iterator().next(), "starts at batch 1");
            int expected = 1;
            for (int b : t.keySet()) {
                assertTrue(Integer.bitCount(b) == 1 && b <= AutoBatchSize.CPU_MAX, "powers of two up to 64: " + b);
                if (t.get(b) < t.get(expected)) {
                    expected = b;
                }
            }
            assertEquals(expected, c.batchSize(), "the batch with the smallest measured time per image: " + t);
            assertTrue(c.batchSize() > 1, "on a model this small, batching pays: " + t);
            assertEquals(t.size(), log.size(), "one log line per batch tried");
        }
    }

    @Test
    void theChoiceIsCachedAndGivesTheSameMasksAsAFixedBatch() {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            Hyperparameters hp = Preset.PAPER_CIFAR10.hyperparameters().withIterations(30);
            assertSame(AutoBatchSize.choose(model, hp, s -> {}), AutoBatchSize.choose(model, hp, s -> {}));
            List<RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                images.add(PlantedEvidence.image(32, 6, 18, 8, i));
            }
            List<Explanation> auto = NeuroMask.builder().model(model).hyperparameters(hp).autoBatchSize().build()
                    .explain(images);
            List<Explanation> single = NeuroMask.builder().model(model).hyperparameters(hp).batchSize(1).build()
                    .explain(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(single.get(i).mask(), auto.get(i).mask(), 1e-5f, "image " + i);
            }
        }
    }
}
