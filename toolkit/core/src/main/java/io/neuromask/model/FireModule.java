package io.neuromask.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** SqueezeNet's fire module: a 1×1 squeeze, then 1×1 and 3×3 expands concatenated along channels, all with ReLU. */
final class FireModule extends AbstractBlock {

    private final Block squeeze;
    private final Block expand1x1;
    private final Block expand3x3;
    private final int expandChannels;

    FireModule(int squeezeChannels, int expandChannels) {
        this.expandChannels = expandChannels;
        squeeze = addChildBlock("squeeze", conv(squeezeChannels, 1, 0));
        expand1x1 = addChildBlock("expand1x1", conv(expandChannels, 1, 0));
        expand3x3 = addChildBlock("expand3x3", conv(expandChannels, 3, 1));
    }

    static Conv2d conv(int channels, int kernel, int pad) {
        return Conv2d.builder().setFilters(channels).setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(pad, pad)).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList s = new NDList(Activation.relu(squeeze.forward(ps, inputs, training).singletonOrThrow()));
        return new NDList(Activation.relu(expand1x1.forward(ps, s, training).singletonOrThrow()
                .concat(expand3x3.forward(ps, s, training).singletonOrThrow(), 1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), 2L * expandChannels, in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        squeeze.initialize(manager, dataType, inputShapes);
        Shape[] mid = squeeze.getOutputShapes(inputShapes);
        expand1x1.initialize(manager, dataType, mid);
        expand3x3.initialize(manager, dataType, mid);
    }
}
