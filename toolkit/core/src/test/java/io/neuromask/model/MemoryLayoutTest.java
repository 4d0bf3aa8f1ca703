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
import io.neuromask.data.ImageNetValSample;
import io.neuromask.engine.Explanation;
import io.neuromask.io.LabelFiles;
import io.neuromask.torch.TorchTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Channels-last computing keeps every value: the layout change itself (values, shape, gradient), and SqueezeNet 1.1
 * in both layouts on real ImageNet images (logits, NeuroMask masks), up to float rounding.
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
            float[] a = cl.logits(x).toFloatArray();
            float[] b = nchw.logits(x).toFloatArray();
            double worst = 0;
            for (int i = 0; i < images.size(); i++) {
                double scale = 0;
                double diff = 0;
                for (int c = 0; c < 1000; c++) {
                    scale = Math.max(scale, Math.abs(b[i * 1000 + c]));
                    diff = Math.max(diff, Math.abs(a[i * 1000 + c] - b[i * 1000 + c]));
                }
                worst = Math.max(worst, diff / scale);
            }
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
            double worst = 0;
            double moved = 0;
            for (int i = 0; i < images.size(); i++) {
                assertEquals(b.get(i).target(), a.get(i).target());
                float[] ma = a.get(i).mask();
                float[] mb = b.get(i).mask();
                float[] m0 = start.get(i).mask();
                for (int j = 0; j < ma.length; j++) {
                    worst = Math.max(worst, Math.abs(ma[j] - mb[j]));
                    moved = Math.max(moved, Math.abs(mb[j] - m0[j]));
                }
            }
            System.out.printf("SqueezeNet channels-last vs NCHW, paper-imagenet for 20 iterations: largest mask "
                    + "difference %.3g; largest move from the first iteration %.3g%n", worst, moved);
            assertTrue(worst <= 1e-4, "mask difference " + worst);
            assertTrue(moved > 1e-2, "the masks barely moved from their start: " + moved);
        }
    }

    @Test
    void aBadLayoutSettingIsRefusedByName() {
        String before = System.getProperty(SqueezeNet.LAYOUT_PROPERTY);
        try {
            System.setProperty(SqueezeNet.LAYOUT_PROPERTY, "nhwc");
            String msg = assertThrows(IllegalArgumentException.class, SqueezeNet::layout).getMessage();
            assertTrue(msg.contains(SqueezeNet.LAYOUT_PROPERTY) && msg.contains("'nhwc'"), msg);
            System.setProperty(SqueezeNet.LAYOUT_PROPERTY, "NCHW");
            assertEquals(MemoryLayout.NCHW, SqueezeNet.layout());
            System.clearProperty(SqueezeNet.LAYOUT_PROPERTY);
            assertEquals(MemoryLayout.CHANNELS_LAST, SqueezeNet.layout());
        } finally {
            if (before == null) {
                System.clearProperty(SqueezeNet.LAYOUT_PROPERTY);
            } else {
                System.setProperty(SqueezeNet.LAYOUT_PROPERTY, before);
            }
        }
    }
}
