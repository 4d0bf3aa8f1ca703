package io.neuromask.internal;

import ai.djl.ndarray.NDArray;

/**
 * RMSProp with TensorFlow 1 semantics and no momentum, each image with its own settings:
 * <pre>
 *   ms = decay * ms + (1 - decay) * g^2
 *   w  = w - lr * g / sqrt(ms + epsilon)
 * </pre>
 * with {@code ms} starting at the given accumulator value (1 in TF1's {@code RMSPropOptimizer}).
 */
public final class RmsProp implements OptimizerState {

    private final NDArray learningRate;
    private final NDArray decay;
    private final NDArray oneMinusDecay;
    private final NDArray epsilon;
    private final NDArray meanSquare;

    /**
     * @param learningRate N×1×1×1
     * @param decay N×1×1×1
     * @param epsilon N×1×1×1
     * @param meanSquare N×1×H×W accumulator, already at its starting value; updated in place
     */
    public RmsProp(NDArray learningRate, NDArray decay, NDArray epsilon, NDArray meanSquare) {
        this.learningRate = learningRate;
        this.decay = decay;
        this.oneMinusDecay = decay.neg().add(1);
        this.epsilon = epsilon;
        this.meanSquare = meanSquare;
    }

    /** The same optimiser restricted to some images, with their accumulators: {@code rows} is int64. */
    @Override
    public RmsProp select(NDArray rows) {
        return new RmsProp(learningRate.get(rows), decay.get(rows), epsilon.get(rows), meanSquare.get(rows));
    }

    /** Applies one step to {@code weights} in place, given their gradient. */
    @Override
    public void step(NDArray weights, NDArray gradient) {
        meanSquare.muli(decay).addi(gradient.square().muli(oneMinusDecay));
        weights.subi(gradient.mul(learningRate).divi(meanSquare.add(epsilon).sqrt()));
    }
}
