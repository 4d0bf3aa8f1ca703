package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Adam and SGD with momentum against their formulas, computed by hand in double precision. */
class OptimizerStateTest {

    private static final float[] W0 = {1f, 2f, -1f, 0.5f};
    private static final float[][] GRADS = {{0.5f, -1f, 2f, 0f}, {0.25f, 0.5f, -1f, 3f}, {-0.5f, 1f, 0.1f, 1f}};

    @Test
    void adamFollowsPyTorchsUpdate() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] w = toDouble(W0);
        double[] m = new double[4];
        double[] v = new double[4];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < 4; i++) {
                double g = GRADS[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray weights = manager.create(W0, new Shape(1, 1, 2, 2));
            OptimizerState adam = new Adam(new double[] {lr}, new double[] {b1}, new double[] {b2},
                    new double[] {eps}, manager, weights.getShape());
            for (float[] g : GRADS) {
                adam.step(weights, manager.create(g, new Shape(1, 1, 2, 2)));
            }
            assertArrayEquals(toFloat(w), weights.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void sgdWithMomentumAndDampeningFollowsPyTorchsUpdate() {
        double lr = 0.01;
        double mu = 0.9;
        double dampening = 0.9;
        double[] w = toDouble(W0);
        double[] b = new double[4];
        for (int t = 0; t < GRADS.length; t++) {
            for (int i = 0; i < 4; i++) {
                double g = GRADS[t][i];
                b[i] = t == 0 ? g : mu * b[i] + (1 - dampening) * g;
                w[i] -= lr * b[i];
            }
        }
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray weights = manager.create(W0, new Shape(1, 1, 2, 2));
            OptimizerState sgd = new Sgd(new double[] {lr}, new double[] {mu}, new double[] {dampening}, manager,
                    weights.getShape());
            for (float[] g : GRADS) {
                sgd.step(weights, manager.create(g, new Shape(1, 1, 2, 2)));
            }
            assertArrayEquals(toFloat(w), weights.toFloatArray(), 1e-6f);
        }
    }

    /** A row selected out of a batch carries its own state on: the same result as optimising it alone. */
    @Test
    void selectingRowsKeepsTheirState() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            float[] both = new float[8];
            System.arraycopy(W0, 0, both, 0, 4);
            System.arraycopy(W0, 0, both, 4, 4);
            NDArray pair = manager.create(both, new Shape(2, 1, 2, 2));
            NDArray single = manager.create(W0, new Shape(1, 1, 2, 2));
            OptimizerState batch = new Adam(new double[] {0.1, 0.3}, new double[] {0.9, 0.5}, new double[] {0.999, 0.9},
                    new double[] {1e-8, 1e-8}, manager, pair.getShape());
            OptimizerState alone = new Adam(new double[] {0.3}, new double[] {0.5}, new double[] {0.9},
                    new double[] {1e-8}, manager, single.getShape());
            float[] g2 = new float[8];
            System.arraycopy(GRADS[0], 0, g2, 0, 4);
            System.arraycopy(GRADS[0], 0, g2, 4, 4);
            batch.step(pair, manager.create(g2, new Shape(2, 1, 2, 2)));
            alone.step(single, manager.create(GRADS[0], new Shape(1, 1, 2, 2)));
            NDArray row = manager.create(new long[] {1});
            NDArray kept = pair.get(row);
            OptimizerState selected = batch.select(row);
            for (int t = 1; t < GRADS.length; t++) {
                selected.step(kept, manager.create(GRADS[t], new Shape(1, 1, 2, 2)));
                alone.step(single, manager.create(GRADS[t], new Shape(1, 1, 2, 2)));
            }
            assertArrayEquals(single.toFloatArray(), kept.toFloatArray(), 1e-6f);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
