package io.neuromask.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.attribution.MethodDescriptor.Capability;
import io.neuromask.attribution.MethodDescriptor.Kind;
import io.neuromask.base.Attribution;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.metrics.MaxBoxAccV2;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The center-gaussian baseline: its values by hand, its registration, and the boxes its thresholds reach. */
class CenterGaussianBaselineTest {

    @Test
    void valuesAreTheIsotropicGaussianWithHalfTheSideAsStandardDeviation() {
        try (BlockClassifier model = PlantedEvidence.model(4, 0, 0, 2, 2, null)) {
            Attribution method = Methods.create("center-gaussian", model);
            assertEquals("center-gaussian", method.name());
            RgbImage a = RgbImage.ofChw(new float[48], 3, 4, 4);
            float[] bright = new float[48];
            java.util.Arrays.fill(bright, 1f);
            RgbImage b = RgbImage.ofChw(bright, 3, 4, 4);
            List<SaliencyMap> maps = method.attribute(List.of(a, b), List.of(Target.predicted(), Target.index(1)));
            assertSame(maps.get(0), maps.get(1), "the same map for every image and target");
            SaliencyMap m = maps.get(0);
            // 4x4, σ = 2 px: u = (x + 0.5 − 2) / 2, so u ∈ {−0.75, −0.25, 0.25, 0.75}; value exp(−(u² + v²)/2)
            assertEquals(Math.exp(-(0.5625 + 0.5625) / 2), m.get(0, 0), 1e-6, "corner");
            assertEquals(Math.exp(-(0.0625 + 0.0625) / 2), m.get(1, 1), 1e-6, "centre");
            assertEquals(Math.exp(-(0.0625 + 0.5625) / 2), m.get(1, 3), 1e-6, "edge");
            assertEquals(m.get(1, 1), m.get(2, 2), 1e-7, "symmetric about the centre");
            assertEquals(m.get(0, 3), m.get(3, 0), 1e-7);
            assertThrows(IllegalArgumentException.class, () -> method.attribute(List.of(a), List.of()));
        }
        try (BlockClassifier wide = PlantedEvidence.model(8, 0, 0, 2, 2, null)) {
            // on a square input the standard deviation is a quarter of the side for center, half for center-gaussian
            SaliencyMap center = new CenterBaseline(wide).attribute(List.of(RgbImage.ofChw(new float[192], 3, 8, 8)),
                    List.of(Target.index(0))).get(0);
            SaliencyMap gauss = new CenterGaussianBaseline(wide).attribute(List.of(RgbImage.ofChw(new float[192], 3, 8,
                    8)), List.of(Target.index(0))).get(0);
            // pixel (0, 3): centre offsets (−3.5, −0.5) px; exp(−(3.5² + 0.5²) / (2σ²)) with σ = 2 and σ = 4
            assertEquals(Math.exp(-(12.25 + 0.25) / 8), center.get(0, 3), 1e-6);
            assertEquals(Math.exp(-(12.25 + 0.25) / 32), gauss.get(0, 3), 1e-6);
        }
    }

    /**
     * Both centre baselines share the per-image part (one map for the model's input size, the same instance for every
     * image, the inputs checked against the model): each gives exactly its own Gaussian.
     */
    @Test
    void eachCentreBaselineGivesExactlyItsOwnGaussianToEveryImage() {
        try (BlockClassifier model = PlantedEvidence.model(6, 0, 0, 2, 2, null)) {
            List<RgbImage> images = List.of(RgbImage.ofChw(new float[108], 3, 6, 6), RgbImage.ofChw(new float[108],
                    3, 6, 6), RgbImage.ofChw(new float[108], 3, 6, 6));
            List<Target> targets = List.of(Target.predicted(), Target.index(0), Target.index(1));
            Attribution center = new CenterBaseline(model);
            Attribution gauss = new CenterGaussianBaseline(model);
            for (Attribution a : List.of(center, gauss)) {
                List<SaliencyMap> maps = a.attribute(images, targets);
                assertEquals(3, maps.size(), a.name());
                assertSame(maps.get(0), maps.get(2), a.name());
                assertSame(maps.get(0), a.attribute(images.subList(0, 1), targets.subList(0, 1)).get(0),
                        a.name() + ": made once, not per call");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> a.attribute(images, targets.subList(0, 2)), a.name());
                assertTrue(e.getMessage().startsWith(a.name() + ": got 3 images and 2 targets"), e.getMessage());
            }
            assertArrayEquals(CenterBaseline.gaussian(6, 6, 0.25).values(),
                    center.attribute(images, targets).get(0).values());
            assertArrayEquals(CenterBaseline.gaussian(6, 6, CenterGaussianBaseline.SIGMA_FRACTION).values(),
                    gauss.attribute(images, targets).get(0).values());
            // (0, 0) is 2.5 px from the centre on both axes: σ = 1.5 px for center, 3 px for center-gaussian
            assertEquals(Math.exp(-(6.25 + 6.25) / (2 * 2.25)), center.attribute(images, targets).get(0).get(0, 0),
                    1e-6);
            assertEquals(Math.exp(-(6.25 + 6.25) / (2 * 9.0)), gauss.attribute(images, targets).get(0).get(0, 0),
                    1e-6);
        }
        assertThrows(NullPointerException.class, () -> new CenterBaseline(null));
        assertThrows(NullPointerException.class, () -> new CenterGaussianBaseline(null));
    }

    @Test
    void registeredAsABaselineThatIsBatchInvariantAndUnsigned() {
        MethodDescriptor d = Methods.get("center-gaussian");
        assertEquals(Kind.BASELINE, d.kind());
        assertEquals(EnumSet.of(Capability.BATCH_INVARIANT), d.capabilities());
        assertEquals(List.of(), d.settings());
        assertEquals(java.util.Map.of(), Methods.settings("center-gaussian", MethodConfig.defaults().seed(4)));
        assertEquals(Methods.names().indexOf("center") + 1, Methods.names().indexOf("center-gaussian"));
    }

    @Test
    void itsThresholdsReachCentredBoxesFromATenthOfTheSideToTheWholeImage() {
        SaliencyMap m = CenterBaseline.gaussian(224, 224, CenterGaussianBaseline.SIGMA_FRACTION);
        int[] u = MaxBoxAccV2.eightBit(m);
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(0, 0, 223, 223)), MaxBoxAccV2.boxes(u, 224, 224, 0.0));
        List<MaxBoxAccV2.PixelBox> small = MaxBoxAccV2.boxes(u, 224, 224, 0.99);
        assertEquals(1, small.size());
        MaxBoxAccV2.PixelBox b = small.get(0);
        int side = b.x1() - b.x0() + 1;
        assertTrue(side >= 18 && side <= 30, "about a tenth of 224: " + b);
        assertEquals(223 - b.x1(), b.x0() - 1, 1, "centred: " + b);
        assertEquals(b.x0(), b.y0(), "isotropic: " + b);
    }
}
