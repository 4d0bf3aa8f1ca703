package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Adam with PyTorch's semantics, a row per image with its own settings and step count:
 * <pre>
 *   m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
 *   w = w − lr/(1−β1^t) · m / (sqrt(v / (1−β2^t)) + ε)
 * </pre>
 */
public final class Adam implements OptimizerState {

    private final double[] learningRate;
    private final double[] beta1;
    private final double[] beta2;
    private final double[] epsilon;
    private final int[] steps;
    private final NDArray m;
    private final NDArray v;

    /** Starts with zero moments; {@code shape} is the parameters' (rows first). */
    public Adam(double[] learningRate, double[] beta1, double[] beta2, double[] epsilon, NDManager manager,
            Shape shape) {
        this(learningRate, beta1, beta2, epsilon, new int[learningRate.length], manager.zeros(shape),
                manager.zeros(shape));
    }

    private Adam(double[] learningRate, double[] beta1, double[] beta2, double[] epsilon, int[] steps, NDArray m,
            NDArray v) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.steps = steps;
        this.m = m;
        this.v = v;
    }

    @Override
    public void step(NDArray parameters, NDArray gradient) {
        int n = steps.length;
        float[] b1 = new float[n];
        float[] oneMinusB1 = new float[n];
        float[] b2 = new float[n];
        float[] oneMinusB2 = new float[n];
        float[] stepSize = new float[n];
        float[] correction2 = new float[n];
        float[] eps = new float[n];
        for (int i = 0; i < n; i++) {
            steps[i]++;
            b1[i] = (float) beta1[i];
            oneMinusB1[i] = (float) (1 - beta1[i]);
            b2[i] = (float) beta2[i];
            oneMinusB2[i] = (float) (1 - beta2[i]);
            stepSize[i] = (float) (learningRate[i] / (1 - Math.pow(beta1[i], steps[i])));
            correction2[i] = (float) Math.sqrt(1 - Math.pow(beta2[i], steps[i]));
            eps[i] = (float) epsilon[i];
        }
        NDManager mg = m.getManager();
        Shape perRow = perRow(parameters.getShape());
        m.muli(mg.create(b1, perRow)).addi(gradient.mul(mg.create(oneMinusB1, perRow)));
        v.muli(mg.create(b2, perRow)).addi(gradient.square().muli(mg.create(oneMinusB2, perRow)));
        NDArray denominator = v.sqrt().divi(mg.create(correction2, perRow)).addi(mg.create(eps, perRow));
        parameters.subi(m.mul(mg.create(stepSize, perRow)).divi(denominator));
    }

    @Override
    public Adam select(NDArray rows) {
        long[] r = rows.toLongArray();
        return new Adam(pick(learningRate, r), pick(beta1, r), pick(beta2, r), pick(epsilon, r), pick(steps, r),
                m.get(rows), v.get(rows));
    }

    static Shape perRow(Shape shape) {
        long[] dims = new long[shape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = shape.get(0);
        return new Shape(dims);
    }

    static double[] pick(double[] a, long[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = a[(int) rows[i]];
        }
        return out;
    }

    static int[] pick(int[] a, long[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = a[(int) rows[i]];
        }
        return out;
    }
}
