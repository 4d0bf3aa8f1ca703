package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The multigrid-preconditioned CG on stencils whose solutions are known in closed form, and its refusals. */
class StencilSolverTest {

    /**
     * The 1-D Laplacian −x[i−1] + 2x[i] − x[i+1] = 0 on a 1×w row with fixed ends 0 and w + 1 written into the
     * right-hand side (values 0 and 1 just outside): the solution is linear, x[i] = (i + 1) / (w + 1), in each
     * channel scaled by c + 1.
     */
    @Test
    void aLinearProfileSolvesTheOneDimensionalLaplacian() {
        for (int w : new int[] {1, 2, 5, 64, 301}) {
            boolean[] unknown = new boolean[w];
            java.util.Arrays.fill(unknown, true);
            double[] coef = new double[9 * w];
            double[] b = new double[3 * w];
            for (int x = 0; x < w; x++) {
                coef[9 * x + StencilSolver.CENTRE] = 2;
                if (x > 0) {
                    coef[9 * x + 3] = -1; // (0, −1)
                }
                if (x < w - 1) {
                    coef[9 * x + 4] = -1; // (0, +1)
                }
            }
            for (int c = 0; c < 3; c++) {
                b[3 * (w - 1) + c] += c + 1; // the right end's fixed value c + 1
            }
            double[] x = new double[3 * w];
            int iterations = StencilSolver.solve(1, w, unknown, coef, b, x, 1e-12);
            for (int i = 0; i < w; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals((c + 1) * (i + 1) / (double) (w + 1), x[3 * i + c], 1e-9, "w " + w + " at " + i);
                }
            }
            assertTrue(iterations <= 40, "multigrid keeps CG's iterations few: " + iterations + " at w " + w);
        }
    }

    @Test
    void aSolvedSystemTakesNoIteration() {
        boolean[] unknown = {true};
        double[] coef = new double[9];
        coef[StencilSolver.CENTRE] = 4;
        double[] x = {0.5, 1, 1.5};
        assertEquals(0, StencilSolver.solve(1, 1, unknown, coef, new double[] {2, 4, 6}, x, 1e-9));
    }

    @Test
    void badSystemsAreRefusedNamingTheProblem() {
        boolean[] unknown = {true, false};
        double[] coef = new double[18];
        coef[StencilSolver.CENTRE] = 1;
        coef[4] = -0.5; // couples pixel 0 to pixel 1, which is not an unknown
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StencilSolver.solve(1, 2, unknown, coef, new double[6], new double[6], 1e-6));
        assertTrue(e.getMessage().contains("right-hand side"), e.getMessage());
        coef[4] = 0;
        coef[StencilSolver.CENTRE] = 0;
        e = assertThrows(IllegalArgumentException.class,
                () -> StencilSolver.solve(1, 2, unknown, coef, new double[6], new double[6], 1e-6));
        assertTrue(e.getMessage().contains("positive diagonal"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StencilSolver.solve(1, 2, unknown, coef, new double[5], new double[6], 1e-6));
    }
}
