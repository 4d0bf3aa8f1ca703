package io.neuromask.engine;

import io.neuromask.NeuroMask;
import io.neuromask.Preset;
import io.neuromask.engine.BatchOptimizer;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.export.ExplanationFiles;
import io.neuromask.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A mask for a class the model does not predict says so, with the numbers, and its JSON records it. */
class ExplanationWarningTest {

    @Test
    void rankCountsTheMoreProbableClasses() {
        float[] p = {0.1f, 0.5f, 0.1f, 0.3f};
        assertEquals(1, BatchOptimizer.rank(p, 1));
        assertEquals(2, BatchOptimizer.rank(p, 3));
        assertEquals(3, BatchOptimizer.rank(p, 0), "ties share the better rank");
    }

    @Test
    void anUnlikelyTargetIsWarnedAboutAndThePredictedOneIsNot() {
        try (Classifier model = Models.load("test-cnn32", Device.cpu())) {
            RgbImage image = RgbImage.uniformNoise(1, 32, 32, 5).get(0);
            float[] probs;
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                probs = model.logits(m.create(image.toChw(), new Shape(1, 3, 32, 32))).softmax(1).toFloatArray();
            }
            int least = 0;
            for (int c = 1; c < probs.length; c++) {
                if (probs[c] < probs[least]) {
                    least = c;
                }
            }
            MaskEngine nm = NeuroMask.builder().model(model).preset(Preset.FAST_CIFAR10).iterations(5).build();

            Explanation predicted = nm.explain(image, Target.predicted());
            assertEquals(1, predicted.targetRankOriginal());
            assertTrue(predicted.probabilityOriginal() >= Explanation.WARN_BELOW_PROBABILITY, "10 classes: the top one");
            assertFalse(predicted.warning().isPresent(), predicted.warning().orElse(""));
            JsonObject plain = JsonParser.parseString(ExplanationFiles.toJson(predicted)).getAsJsonObject();
            assertTrue(!plain.has("warning") || plain.get("warning").isJsonNull(), plain.toString());

            Explanation unlikely = nm.explain(image, Target.index(least));
            assertEquals(probs.length, unlikely.targetRankOriginal(), "the least probable class ranks last");
            String w = unlikely.warning().orElseThrow();
            assertTrue(w.contains("class " + least) && w.contains("rank " + probs.length)
                    && w.contains(String.format(java.util.Locale.ROOT, "p = %.4f on the image", unlikely.probabilityOriginal()))
                    && w.contains("predicts class " + predicted.target()), w);
            JsonObject json = JsonParser.parseString(ExplanationFiles.toJson(unlikely)).getAsJsonObject();
            assertEquals(w, json.get("warning").getAsString());
            assertEquals(probs.length, json.get("target_rank_original").getAsInt());
        }
    }
}
