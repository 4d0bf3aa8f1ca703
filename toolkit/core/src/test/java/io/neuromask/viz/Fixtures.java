package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import io.neuromask.engine.StopReason;
import io.neuromask.Preset;
import io.neuromask.base.RgbImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Hand-made explanations with known pixels, masks and histories. */
public final class Fixtures {

    private Fixtures() {}

    /** A size×size image of one colour whose mask is 1 on the left half and 0 on the right half. */
    public static Explanation halfMask(int size, float r, float g, float b) {
        float[] chw = new float[3 * size * size];
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            chw[i] = r;
            chw[plane + i] = g;
            chw[2 * plane + i] = b;
        }
        float[] mask = new float[plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size / 2; x++) {
                mask[y * size + x] = 1f;
            }
        }
        List<LossRecord> history = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            java.util.Map<String, Double> terms = new java.util.LinkedHashMap<>();
            terms.put("prediction", 1 + i * 0.1);
            terms.put("sparsity", 2 - i * 0.2);
            terms.put("smoothness", 3 - i * 0.3);
            history.add(new LossRecord(i * 10, 10 - i, terms, 0.5 - i * 0.05, 0.9));
        }
        return Explanation.builder("fixture", RgbImage.ofChw(chw, 3, size, size), mask).target(3, "cat<3>")
                .original(3, 0.91).masked(5, 0.42).run(history, 40, Duration.ofMillis(1250), StopReason.COMPLETED)
                .objective(Preset.PAPER_CIFAR10.neuroMask(), Preset.PAPER_CIFAR10.neuroMask().optimizer())
                .seed(42).device("cpu()").build();
    }
}
