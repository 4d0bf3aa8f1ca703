package io.neuromask.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.base.Classifier;
import io.neuromask.model.Models;

/**
 * Run by {@link TorchWarningsTest} in a JVM of its own (libtorch's notice is printed once per process, on the
 * native stderr): loads the pretrained {@code cifar10-resnet20} (its state_dict is copied into DJL tensors) and
 * classifies a batch of two images twice, then prints the logits' shapes.
 */
public final class TorchWarningsMain {

    private TorchWarningsMain() {}

    /** No arguments; the mirror and cache come from {@code -Dneuromask.mirror} and {@code -Dneuromask.cache}. */
    public static void main(String[] args) {
        try (Classifier model = Models.load("cifar10-resnet20", Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray first = model.logits(m.ones(new Shape(2, 3, 32, 32)).mul(0.5f));
            NDArray second = model.logits(m.zeros(new Shape(2, 3, 32, 32)));
            System.out.println("logits " + first.getShape() + " " + second.getShape());
        }
    }
}
