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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR-10 ResNets of He et al. (2016), as trained by akamaster/pytorch_resnet_cifar10: a 3×3
 * convolution to 16 channels, batch norm, ReLU; three stages of {@code n} basic blocks with 16, 32 and 64
 * channels ("option A" shortcuts), global average pooling and a 64→10 linear layer. Depth = 6n + 2.
 *
 * <p>Child blocks carry the PyTorch module names ({@code conv1}, {@code bn1}, {@code layer1.0.conv1}, ...,
 * {@code linear}), so a state_dict loads with {@link StateDictLoader}.
 *
 * <p><b>Folded batch norms.</b> {@link #classifier(String, int, Map, Device)} (and so {@code Models.load}) folds each
 * batch norm into the convolution before it ({@link BatchNormFolding}): the network {@link #foldedBlock} has a
 * convolution with bias named {@code conv1_bn1} where the checkpoint has {@code conv1} and {@code bn1} (likewise
 * {@code conv1_bn1} and {@code conv2_bn2} inside each residual unit), and is otherwise the same, so the stages
 * ({@code layer1} … {@code layer3}, Grad-CAM's default {@code layer3}) keep their names and outputs. Its logits equal
 * the unfolded network's up to float rounding, and an iteration costs less (no batch-norm pass forward or
 * backward). For the separate {@code conv1} and {@code bn1} outputs (e.g. Grad-CAM at {@code bn1}), load the unfolded
 * network: {@link #classifier(String, int, Map, Device, boolean)} with {@code false}, or, for the manifest models,
 * the system property {@value #FOLD_PROPERTY}{@code =false}.
 */
public final class CifarResNet {

    /** The CIFAR-10 class names, index = label. */
    public static final List<String> CIFAR10_LABELS = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /** System property that, set to {@code false}, makes {@code Models.load} build the unfolded network. */
    public static final String FOLD_PROPERTY = "neuromask.foldBatchNorm";

    /** The batch norms' ε, PyTorch's default and the checkpoints'. */
    static final float BATCH_NORM_EPSILON = 1e-5f;

    private CifarResNet() {}

    /**
     * The network of the given depth, uninitialised.
     *
     * @param depth 20, 32, 44, 56, 110, ...: any 6n + 2
     * @param classes number of outputs
     */
    public static Block block(int depth, int classes) {
        return block(depth, classes, false);
    }

    /**
     * The network of the given depth with every batch norm folded into the convolution before it, uninitialised:
     * its state_dict is {@link #fold}'s.
     *
     * @param depth 20, 32, 44, 56, 110, ...: any 6n + 2
     * @param classes number of outputs
     */
    public static Block foldedBlock(int depth, int classes) {
        return block(depth, classes, true);
    }

    /**
     * A checkpoint's state_dict for {@link #foldedBlock}: {@link BatchNormFolding} of each convolution and the batch
     * norm after it.
     *
     * @throws IllegalArgumentException when a key is missing for the depth
     */
    public static Map<String, TorchTensor> fold(int depth, Map<String, TorchTensor> stateDict) {
        int n = units(depth);
        List<BatchNormFolding.Fold> folds = new ArrayList<>();
        folds.add(new BatchNormFolding.Fold("conv1", "bn1", "conv1_bn1"));
        for (int stage = 1; stage <= 3; stage++) {
            for (int i = 0; i < n; i++) {
                String unit = "layer" + stage + "." + i + ".";
                for (int c = 1; c <= 2; c++) {
                    folds.add(new BatchNormFolding.Fold(unit + "conv" + c, unit + "bn" + c,
                            unit + ResidualUnit.folded(c)));
                }
            }
        }
        return BatchNormFolding.fold(stateDict, folds, BATCH_NORM_EPSILON);
    }

    /**
     * Whether {@code Models.load} folds the batch norms: the system property {@value #FOLD_PROPERTY}, {@code true}
     * when unset.
     *
     * @throws IllegalArgumentException when it is set to anything but {@code true} or {@code false}
     */
    public static boolean foldRequested() {
        String v = System.getProperty(FOLD_PROPERTY);
        if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("true")) {
            return true;
        }
        if (v.trim().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(FOLD_PROPERTY + " is '" + v + "'; set it to true (fold the batch norms into "
                + "the convolutions, the default) or false (keep them as layers of their own)");
    }

    private static int units(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, ...), got " + depth);
        }
        return (depth - 2) / 6;
    }

    private static Block block(int depth, int classes, boolean folded) {
        int n = units(depth);
        NamedSequential net = folded
                ? new NamedSequential().add("conv1_bn1", conv3x3(16, 1, true))
                : new NamedSequential().add("conv1", conv3x3(16, 1, false)).add("bn1", batchNorm());
        net.add("relu", Activation.reluBlock());
        int[] planes = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            NamedSequential layer = new NamedSequential();
            for (int i = 0; i < n; i++) {
                layer.add(String.valueOf(i), new ResidualUnit(planes[stage], stage > 0 && i == 0 ? 2 : 1, folded));
            }
            net.add("layer" + (stage + 1), layer);
        }
        return net.add("pool", Pool.globalAvgPool2dBlock())
                .add("flatten", Blocks.batchFlattenBlock())
                .add("linear", Linear.builder().setUnits(classes).build());
    }

    /**
     * A CIFAR-10 classifier with the given weights, its batch norms folded into the convolutions ({@link
     * #foldedBlock}): 32×32 input, ImageNet mean/std normalisation, computing in {@link MemoryLayout#configured()}.
     *
     * @param stateDict PyTorch names, with or without {@code module.}
     * @throws IllegalArgumentException when the state_dict does not fit the depth
     */
    public static BlockClassifier classifier(String name, int depth, Map<String, TorchTensor> stateDict, Device device) {
        return classifier(name, depth, stateDict, device, true);
    }

    /**
     * A CIFAR-10 classifier with the given weights, folded ({@link #foldedBlock}, the faster) or as the checkpoint
     * lays it out ({@link #block}, with each batch norm its own layer).
     *
     * @param stateDict PyTorch names, with or without {@code module.}
     * @throws IllegalArgumentException when the state_dict does not fit the depth
     */
    public static BlockClassifier classifier(String name, int depth, Map<String, TorchTensor> stateDict, Device device,
            boolean foldBatchNorm) {
        return classifier(name, depth, stateDict, device, foldBatchNorm, MemoryLayout.configured());
    }

    /**
     * A CIFAR-10 classifier with the given weights, folded or not, computing in the given memory layout (the default
     * is {@link MemoryLayout#configured()}); the outputs are the same either way up to float rounding.
     *
     * @param stateDict PyTorch names, with or without {@code module.}
     * @throws IllegalArgumentException when the state_dict does not fit the depth
     */
    public static BlockClassifier classifier(String name, int depth, Map<String, TorchTensor> stateDict, Device device,
            boolean foldBatchNorm, MemoryLayout layout) {
        Map<String, TorchTensor> weights = foldBatchNorm ? fold(depth, stateDict) : stateDict;
        BlockClassifier c = BlockClassifier.of(name, block(depth, CIFAR10_LABELS.size(), foldBatchNorm),
                CIFAR10_LABELS, 32, 32, Normalization.IMAGENET, device, layout);
        try {
            StateDictLoader.load(c.block(), weights);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static Conv2d conv3x3(int channels, int stride, boolean bias) {
        return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).optBias(bias).build();
    }

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build();
    }
}
