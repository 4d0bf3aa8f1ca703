package io.neuromask.attribution;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.neuromask.TestMirror;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.Cifar10;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.CifarResNet;
import io.neuromask.model.MemoryLayout;
import io.neuromask.model.Models;
import io.neuromask.torch.TorchCheckpoint;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM at ResNet20's manifest layer gives the same maps on the network as loaded (batch norms folded, channels
 * last) as on the checkpoint's own layout (unfolded, NCHW); the folded batch norms are no layers of their own, and
 * the unfolded network still has them.
 */
class GradCamFoldedTest {

    @Test
    void theManifestLayerGivesTheSameMapsFoldedAndChannelsLast() throws Exception {
        Cifar10 test = Cifar10.read(TestMirror.file("data/cifar10/test_batch_first1000.bin"));
        List<RgbImage> images = List.of(test.image(0), test.image(1), test.image(2), test.image(3));
        var sd = TorchCheckpoint.read(TestMirror.file("models/cifar10-resnet/resnet20-12fca82f.th")).stateDict();
        String layer = Models.gradcamLayer("cifar10-resnet20").orElseThrow();
        try (BlockClassifier loaded = CifarResNet.classifier("r20", 20, sd, Device.cpu(), true,
                        MemoryLayout.CHANNELS_LAST);
                BlockClassifier original = CifarResNet.classifier("r20", 20, sd, Device.cpu(), false,
                        MemoryLayout.NCHW)) {
            List<Target> targets = Collections.nCopies(images.size(), Target.predicted());
            List<SaliencyMap> a = new GradCam(loaded, layer).attribute(images, targets);
            List<SaliencyMap> b = new GradCam(original, layer).attribute(images, targets);
            double worst = 0;
            for (int i = 0; i < images.size(); i++) {
                float[] va = a.get(i).values();
                float[] vb = b.get(i).values();
                assertTrue(b.get(i).max() > 0, "a non-trivial map");
                for (int j = 0; j < va.length; j++) {
                    worst = Math.max(worst, Math.abs(va[j] - vb[j]) / b.get(i).max());
                }
            }
            System.out.printf("Grad-CAM at %s, folded channels-last vs unfolded NCHW: largest difference %.3g of the "
                    + "map's maximum%n", layer, worst);
            assertTrue(worst <= 1e-4, "relative Grad-CAM difference " + worst);
            // the batch norm is a layer of its own only in the unfolded network
            new GradCam(original, "bn1");
            String msg = assertThrows(IllegalArgumentException.class, () -> new GradCam(loaded, "bn1")).getMessage();
            assertTrue(msg.contains("conv1_bn1"), msg);
        }
    }
}
