package io.neuromask;

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
 * horizontally, so extremal perturbation's flip jitter leaves the model's answer unchanged, and it covers about a
 * fifth of the image, the largest of extremal perturbation's target areas.
 */
class PerturbationObjectivesTest {

    @ParameterizedTest(name = "{0}x{0}, patch {3} at ({1},{2}), {4}")
    @CsvSource({"32, 6, 9, 14, MEANINGFUL_CIFAR10", "224, 40, 62, 100, MEANINGFUL_IMAGENET",
            "32, 6, 9, 14, EXTREMAL_CIFAR10", "224, 40, 62, 100, EXTREMAL_IMAGENET"})
    void maskMassFallsInsideThePatch(int size, int top, int left, int patch, Preset preset) {
        try (BlockClassifier model = PlantedEvidence.textureModel(size, top, left, patch, 10, null)) {
            RgbImage image = PlantedEvidence.textureImage(size, top, left, patch, 7);
            Explanation e = NeuroMask.builder().model(model).preset(preset).build().explain(image, Target.predicted());
            assertEquals(0, e.target(), "the unmasked image shows the evidence");
            double share = insideShare(e, top, left, patch);
            System.out.printf("%s %dx%d: inside share %.4f, mask mean %.4f, p %.4f -> %.4f, %s%n", preset, size, size,
                    share, e.maskMean(), e.probabilityOriginal(), e.probabilityMasked(), e.wallTime());
            assertTrue(share >= 0.8, "share of mask mass inside the patch: " + share);
            assertTrue(e.classPreserved(), "keeping the salient region keeps the class: " + e.probabilityMasked());
        }
    }

    /** Extremal perturbation's area constraint: each single-area mask covers the asked area, within 2 points. */
    @ParameterizedTest(name = "{0}x{0}, area {4}")
    @CsvSource({"32, 6, 9, 14, 0.1", "32, 6, 9, 14, 0.2", "224, 40, 62, 100, 0.05", "224, 40, 62, 100, 0.1"})
    void extremalMaskCoversTheAskedArea(int size, int top, int left, int patch, double area) {
        try (BlockClassifier model = PlantedEvidence.textureModel(size, top, left, patch, 10, null)) {
            RgbImage image = PlantedEvidence.textureImage(size, top, left, patch, 7);
            ExtremalPerturbation ep = (size <= 64 ? ExtremalPerturbation.cifar10() : ExtremalPerturbation.imagenet())
                    .withAreas(List.of(area));
            Explanation e = NeuroMask.builder().model(model).objective(ep).build().explain(image, Target.predicted());
            System.out.printf("extremal %dx%d area %.2f: mask mean %.4f, inside share %.4f%n", size, size, area,
                    e.maskMean(), insideShare(e, top, left, patch));
            assertEquals(area, e.maskMean(), 0.02, "mask area");
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
