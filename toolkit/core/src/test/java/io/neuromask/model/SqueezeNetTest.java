package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.neuromask.TestMirror;
import io.neuromask.data.ImageNetValSample;
import io.neuromask.io.Npy;
import io.neuromask.metrics.Accuracy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SqueezeNet 1.1 built from the ONNX-zoo .npy weights matches the reference outputs and classifies ImageNet. */
class SqueezeNetTest {

    private static BlockClassifier model;

    @BeforeAll
    static void load() throws Exception {
        List<String> labels = Files.readAllLines(TestMirror.file("data/imagenet/synset_words.txt")).stream()
                .map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        model = SqueezeNet.classifier("imagenet-squeezenet1.1",
                SqueezeNet.readNpyWeights(TestMirror.file("models/squeezenet1.1/weights")), labels, Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void logitsMatchReferenceOutputs() throws Exception {
        for (int k = 0; k < 3; k++) {
            Path dir = TestMirror.file("models/squeezenet1.1/test_data_set/" + k);
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                NDArray input = Npy.read(m, dir.resolve("input_0.npy"));
                float[] expected = Npy.read(m, dir.resolve("output_0.npy")).toFloatArray();
                // the reference input is already preprocessed: feed the block directly, bypassing normalisation
                float[] actual = model.block().forward(new ParameterStore(m, false), new NDList(input), false)
                        .singletonOrThrow().toFloatArray();
                assertEquals(expected.length, actual.length);
                double maxRef = 0;
                double maxDiff = 0;
                for (int i = 0; i < expected.length; i++) {
                    maxRef = Math.max(maxRef, Math.abs(expected[i]));
                    maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
                }
                System.out.printf("test_data_set/%d: max |diff| %.3g, max |ref| %.3g, relative %.3g%n", k, maxDiff,
                        maxRef, maxDiff / maxRef);
                assertTrue(maxDiff <= 1e-3 * maxRef, "max |diff| " + maxDiff + " exceeds 1e-3 of max |ref| " + maxRef);
                assertArrayEquals(expected, actual, (float) (1e-3 * maxRef));
            }
        }
    }

    @Test
    void top1OnValSampleIsAtLeast60Percent() throws Exception {
        ImageNetValSample data = ImageNetValSample.read(TestMirror.file("data/imagenet/val-sample"));
        long t0 = System.nanoTime();
        Accuracy.Result r = Accuracy.evaluate(model, data, 0, 50);
        System.out.printf("squeezenet1.1 on val-sample: top1 %.4f top5 %.4f on %d images in %.1f s%n", r.top1(),
                r.top5(), r.images(), (System.nanoTime() - t0) / 1e9);
        assertEquals(300, r.images());
        assertTrue(r.top1() >= 0.60, "top-1 " + r.top1());
    }
}
