package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.NeuroMask;
import io.neuromask.Preset;
import io.neuromask.TestMirror;
import io.neuromask.base.RgbImage;
import io.neuromask.data.Cifar10;
import io.neuromask.engine.Explanation;
import io.neuromask.torch.StateDictLoader;
import io.neuromask.torch.TorchCheckpoint;
import io.neuromask.torch.TorchTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batch norms folded into the convolutions: the folded weights by hand, and on the pretrained ResNet20 the same
 * logits on real CIFAR-10 test images and the same NeuroMask masks as the unfolded network, up to float rounding.
 */
class BatchNormFoldingTest {

    @Test
    void foldsScaleAndShiftIntoTheWeightsAndBias() {
        // two output channels, one input channel, 1x2 kernels; ε = 0.75 so that var + ε is a square
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("module.c.weight", TorchTensor.ofFloats(new float[] {1, 2, 3, -4}, 2, 1, 1, 2));
        sd.put("module.n.weight", TorchTensor.ofFloats(new float[] {2, 3}, 2)); // γ
        sd.put("module.n.bias", TorchTensor.ofFloats(new float[] {0.5f, -1}, 2)); // β
        sd.put("module.n.running_mean", TorchTensor.ofFloats(new float[] {1, -2}, 2));
        sd.put("module.n.running_var", TorchTensor.ofFloats(new float[] {3.25f, 0.25f}, 2)); // + ε: 4 and 1
        sd.put("module.n.num_batches_tracked", TorchTensor.ofFloats(new float[] {7}, 1));
        sd.put("module.fc.weight", TorchTensor.ofFloats(new float[] {9, 8}, 1, 2));
        Map<String, TorchTensor> out = BatchNormFolding.fold(sd,
                List.of(new BatchNormFolding.Fold("c", "n", "c_n")), 0.75);
        assertEquals(List.of("fc.weight", "c_n.weight", "c_n.bias"), new ArrayList<>(out.keySet()));
        // s = γ / sqrt(var + ε) = 2 / 2 = 1 and 3 / 1 = 3
        assertArrayEquals(new float[] {1, 2, 9, -12}, out.get("c_n.weight").toFloatArray());
        assertEquals(new Shape(2, 1, 1, 2), out.get("c_n.weight").shape());
        // β + (0 − mean) s = 0.5 − 1 and −1 + 2 · 3
        assertArrayEquals(new float[] {-0.5f, 5}, out.get("c_n.bias").toFloatArray());
        assertArrayEquals(new float[] {9, 8}, out.get("fc.weight").toFloatArray());
    }

    @Test
    void foldsAConvolutionBiasThroughTheMean() {
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("c.weight", TorchTensor.ofFloats(new float[] {1}, 1, 1, 1, 1));
        sd.put("c.bias", TorchTensor.ofFloats(new float[] {4}, 1));
        sd.put("n.weight", TorchTensor.ofFloats(new float[] {1}, 1));
        sd.put("n.bias", TorchTensor.ofFloats(new float[] {1}, 1));
        sd.put("n.running_mean", TorchTensor.ofFloats(new float[] {2}, 1));
        sd.put("n.running_var", TorchTensor.ofFloats(new float[] {0}, 1));
        Map<String, TorchTensor> out = BatchNormFolding.fold(sd, List.of(new BatchNormFolding.Fold("c", "n", "f")),
                0.25);
        // s = 1 / 0.5 = 2; bias 1 + (4 − 2) · 2 = 5
        assertArrayEquals(new float[] {2}, out.get("f.weight").toFloatArray());
        assertArrayEquals(new float[] {5}, out.get("f.bias").toFloatArray());
    }

    @Test
    void namesMissingKeysAndChannelMismatches() {
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("c.weight", TorchTensor.ofFloats(new float[] {1, 2}, 2, 1, 1, 1));
        sd.put("n.weight", TorchTensor.ofFloats(new float[] {1}, 1));
        sd.put("n.bias", TorchTensor.ofFloats(new float[] {1}, 1));
        sd.put("n.running_mean", TorchTensor.ofFloats(new float[] {0}, 1));
        List<BatchNormFolding.Fold> folds = List.of(new BatchNormFolding.Fold("c", "n", "f"));
        String missing = assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.fold(sd, folds, 1e-5))
                .getMessage();
        assertTrue(missing.contains("missing key n.running_var"), missing);
        sd.put("n.running_var", TorchTensor.ofFloats(new float[] {1}, 1));
        String channels = assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.fold(sd, folds, 1e-5))
                .getMessage();
        assertTrue(channels.contains("n has 1 channels but c has 2 outputs"), channels);
    }

    @Test
    void aBadFoldSettingIsRefusedByName() {
        String before = System.getProperty(CifarResNet.FOLD_PROPERTY);
        try {
            System.setProperty(CifarResNet.FOLD_PROPERTY, "no");
            String msg = assertThrows(IllegalArgumentException.class, CifarResNet::foldRequested).getMessage();
            assertTrue(msg.contains(CifarResNet.FOLD_PROPERTY) && msg.contains("'no'"), msg);
            System.setProperty(CifarResNet.FOLD_PROPERTY, "FALSE");
            assertFalse(CifarResNet.foldRequested());
            System.clearProperty(CifarResNet.FOLD_PROPERTY);
            assertTrue(CifarResNet.foldRequested());
        } finally {
            if (before == null) {
                System.clearProperty(CifarResNet.FOLD_PROPERTY);
            } else {
                System.setProperty(CifarResNet.FOLD_PROPERTY, before);
            }
        }
    }

    private static Map<String, TorchTensor> resnet20() throws Exception {
        return TorchCheckpoint.read(TestMirror.file("models/cifar10-resnet/resnet20-12fca82f.th")).stateDict();
    }

    @Test
    void resnet20FoldedGivesTheUnfoldedLogitsOnTestImages() throws Exception {
        Cifar10 test = Cifar10.read(TestMirror.file("data/cifar10/test_batch_first1000.bin"));
        int n = 200;
        float[] pixels = new float[n * 3 * 32 * 32];
        for (int i = 0; i < n; i++) {
            System.arraycopy(test.image(i).toChw(), 0, pixels, i * 3 * 32 * 32, 3 * 32 * 32);
        }
        var sd = resnet20();
        try (BlockClassifier folded = CifarResNet.classifier("r20", 20, sd, Device.cpu());
                BlockClassifier unfolded = CifarResNet.classifier("r20", 20, sd, Device.cpu(), false);
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            // the folded network has no batch norm left, the unfolded one all 19
            assertEquals(0, countKeys(folded, "running_mean"));
            assertEquals(19, countKeys(unfolded, "running_mean"));
            assertEquals(19, countKeys(folded, "_bn") / 2); // a weight and a bias per folded convolution
            NDArray x = m.create(pixels, new Shape(n, 3, 32, 32));
            float[] a = folded.logits(x).toFloatArray();
            float[] b = unfolded.logits(x).toFloatArray();
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double scale = 0;
                double diff = 0;
                for (int c = 0; c < 10; c++) {
                    scale = Math.max(scale, Math.abs(b[i * 10 + c]));
                    diff = Math.max(diff, Math.abs(a[i * 10 + c] - b[i * 10 + c]));
                }
                worst = Math.max(worst, diff / scale);
            }
            System.out.printf("folded vs unfolded ResNet20 logits: largest difference %.3g of the row's largest "
                    + "logit on %d test images%n", worst, n);
            assertTrue(worst <= 1e-5, "relative logit difference " + worst);
        }
    }

    /**
     * The paper preset for 30 iterations gives the same masks either way, within 1e-4, while they move by more than
     * a hundred times that from their start. Not longer: from about 60 iterations on, the paper preset amplifies any
     * change of the last float bit, folding's or another's (one ulp added to each batch norm's running variance moves
     * the unfolded network's masks as much), and after its 2,000 iterations the masks of such runs differ.
     */
    @Test
    void resnet20FoldedGivesTheUnfoldedPaperMasks() throws Exception {
        Cifar10 test = Cifar10.read(TestMirror.file("data/cifar10/test_batch_first1000.bin"));
        List<RgbImage> images = List.of(test.image(0), test.image(1), test.image(2), test.image(3));
        var sd = resnet20();
        var hp = Preset.PAPER_CIFAR10.neuroMask();
        try (BlockClassifier folded = CifarResNet.classifier("r20", 20, sd, Device.cpu());
                BlockClassifier unfolded = CifarResNet.classifier("r20", 20, sd, Device.cpu(), false)) {
            List<Explanation> a = NeuroMask.builder().model(folded).objective(hp.withIterations(30)).batchSize(4)
                    .seed(3).build().explain(images);
            List<Explanation> b = NeuroMask.builder().model(unfolded).objective(hp.withIterations(30)).batchSize(4)
                    .seed(3).build().explain(images);
            List<Explanation> start = NeuroMask.builder().model(unfolded).objective(hp.withIterations(1)).batchSize(4)
                    .seed(3).build().explain(images);
            MaskDrift d = MaskDrift.of(a, b, start);
            System.out.printf("folded vs unfolded ResNet20, paper-cifar10 for 30 iterations: largest mask difference "
                    + "%.3g; largest move from the first iteration %.3g%n", d.difference(), d.moved());
            assertTrue(d.difference() <= 1e-4, "mask difference " + d.difference());
            assertTrue(d.moved() > 1e-2, "the masks barely moved from their start: " + d.moved());
        }
    }

    private static long countKeys(BlockClassifier c, String part) {
        return StateDictLoader.torchNames(c.block()).keySet().stream().filter(k -> k.contains(part)).count();
    }
}
