package io.neuromask.engine.extremal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The area constraint against its definition, mean((sort(M) − r)²), by hand and through a full sort. */
class AreaConstraintTest {

    @Test
    void penaltyByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            // q = 2: the ideal mask puts its ones on 0.9 and 0.7
            AreaConstraint c = AreaConstraint.of(m, 4, new int[] {2});
            float[] p = c.penalty(m.create(new float[] {0.2f, 0.9f, 0.5f, 0.7f}, new Shape(1, 4))).toFloatArray();
            assertEquals((0.04 + 0.01 + 0.25 + 0.09) / 4, p[0], 1e-6);
        }
    }

    @Test
    void valueAndGradientOfTheSortedForm() {
        int n = 500;
        int[] ones = {25, 100, 1, 499};
        try (NDManager m = NDManager.newBaseManager()) {
            SplittableRandom r = new SplittableRandom(5);
            float[] v = new float[ones.length * n];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextDouble();
            }
            check(m, v, n, ones, "distinct values");
            // every value of each row on a grid of 8: the threshold is tied and the constraint sorts
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.floor(v[i] * 8) / 8;
            }
            check(m, v, n, ones, "tied values");
            check(m, new float[ones.length * n], n, ones, "all zero");
        }
    }

    @Test
    void rejectsImpossibleAreas() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> AreaConstraint.of(m, 4, new int[] {5}));
        }
    }

    private static void check(NDManager m, float[] values, int n, int[] ones, String what) {
        Shape shape = new Shape(ones.length, n);
        float[] ref = new float[ones.length * n];
        for (int row = 0; row < ones.length; row++) {
            java.util.Arrays.fill(ref, (row + 1) * n - ones[row], (row + 1) * n, 1f);
        }
        NDArray reference = m.create(ref, shape);
        AreaConstraint c = AreaConstraint.of(m, n, ones);
        float[][] actual = penaltyAndGradient(m, values, shape, x -> c.penalty(x));
        float[][] expected = penaltyAndGradient(m, values, shape,
                x -> x.sort(1).sub(reference).square().mean(new int[] {1}));
        assertArrayEquals(expected[0], actual[0], 1e-6f, what + ": penalty");
        assertArrayEquals(expected[1], actual[1], 1e-7f, what + ": gradient");
    }

    private static float[][] penaltyAndGradient(NDManager m, float[] values, Shape shape,
            java.util.function.UnaryOperator<NDArray> penalty) {
        NDArray x = m.create(values, shape);
        x.setRequiresGradient(true);
        float[] p;
        try (GradientCollector g = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray out = penalty.apply(x);
            p = out.toFloatArray();
            g.backward(out.sum());
        }
        return new float[][] {p, x.getGradient().toFloatArray()};
    }
}
