package io.neuromask.engine;

import io.neuromask.NeuroMask;
import io.neuromask.engine.AutoBatchSize;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.Preset;
import io.neuromask.base.RgbImage;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The automatic batch size is the measured best on a CPU (the search rules tested on fake timings, the real timing
 * once on a small model), the largest that fits on a GPU, and it never changes the masks.
 */
class AutoBatchSizeTest {

    @Test
    void choosesTheFastestMeasuredBatchOnTheCpu() {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            NeuroMaskObjective hp = Preset.PAPER_CIFAR10.neuroMask();
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
            assertEquals(t.size(), log.size(), "one log line per batch tried");
        }
    }

    @Test
    void onTheCpuTheChoiceIsTheArgminOfTheTimingsAndTheSearchStopsTenPercentAboveTheBest() {
        // fake timings, ms per image: best at 8; 16 is within 10 % of it (searched on), 32 is 11 % above (stop)
        Map<Integer, Double> fake = Map.of(1, 10.0, 2, 6.0, 4, 4.0, 8, 3.5, 16, 3.8, 32, 3.885, 64, 1.0);
        List<Integer> timed = new ArrayList<>();
        List<String> log = new ArrayList<>();
        AutoBatchSize.Choice c = AutoBatchSize.measure(ai.djl.Device.cpu(), b -> {
            timed.add(b);
            return fake.get(b);
        }, log::add);
        assertEquals(8, c.batchSize(), c.toString());
        assertEquals(List.of(1, 2, 4, 8, 16, 32), timed, "64 is never timed: 32 was more than 10 % slower than 8");
        assertEquals(List.of(1, 2, 4, 8, 16, 32), List.copyOf(c.msPerImage().keySet()));
        assertEquals(6, log.size());

        // a later, better batch after one that was slower but within 10 % still wins
        Map<Integer, Double> late = Map.of(1, 5.0, 2, 5.2, 4, 5.4, 8, 2.0, 16, 2.1, 32, 2.15, 64, 2.3);
        assertEquals(8, AutoBatchSize.measure(ai.djl.Device.cpu(), late::get, s -> {}).batchSize());
        // monotonically faster: the largest CPU batch
        assertEquals(AutoBatchSize.CPU_MAX, AutoBatchSize.measure(ai.djl.Device.cpu(), b -> 10.0 / b, s -> {})
                .batchSize());
        // batching never pays: batch 1
        assertEquals(1, AutoBatchSize.measure(ai.djl.Device.cpu(), b -> 1.0 + b, s -> {}).batchSize());
    }

    @Test
    void onTheGpuTheChoiceIsTheLargestBatchThatFits() {
        AutoBatchSize.Choice c = AutoBatchSize.measure(ai.djl.Device.gpu(), b -> {
            if (b >= 128) {
                throw new ai.djl.engine.EngineException("CUDA out of memory. Tried to allocate 2.00 GiB");
            }
            return 1.0;
        }, s -> {});
        assertEquals(64, c.batchSize(), c.toString());
        assertTrue(c.reason().contains("batch 128 ran out of memory"), c.reason());
        assertEquals(AutoBatchSize.GPU_MAX, AutoBatchSize.measure(ai.djl.Device.gpu(), b -> 1.0, s -> {}).batchSize());
        assertThrows(ai.djl.engine.EngineException.class, () -> AutoBatchSize.measure(ai.djl.Device.gpu(), b -> {
            throw new ai.djl.engine.EngineException("some other engine failure");
        }, s -> {}), "only out-of-memory ends the GPU search quietly");
    }

    @Test
    void theChoiceIsCachedAndGivesTheSameMasksAsAFixedBatch() {
        try (BlockClassifier model = PlantedEvidence.model(32, 6, 18, 8, 10, null)) {
            NeuroMaskObjective hp = Preset.PAPER_CIFAR10.neuroMask().withIterations(30);
            assertSame(AutoBatchSize.choose(model, hp, s -> {}), AutoBatchSize.choose(model, hp, s -> {}));
            List<RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                images.add(PlantedEvidence.image(32, 6, 18, 8, i));
            }
            List<Explanation> auto = NeuroMask.builder().model(model).objective(hp).autoBatchSize().build()
                    .explain(images);
            List<Explanation> single = NeuroMask.builder().model(model).objective(hp).batchSize(1).build()
                    .explain(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(single.get(i).mask(), auto.get(i).mask(), 1e-5f, "image " + i);
            }
        }
    }
}
