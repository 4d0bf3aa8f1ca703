package io.neuromask.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The CIFAR ResNet basic block: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))} with 3×3
 * convolutions and the "option A" shortcut: when the block halves the resolution and doubles the
 * channels, the shortcut is {@code x[:, :, ::2, ::2]} zero-padded with {@code planes/4} channels on each side.
 * Folded ({@link CifarResNet#foldedBlock}), each batch norm is part of the convolution before it: children
 * {@code conv1_bn1} and {@code conv2_bn2}, convolutions with bias.
 */
final class ResidualUnit extends AbstractBlock {

    private final int planes;
    private final int stride;
    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;

    /** @param folded whether each batch norm is folded into its convolution (then {@code bn1}, {@code bn2} are null) */
    ResidualUnit(int planes, int stride, boolean folded) {
        this.planes = planes;
        this.stride = stride;
        if (folded) {
            conv1 = addChildBlock(folded(1), CifarResNet.conv3x3(planes, stride, true));
            bn1 = null;
            conv2 = addChildBlock(folded(2), CifarResNet.conv3x3(planes, 1, true));
            bn2 = null;
        } else {
            conv1 = addChildBlock("conv1", CifarResNet.conv3x3(planes, stride, false));
            bn1 = addChildBlock("bn1", CifarResNet.batchNorm());
            conv2 = addChildBlock("conv2", CifarResNet.conv3x3(planes, 1, false));
            bn2 = addChildBlock("bn2", CifarResNet.batchNorm());
        }
    }

    /** The name of the folded convolution {@code c} (1 or 2): {@code conv1_bn1}, {@code conv2_bn2}. */
    static String folded(int c) {
        return "conv" + c + "_bn" + c;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList out = conv1.forward(ps, inputs, training);
        if (bn1 != null) {
            out = bn1.forward(ps, out, training);
        }
        out = conv2.forward(ps, new NDList(Activation.relu(out.singletonOrThrow())), training);
        if (bn2 != null) {
            out = bn2.forward(ps, out, training);
        }
        return new NDList(Activation.relu(out.singletonOrThrow().add(shortcut(x))));
    }

    private NDArray shortcut(NDArray x) {
        long inPlanes = x.getShape().get(1);
        if (stride == 1 && inPlanes == planes) {
            return x;
        }
        long pad = (planes - inPlanes) / 2;
        // zero channels before and after, padded in one op that keeps x's memory layout (channels last stays so)
        return x.get(new NDIndex(":, :, ::{}, ::{}", stride, stride)).pad(new Shape(0, 0, 0, 0, pad, pad), 0);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), planes, (in.get(2) - 1) / stride + 1, (in.get(3) - 1) / stride + 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        conv2.initialize(manager, dataType, mid);
        if (bn1 != null) {
            bn1.initialize(manager, dataType, mid);
            bn2.initialize(manager, dataType, conv2.getOutputShapes(mid));
        }
    }
}
