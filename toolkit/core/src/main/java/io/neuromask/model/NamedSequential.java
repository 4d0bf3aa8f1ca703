package io.neuromask.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * A {@link SequentialBlock} whose children carry given names (e.g. PyTorch module names such as
 * {@code conv1} or {@code layer2}) rather than their class names, so that
 * {@link io.neuromask.torch.StateDictLoader} can map a state_dict onto it.
 */
class NamedSequential extends SequentialBlock {

    /** Appends a child under {@code name}. */
    public NamedSequential add(String name, Block block) {
        addChildBlock(name, block);
        return this;
    }
}
