package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Stochastic gradient descent with momentum and dampening, PyTorch's semantics, a row per image:
 * {@code b = g} at a row's first step, then {@code b = μ·b + (1−dampening)·g}; {@code w = w − lr·b}.
 */
public final class Sgd implements OptimizerState {

    private final double[] learningRate;
    private final double[] momentum;
    private final double[] dampening;
    private final int[] steps;
    private final NDArray buffer;

    /** Starts with an empty momentum buffer; {@code shape} is the parameters' (rows first). */
    public Sgd(double[] learningRate, double[] momentum, double[] dampening, NDManager manager, Shape shape) {
        this(learningRate, momentum, dampening, new int[learningRate.length], manager.zeros(shape));
    }

    private Sgd(double[] learningRate, double[] momentum, double[] dampening, int[] steps, NDArray buffer) {
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.dampening = dampening;
        this.steps = steps;
        this.buffer = buffer;
    }

    @Override
    public void step(NDArray parameters, NDArray gradient) {
        int n = steps.length;
        float[] mu = new float[n];
        float[] gain = new float[n];
        float[] lr = new float[n];
        for (int i = 0; i < n; i++) {
            boolean first = steps[i]++ == 0;
            mu[i] = (float) momentum[i];
            gain[i] = first ? 1f : (float) (1 - dampening[i]); // the buffer starts at 0, so b = g at the first step
            lr[i] = (float) learningRate[i];
        }
        NDManager mg = buffer.getManager();
        Shape perRow = Adam.perRow(parameters.getShape());
        buffer.muli(mg.create(mu, perRow)).addi(gradient.mul(mg.create(gain, perRow)));
        parameters.subi(buffer.mul(mg.create(lr, perRow)));
    }

    @Override
    public Sgd select(NDArray rows) {
        long[] r = rows.toLongArray();
        return new Sgd(Adam.pick(learningRate, r), Adam.pick(momentum, r), Adam.pick(dampening, r),
                Adam.pick(steps, r), buffer.get(rows));
    }
}
