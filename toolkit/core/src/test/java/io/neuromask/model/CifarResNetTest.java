package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.neuromask.TestMirror;
import io.neuromask.base.Classifier;
import io.neuromask.data.Cifar10;
import io.neuromask.metrics.Accuracy;
import io.neuromask.torch.TorchCheckpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pretrained CIFAR-10 ResNets reach their published top-1 on the first 1,000 test images. */
class CifarResNetTest {

    @ParameterizedTest(name = "resnet{0}: {1} %")
    @CsvSource({"20, resnet20-12fca82f.th, 91.5", "56, resnet56-4bfd9763.th, 92.6"})
    void top1OnFirstThousandTestImages(int depth, String file, double expected) throws Exception {
        Cifar10 test = Cifar10.read(TestMirror.file("data/cifar10/test_batch_first1000.bin"));
        var sd = TorchCheckpoint.read(TestMirror.file("models/cifar10-resnet/" + file)).stateDict();
        try (Classifier model = CifarResNet.classifier("cifar10-resnet" + depth, depth, sd, Device.cpu())) {
            long t0 = System.nanoTime();
            Accuracy.Result r = Accuracy.evaluate(model, test, 0, 100);
            System.out.printf("resnet%d: top1 %.4f top5 %.4f on %d images in %.1f s%n", depth, r.top1(), r.top5(),
                    r.images(), (System.nanoTime() - t0) / 1e9);
            assertEquals(1000, r.images());
            assertEquals(expected, 100 * r.top1(), 0.3);
        }
    }
}
