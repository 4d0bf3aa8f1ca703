package io.neuromask.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.pooling.Pool;
import io.neuromask.io.Npy;
import io.neuromask.torch.StateDictLoader;
import io.neuromask.torch.TorchTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SqueezeNet 1.1 for ImageNet (Iandola et al. 2016), laid out as in the ONNX model zoo: conv0 (3→64, 3×3,
 * stride 2, no padding) + ReLU, max-pool 3/2 (ceil mode); fire1, fire2, max-pool; fire3, fire4, max-pool;
 * fire5 … fire8; conv25 (512→1000, 1×1) + ReLU; global average pool. Dropout is omitted (inference only).
 * Input: 224×224 RGB with ImageNet mean/std normalisation.
 */
public final class SqueezeNet {

    /** Squeeze and expand channels of fire1 … fire8. */
    private static final int[][] FIRES = {{16, 64}, {16, 64}, {32, 128}, {32, 128}, {48, 192}, {48, 192}, {64, 256},
        {64, 256}};

    private SqueezeNet() {}

    /** The network, uninitialised, with children {@code conv0}, {@code fire1} … {@code fire8}, {@code conv25}. */
    public static Block block(int classes) {
        NamedSequential net = new NamedSequential()
                .add("conv0", ai.djl.nn.convolutional.Conv2d.builder().setFilters(64).setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2)).build())
                .add("relu0", Activation.reluBlock())
                .add("pool0", maxPool());
        for (int f = 1; f <= FIRES.length; f++) {
            net.add("fire" + f, new FireModule(FIRES[f - 1][0], FIRES[f - 1][1]));
            if (f == 2 || f == 4) {
                net.add("pool" + f, maxPool());
            }
        }
        return net.add("conv25", FireModule.conv(classes, 1, 0))
                .add("relu25", Activation.reluBlock())
                .add("pool", Pool.globalAvgPool2dBlock())
                .add("flatten", Blocks.batchFlattenBlock());
    }

    private static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), true);
    }

    /**
     * Reads the ONNX-zoo weights ({@code squeezenet0_conv{0..25}_{weight,bias}.npy}) as a state_dict for
     * {@link #block}: conv0 and conv25 keep their names, conv 3k−2, 3k−1, 3k become
     * {@code fire<k>.squeeze}, {@code .expand1x1}, {@code .expand3x3}.
     *
     * @throws IOException naming a missing or unreadable file
     */
    public static Map<String, TorchTensor> readNpyWeights(Path weightsDir) throws IOException {
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        String[] parts = {"squeeze", "expand1x1", "expand3x3"};
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int i = 0; i <= 25; i++) {
                String module = i == 0 || i == 25 ? "conv" + i : "fire" + ((i + 2) / 3) + "." + parts[(i - 1) % 3];
                for (String kind : List.of("weight", "bias")) {
                    NDArray a = Npy.read(m, weightsDir.resolve("squeezenet0_conv" + i + "_" + kind + ".npy"));
                    sd.put(module + "." + kind, TorchTensor.ofFloats(a.toFloatArray(), a.getShape().getShape()));
                }
            }
        }
        return sd;
    }

    /**
     * A SqueezeNet 1.1 classifier: 224×224 input, ImageNet normalisation, in the memory layout
     * {@link MemoryLayout#configured()} (channels last unless the system property says otherwise).
     *
     * @param labels one per class (1000 for ImageNet)
     * @throws IllegalArgumentException when the weights do not fit
     */
    public static BlockClassifier classifier(String name, Map<String, TorchTensor> weights, List<String> labels,
            Device device) {
        return classifier(name, weights, labels, device, MemoryLayout.configured());
    }

    /**
     * A SqueezeNet 1.1 classifier computing in the given memory layout; the outputs are the same either way up to
     * float rounding.
     *
     * @param labels one per class (1000 for ImageNet)
     * @throws IllegalArgumentException when the weights do not fit
     */
    public static BlockClassifier classifier(String name, Map<String, TorchTensor> weights, List<String> labels,
            Device device, MemoryLayout layout) {
        BlockClassifier c = BlockClassifier.of(name, block(labels.size()), labels, 224, 224, Normalization.IMAGENET,
                device, layout);
        try {
            StateDictLoader.load(c.block(), weights);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
