package io.neuromask.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * A small convolutional network with seeded random weights (16-32-64 channels, 10 classes, 32×32
 * input). It is no useful classifier; it stands in for a real CIFAR-sized model in benchmarks and
 * tests, with the same shape of compute.
 */
public final class TinyCnn {

    private TinyCnn() {}

    /** Builds the network with weights drawn from {@code seed}. */
    public static BlockClassifier model(long seed, Device device) {
        SequentialBlock block = new SequentialBlock()
                .add(conv(16, 1))
                .add(Activation::relu)
                .add(conv(32, 2))
                .add(Activation::relu)
                .add(conv(32, 1))
                .add(Activation::relu)
                .add(conv(64, 2))
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            labels.add("class-" + c);
        }
        synchronized (TinyCnn.class) {
            Engine.getEngine("PyTorch").setRandomSeed((int) seed);
            return BlockClassifier.of("test-cnn32", block, labels, 32, 32, Normalization.IMAGENET, device);
        }
    }

    private static Conv2d conv(int channels, int stride) {
        return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).build();
    }
}
