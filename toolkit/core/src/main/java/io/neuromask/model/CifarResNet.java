package io.neuromask.model;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.neuromask.torch.StateDictLoader;
import io.neuromask.torch.TorchTensor;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR-10 ResNets of He et al. (2016), as trained by akamaster/pytorch_resnet_cifar10: a 3×3
 * convolution to 16 channels, batch norm, ReLU; three stages of {@code n} basic blocks with 16, 32 and 64
 * channels ("option A" shortcuts), global average pooling and a 64→10 linear layer. Depth = 6n + 2.
 *
 * <p>Child blocks carry the PyTorch module names ({@code conv1}, {@code bn1}, {@code layer1.0.conv1}, ...,
 * {@code linear}), so a state_dict loads with {@link StateDictLoader}.
 */
public final class CifarResNet {

    /** The CIFAR-10 class names, index = label. */
    public static final List<String> CIFAR10_LABELS = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private CifarResNet() {}

    /**
     * The network of the given depth, uninitialised.
     *
     * @param depth 20, 32, 44, 56, 110, ...: any 6n + 2
     * @param classes number of outputs
     */
    public static Block block(int depth, int classes) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, ...), got " + depth);
        }
        int n = (depth - 2) / 6;
        NamedSequential net = new NamedSequential()
                .add("conv1", conv3x3(16, 1))
                .add("bn1", batchNorm())
                .add("relu", Activation.reluBlock());
        int[] planes = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            NamedSequential layer = new NamedSequential();
            for (int i = 0; i < n; i++) {
                layer.add(String.valueOf(i), new ResidualUnit(planes[stage], stage > 0 && i == 0 ? 2 : 1));
            }
            net.add("layer" + (stage + 1), layer);
        }
        return net.add("pool", Pool.globalAvgPool2dBlock())
                .add("flatten", Blocks.batchFlattenBlock())
                .add("linear", Linear.builder().setUnits(classes).build());
    }

    /**
     * A CIFAR-10 classifier with the given weights: 32×32 input, ImageNet mean/std normalisation.
     *
     * @param stateDict PyTorch names, with or without {@code module.}
     * @throws IllegalArgumentException when the state_dict does not fit the depth
     */
    public static BlockClassifier classifier(String name, int depth, Map<String, TorchTensor> stateDict, Device device) {
        BlockClassifier c = BlockClassifier.of(name, block(depth, CIFAR10_LABELS.size()), CIFAR10_LABELS, 32, 32,
                Normalization.IMAGENET, device);
        try {
            StateDictLoader.load(c.block(), stateDict);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static Conv2d conv3x3(int channels, int stride) {
        return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).optBias(false).build();
    }

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).build();
    }
}
