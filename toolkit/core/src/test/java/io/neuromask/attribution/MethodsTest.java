package io.neuromask.attribution;

import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.engine.MaskEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.Preset;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.model.Models;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The method registry: names, defaults, Grad-CAM's layer from the manifest. */
class MethodsTest {

    @Test
    void everyRegisteredMethodIsCreatedUnderItsName() {
        assertEquals(List.of("neuromask", "meaningful", "extremal", "gradient", "smoothgrad", "ig", "gradcam",
                "gradcam++", "scorecam", "layercam", "opticam", "occlusion", "rise", "center", "center-gaussian"),
                Methods.names());
        try (Classifier model = Models.load("test-cnn32", null)) {
            List<Attribution> all = Methods.create(Methods.names(), model, MethodConfig.defaults().batchSize(8));
            assertEquals(Methods.names(), all.stream().map(Attribution::name).toList());
            MaskEngine nm = (MaskEngine) all.get(0);
            assertEquals(Preset.PAPER_CIFAR10.neuroMask(), nm.objective(NeuroMaskObjective.class), "the model's paper preset");
            assertEquals(Preset.MEANINGFUL_CIFAR10.objective(), ((MaskEngine) all.get(1)).objective(), "32 px: CIFAR");
            assertEquals(Preset.EXTREMAL_CIFAR10.objective(), ((MaskEngine) all.get(2)).objective(), "32 px: CIFAR");
            assertEquals("7", ((GradCam) all.get(6)).layer(), "test-cnn32's Grad-CAM layer");
            for (int i = 7; i <= 10; i++) {
                assertEquals("7", ((CamAttribution) all.get(i)).layer(), all.get(i).name() + ": Grad-CAM's layer");
            }
            Attribution named = Methods.create("layercam", model, MethodConfig.defaults().with("gradcam_layer", "5"));
            assertEquals("5", ((LayerCam) named).layer(), "gradcam_layer sets every CAM method's layer");
            OptiCam optiCam = (OptiCam) all.get(10);
            assertEquals(OptiCam.DEFAULT_ITERATIONS, optiCam.iterations(), "the authors' iterations by default");
            assertEquals(12, ((OptiCam) Methods.create("opticam", model, MethodConfig.defaults()
                    .with("opticam_iterations", "12"))).iterations(), "setting opticam_iterations");
            IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> Methods.create("opticam", model, MethodConfig.defaults()
                            .with("opticam_iterations", "0")));
            assertTrue(zero.getMessage().contains("opticam_iterations takes an integer >= 1"), zero.getMessage());
            assertEquals("neuromask:fast", Methods.create("NeuroMask", model,
                    MethodConfig.defaults().label("neuromask:fast")).name());
        }
    }

    @Test
    void gradCamLayersComeFromTheManifest() {
        for (String name : List.of("cifar10-resnet20", "cifar10-resnet32", "cifar10-resnet44", "cifar10-resnet56")) {
            assertEquals(Optional.of("layer3"), Models.gradcamLayer(name), name);
        }
        assertEquals(Optional.of("fire8"), Models.gradcamLayer("imagenet-squeezenet1.1"));
        assertEquals(Optional.empty(), Models.gradcamLayer("test-planted-32"));
    }

    @Test
    void unknownNamesAreRefusedWithTheKnownOnes() {
        try (Classifier model = Models.load("test-planted-32", null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.create("lime", model));
            assertTrue(e.getMessage().contains("gradient, smoothgrad"), e.getMessage());
            IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> Methods.create("gradcam", model));
            assertTrue(g.getMessage().contains("no known Grad-CAM layer"), g.getMessage());
            IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                    () -> Methods.create("scorecam", model));
            assertTrue(s.getMessage().contains("no known Score-CAM layer") && s.getMessage().contains("--gradcam-layer"),
                    s.getMessage());
        }
    }
}
