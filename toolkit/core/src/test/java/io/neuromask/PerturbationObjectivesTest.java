package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.extremal.ExtremalPerturbation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Meaningful and extremal perturbation find the only evidence a fixed model uses, at CIFAR and ImageNet size.
 * The evidence is texture ({@link PlantedEvidence#textureModel}), which their blur destroys; the patch is centred
 * horizontally, so extremal perturbation's flip jitter leaves the model's answer unchanged. Extremal perturbation
 * runs its preset with one target area, 0.1, over a patch a little larger (0.14 of the image): a mask of that area
 * fits inside the patch and keeps the class.
 */
class PerturbationObjectivesTest {

    @ParameterizedTest(name = "{0}x{0}, patch {2}, {3}")
    @CsvSource({"32, 6, 20, MEANINGFUL_CIFAR10", "224, 40, 112, MEANINGFUL_IMAGENET",
            "32, 6, 12, EXTREMAL_CIFAR10", "224, 40, 84, EXTREMAL_IMAGENET"})
    void maskMassFallsInsideThePatch(int size, int top, int patch, Preset preset) {
        int left = (size - patch) / 2;
        try (BlockClassifier model = PlantedEvidence.textureModel(size, top, left, patch, 10, null)) {
            RgbImage image = PlantedEvidence.textureImage(size, top, left, patch, 7);
            MaskObjective<?> objective = preset.objective();
            if (objective instanceof ExtremalPerturbation ep) {
                objective = ep.withAreas(List.of(0.1));
            }
            Explanation e = NeuroMask.builder().model(model).objective(objective).build()
                    .explain(image, Target.predicted());
            assertEquals(0, e.target(), "the unmasked image shows the evidence");
            double share = insideShare(e, top, left, patch);
            System.out.printf("%s %dx%d: inside share %.4f, mask mean %.4f, p %.4f -> %.4f, %s%n", preset, size, size,
                    share, e.maskMean(), e.probabilityOriginal(), e.probabilityMasked(), e.wallTime());
            assertTrue(share >= 0.8, "share of mask mass inside the patch: " + share);
            assertTrue(e.classPreserved(), "keeping the salient region keeps the class: " + e.probabilityMasked());
            if (objective instanceof ExtremalPerturbation) {
                assertEquals(0.1, e.maskMean(), 0.02, "extremal perturbation's mask covers the asked area");
            }
            assertEquals(objective.termNames(), List.copyOf(e.lossHistory().get(0).terms().keySet()),
                    "the loss history carries the objective's own terms");
        }
    }

    static double insideShare(Explanation e, int top, int left, int patch) {
        double inside = 0;
        double total = 0;
        for (int y = 0; y < e.height(); y++) {
            for (int x = 0; x < e.width(); x++) {
                double m = e.maskAt(y, x);
                total += m;
                if (y >= top && y < top + patch && x >= left && x < left + patch) {
                    inside += m;
                }
            }
        }
        return inside / total;
    }
}
