package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.NeuroMask;
import io.neuromask.Preset;
import io.neuromask.TestMirror;
import io.neuromask.base.RgbImage;
import io.neuromask.data.Cifar10;
import io.neuromask.data.ImageNetValSample;
import io.neuromask.engine.Explanation;
import io.neuromask.io.LabelFiles;
import io.neuromask.torch.TorchCheckpoint;
import io.neuromask.torch.TorchTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Channels-last computing keeps every value: the layout change itself (values, shape, gradient), ResNet20 in both
 * layouts on real CIFAR-10 images (logits) and SqueezeNet 1.1 on real ImageNet images (logits, NeuroMask masks), up to
 * float rounding.
 */
class MemoryLayoutTest {

    @Test
    void channelsLastKeepsShapeValuesAndGradient() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] v = new float[2 * 3 * 4 * 5];
            for (int i = 0; i < v.length; i++) {
                v[i] = i * 0.5f - 7;
            }
            NDArray x = m.create(v, new Shape(2, 3, 4, 5));
            assertSame(x, MemoryLayout.NCHW.apply(x));
            x.setRequiresGradient(true);
            NDArray weights = m.create(v, new Shape(2, 3, 4, 5)).mul(m.create(3f)); // d(Σ x·w)/dx = w
            NDArray c;
            try (GradientCollector g = Engine.getEngine("PyTorch").newGradientCollector()) {
                c = MemoryLayout.CHANNELS_LAST.apply(x);
                g.backward(c.mul(weights).sum());
            }
            assertEquals(new Shape(2, 3, 4, 5), c.getShape());
            assertArrayEquals(v, c.toFloatArray());
            // element [1, 2, 3, 4] by index, whatever the memory order
            assertEquals(v[((1 * 3 + 2) * 4 + 3) * 5 + 4], c.get("1, 2, 3, 4").getFloat());
            assertArrayEquals(weights.toFloatArray(), x.getGradient().toFloatArray());
            // applied twice, still the same values
            assertArrayEquals(v, MemoryLayout.CHANNELS_LAST.apply(c).toFloatArray());
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> MemoryLayout.CHANNELS_LAST.apply(m.zeros(new Shape(2, 3)))).getMessage();
            assertTrue(msg.contains("(2, 3)"), msg);
        }
    }

    @Test
    void resnet20GivesTheSameLogitsInBothLayouts() throws Exception {
        Cifar10 test = Cifar10.read(TestMirror.file("data/cifar10/test_batch_first1000.bin"));
        int n = 200;
        float[] pixels = new float[n * 3 * 32 * 32];
        for (int i = 0; i < n; i++) {
            System.arraycopy(test.image(i).toChw(), 0, pixels, i * 3 * 32 * 32, 3 * 32 * 32);
        }
        var sd = TorchCheckpoint.read(TestMirror.file("models/cifar10-resnet/resnet20-12fca82f.th")).stateDict();
        try (BlockClassifier cl = CifarResNet.classifier("r20", 20, sd, Device.cpu(), true,
                        MemoryLayout.CHANNELS_LAST);
                BlockClassifier nchw = CifarResNet.classifier("r20", 20, sd, Device.cpu(), true, MemoryLayout.NCHW);
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = m.create(pixels, new Shape(n, 3, 32, 32));
            double worst = worstRelative(cl.logits(x).toFloatArray(), nchw.logits(x).toFloatArray(), n, 10);
            System.out.printf("ResNet20 channels-last vs NCHW logits: largest difference %.3g of the row's largest "
                    + "logit on %d test images%n", worst, n);
            assertTrue(worst <= 1e-5, "relative logit difference " + worst);
        }
    }

    /** The largest difference of two rows of logits over the larger absolute logit of the second's row. */
    private static double worstRelative(float[] a, float[] b, int rows, int classes) {
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            double scale = 0;
            double diff = 0;
            for (int c = 0; c < classes; c++) {
                scale = Math.max(scale, Math.abs(b[i * classes + c]));
                diff = Math.max(diff, Math.abs(a[i * classes + c] - b[i * classes + c]));
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    private static List<RgbImage> valImages(int n) throws Exception {
        ImageNetValSample data = ImageNetValSample.read(TestMirror.file("data/imagenet/val-sample"));
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(data.get(i).resized(224, 224).image());
        }
        return images;
    }

    private static BlockClassifier squeezeNet(MemoryLayout layout) throws Exception {
        Map<String, TorchTensor> w = SqueezeNet.readNpyWeights(TestMirror.file("models/squeezenet1.1/weights"));
        return SqueezeNet.classifier("sq", w, LabelFiles.read(TestMirror.file("data/imagenet/synset_words.txt")),
                Device.cpu(), layout);
    }

    @Test
    void squeezeNetGivesTheSameLogitsInBothLayouts() throws Exception {
        List<RgbImage> images = valImages(16);
        float[] pixels = new float[images.size() * 3 * 224 * 224];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).toChw(), 0, pixels, i * 3 * 224 * 224, 3 * 224 * 224);
        }
        try (BlockClassifier cl = squeezeNet(MemoryLayout.CHANNELS_LAST);
                BlockClassifier nchw = squeezeNet(MemoryLayout.NCHW);
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            assertEquals(MemoryLayout.CHANNELS_LAST, cl.layout());
            NDArray x = m.create(pixels, new Shape(images.size(), 3, 224, 224));
            double worst = worstRelative(cl.logits(x).toFloatArray(), nchw.logits(x).toFloatArray(), images.size(),
                    1000);
            System.out.printf("SqueezeNet channels-last vs NCHW logits: largest difference %.3g of the row's largest "
                    + "logit on %d val-sample images%n", worst, images.size());
            assertTrue(worst <= 1e-5, "relative logit difference " + worst);
        }
    }

    /**
     * The paper preset for 20 iterations gives the same masks in both layouts, within 1e-4 (at most 2.8e-5 measured),
     * while they move by 0.04 from their start. Longer runs amplify the rounding (T = 0.3; see BatchNormFoldingTest).
     */
    @Test
    void squeezeNetGivesTheSamePaperMasksInBothLayouts() throws Exception {
        List<RgbImage> images = valImages(2);
        var hp = Preset.PAPER_IMAGENET.neuroMask();
        try (BlockClassifier cl = squeezeNet(MemoryLayout.CHANNELS_LAST);
                BlockClassifier nchw = squeezeNet(MemoryLayout.NCHW)) {
            List<Explanation> a = NeuroMask.builder().model(cl).objective(hp.withIterations(20)).batchSize(2).seed(5)
                    .build().explain(images);
            List<Explanation> b = NeuroMask.builder().model(nchw).objective(hp.withIterations(20)).batchSize(2)
                    .seed(5).build().explain(images);
            List<Explanation> start = NeuroMask.builder().model(nchw).objective(hp.withIterations(1)).batchSize(2)
                    .seed(5).build().explain(images);
            MaskDrift d = MaskDrift.of(a, b, start);
            System.out.printf("SqueezeNet channels-last vs NCHW, paper-imagenet for 20 iterations: largest mask "
                    + "difference %.3g; largest move from the first iteration %.3g%n", d.difference(), d.moved());
            assertTrue(d.difference() <= 1e-4, "mask difference " + d.difference());
            assertTrue(d.moved() > 1e-2, "the masks barely moved from their start: " + d.moved());
        }
    }

    @Test
    void aBadLayoutSettingIsRefusedByName() {
        String before = System.getProperty(MemoryLayout.PROPERTY);
        try {
            System.setProperty(MemoryLayout.PROPERTY, "nhwc");
            String msg = assertThrows(IllegalArgumentException.class, MemoryLayout::configured).getMessage();
            assertTrue(msg.contains(MemoryLayout.PROPERTY) && msg.contains("'nhwc'"), msg);
            System.setProperty(MemoryLayout.PROPERTY, "NCHW");
            assertEquals(MemoryLayout.NCHW, MemoryLayout.configured());
            System.clearProperty(MemoryLayout.PROPERTY);
            assertEquals(MemoryLayout.CHANNELS_LAST, MemoryLayout.configured());
        } finally {
            if (before == null) {
                System.clearProperty(MemoryLayout.PROPERTY);
            } else {
                System.setProperty(MemoryLayout.PROPERTY, before);
            }
        }
    }
}
