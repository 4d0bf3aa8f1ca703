package io.neuromask.attribution;

import io.neuromask.engine.MaskObjective;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.Objectives;
import io.neuromask.attribution.MethodDescriptor.Capability;
import io.neuromask.attribution.MethodDescriptor.Kind;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.model.Models;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The method descriptors: what each says of its maps holds on real maps. */
class MethodDescriptorTest {

    private static RgbImage random(long seed) {
        Random r = new Random(seed);
        float[] px = new float[3 * 32 * 32];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        return RgbImage.ofChw(px, 3, 32, 32);
    }

    /** Mask methods at 3 iterations of their objective's preset; the others at their defaults, batch 2. */
    private static MethodConfig fast(MethodDescriptor d, Classifier model) {
        MethodConfig c = MethodConfig.defaults().batchSize(2).seed(3).with("rise_masks", "64");
        if (d.kind() == Kind.MASK) {
            MaskObjective<?> o = Objectives.presetFor(d.name(), model).withIterations(3);
            c = c.objective(o);
        }
        return c;
    }

    @Test
    void capabilitiesHoldOnTheMaps() {
        List<RgbImage> images = List.of(random(1), random(2), random(3));
        List<Target> targets = List.of(Target.predicted(), Target.predicted(), Target.predicted());
        try (Classifier model = Models.load("test-cnn32", null)) {
            for (MethodDescriptor d : Methods.all()) {
                MethodConfig c = fast(d, model);
                List<SaliencyMap> together = Methods.create(d.name(), model, c).attribute(images, targets);
                List<SaliencyMap> alone = Methods.create(d.name(), model, c).attribute(images.subList(2, 3),
                        targets.subList(2, 3));
                boolean invariant = d.capabilities().contains(Capability.BATCH_INVARIANT);
                if (invariant) {
                    assertArrayEquals(alone.get(0).values(), together.get(2).values(), 1e-5f,
                            d.name() + " says batch-invariant: the third image alone and in the batch");
                }
                boolean tieBreak = d.capabilities().contains(Capability.TIE_BREAK);
                for (SaliencyMap m : together) {
                    assertEquals(tieBreak, m.hasTieBreak(), d.name() + ": tie-break");
                    if (!d.capabilities().contains(Capability.SIGNED)) {
                        for (float v : m.values()) {
                            assertTrue(v >= 0, d.name() + " says unsigned but has " + v);
                        }
                    }
                }
                assertEquals(d.kind() == Kind.MASK, d.objective().isPresent(), d.name());
            }
            MethodDescriptor smooth = Methods.get("smoothgrad");
            MethodConfig c = fast(smooth, model);
            List<SaliencyMap> together = Methods.create("smoothgrad", model, c).attribute(images, targets);
            List<SaliencyMap> alone = Methods.create("smoothgrad", model, c).attribute(images.subList(2, 3),
                    targets.subList(2, 3));
            assertTrue(!java.util.Arrays.equals(alone.get(0).values(), together.get(2).values()),
                    "SmoothGrad's noise depends on the position in the call: not batch-invariant, as it says");
        }
    }

    @Test
    void kindsAndRecordedSettingsAreThoseResultsFilesHold() {
        assertEquals(List.of(Kind.MASK, Kind.MASK, Kind.MASK, Kind.GRADIENT, Kind.GRADIENT, Kind.GRADIENT, Kind.CAM,
                Kind.CAM, Kind.CAM, Kind.CAM, Kind.CAM, Kind.PERTURBATION, Kind.PERTURBATION, Kind.BASELINE, Kind.BASELINE),
                Methods.all().stream().map(MethodDescriptor::kind).toList());
        MethodConfig c = MethodConfig.defaults().seed(7).with("rise_masks", "500");
        assertEquals(Map.of("seed", 7L, "rise_masks", 500), Methods.settings("rise", c));
        assertEquals(Map.of(), Methods.settings("gradient", c));
        java.util.Map<String, Object> gradcam = new java.util.HashMap<>();
        gradcam.put("gradcam_layer", null);
        for (String cam : List.of("gradcam", "gradcam++", "scorecam", "layercam")) {
            assertEquals(gradcam, Methods.settings(cam, c), cam + " records the shared layer setting");
        }
        java.util.Map<String, Object> opticam = new java.util.HashMap<>(gradcam);
        opticam.put("opticam_iterations", 25);
        assertEquals(opticam, Methods.settings("opticam", c.with("opticam_iterations", "25")),
                "opticam records the layer and its iterations");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Methods.create("rise", null, MethodConfig.defaults().with("masks", "5")));
        assertTrue(bad.getMessage().contains("unknown method setting 'masks'"), bad.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> Methods.register(Methods.get("gradient")));
        assertTrue(taken.getMessage().contains("registered already"), taken.getMessage());
    }
}
