package io.neuromask.engine.extremal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.engine.MaskBatch;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.model.TinyCnn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many images of extremal perturbation one pass of the engine holds: no more than it keeps exponentials for. */
class ExtremalPassesTest {

    private static final long BUDGET = 1L << 19;
    private static final long KEEP = 128L << 20;

    @Test
    void asManyImagesAsTheirExponentialsFitAndNoLimitWithoutOne() {
        try (BlockClassifier small = TinyCnn.model(1, null); BlockClassifier large = PlantedEvidence.model(224, null);
                NDManager m = NDManager.newBaseManager()) {
            // 32², step 1, σ 3: 38×38 cells of one pixel, 81 neighbours, so 38·38·81·4 bytes of exponentials per mask
            // and three masks per image: 128 MiB holds 95 images, the pixel budget 170 images' masks
            long perImage = 3L * 38 * 38 * 81 * 4;
            assertEquals(95, KEEP / perImage);
            assertEquals(170, BUDGET / (3 * 32 * 32));
            assertEquals(95, batch(m, small, ExtremalPerturbation.cifar10()).imagesPerPass(BUDGET, 32, 32));
            // 224², step 7, σ 21: 38×38 cells of 49 pixels, so 23 MB per mask and 69 MB per image: one image per pass
            MaskBatch imagenet = batch(m, large, ExtremalPerturbation.imagenet());
            assertEquals(1, imagenet.imagesPerPass(BUDGET, 224, 224));
            // one area: 23 MB per image, five fit in 128 MiB (the budget's ten masks of 224² would not)
            assertEquals(5, KEEP / (38L * 38 * 81 * 49 * 4));
            assertEquals(5, batch(m, large, ExtremalPerturbation.imagenet().withAreas(List.of(0.1)))
                    .imagesPerPass(BUDGET, 224, 224));
            assertEquals(Integer.MAX_VALUE, imagenet.imagesPerPass(Long.MAX_VALUE, 224, 224), "a GPU: no limit");
        }
    }

    private static MaskBatch batch(NDManager m, BlockClassifier model, ExtremalPerturbation settings) {
        MaskBatch.Context context = new MaskBatch.Context(model,
                m.zeros(new Shape(1, 3, model.inputHeight(), model.inputWidth())), new int[] {0}, 0, m);
        return settings.start(context, List.of(settings));
    }
}
