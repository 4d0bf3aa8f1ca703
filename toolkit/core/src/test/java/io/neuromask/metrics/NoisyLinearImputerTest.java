package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ROAD's noisy linear imputation: small systems solved by hand, random masks against a dense solve of the reference's
 * equations written out here, and the noise's statistics and seeding.
 */
class NoisyLinearImputerTest {

    /** One channel's plane repeated as three channels with offsets 0, 10 and 20 (the channels solve independently). */
    private static float[] image(float[] plane) {
        float[] chw = new float[3 * plane.length];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane.length; p++) {
                chw[c * plane.length + p] = plane[p] + 10 * c;
            }
        }
        return chw;
    }

    private static boolean[] removed(int plane, int... pixels) {
        boolean[] r = new boolean[plane];
        for (int p : pixels) {
            r[p] = true;
        }
        return r;
    }

    @Test
    void oneInteriorPixelIsTheWeightedMeanOfItsEightNeighbours() {
        // 3x3: a b c / d . e / f g h; the centre = (b + d + e + g)/6 + (a + c + f + h)/12 (weights sum to 1)
        float[] plane = {1, 2, 3, 4, 99, 6, 7, 8, 9};
        float[] out = NoisyLinearImputer.infill(image(plane), 3, 3, removed(9, 4), null);
        double expected = (2 + 4 + 6 + 8) / 6.0 + (1 + 3 + 7 + 9) / 12.0; // 5
        for (int c = 0; c < 3; c++) {
            assertEquals(expected + 10 * c, out[c * 9 + 4], 1e-5, "channel " + c);
            for (int p = 0; p < 9; p++) {
                if (p != 4) {
                    assertEquals(plane[p] + 10 * c, out[c * 9 + p], "kept pixel " + p + " unchanged");
                }
            }
        }
        float[] skewed = {0, 6, 0, 0, 99, 0, 12, 0, 0};
        // (6)/6 + (12)/12 = 2: direct neighbours weigh twice the diagonal ones
        assertEquals(2, NoisyLinearImputer.infill(image(skewed), 3, 3, removed(9, 4), null)[4], 1e-5);
    }

    @Test
    void aCornerPixelDividesByTheWeightsOfItsInImageNeighbours() {
        // pixel (0,0) of a 3x3 image: neighbours (0,1), (1,0) at 1/6 and (1,1) at 1/12, sum 5/12:
        // x = ((v01 + v10)/6 + v11/12) / (5/12) = (2 (v01 + v10) + v11) / 5
        float[] plane = {99, 3, 0, 5, 11, 0, 0, 0, 0};
        float[] out = NoisyLinearImputer.infill(image(plane), 3, 3, removed(9, 0), null);
        assertEquals((2 * (3 + 5) + 11) / 5.0, out[0], 1e-5);
        assertEquals((2 * (13 + 15) + 21) / 5.0, out[9], 1e-5, "channel 1 alike");
    }

    @Test
    void twoNeighbouringRemovedPixelsSolveTheirTwoByTwoSystem() {
        // 4x4, pixels (1,1) and (1,2) removed. Each is interior (weights sum to 1), and each is the other's direct
        // neighbour: x1 = s1 + x2/6, x2 = s2 + x1/6 with s = the kept neighbours' weighted sum, so
        // x1 = (36 s1 + 6 s2) / 35 and x2 = (36 s2 + 6 s1) / 35.
        float[] v = new float[16];
        for (int p = 0; p < 16; p++) {
            v[p] = p * p % 7; // 0 1 4 2 / 2 4 1 0 / 1 4 2 2 / 4 1 0 1
        }
        int a = 1 * 4 + 1;
        int b = 1 * 4 + 2;
        // s1: direct (0,1)=1, (1,0)=2, (2,1)=4; diagonal (0,0)=0, (0,2)=4, (2,0)=1, (2,2)=2
        double s1 = (v[1] + v[4] + v[9]) / 6.0 + (v[0] + v[2] + v[8] + v[10]) / 12.0;
        // s2: direct (0,2)=4, (1,3)=0, (2,2)=2; diagonal (0,1)=1, (0,3)=2, (2,1)=4, (2,3)=2
        double s2 = (v[2] + v[7] + v[10]) / 6.0 + (v[1] + v[3] + v[9] + v[11]) / 12.0;
        assertEquals((1 + 2 + 4) / 6.0 + (0 + 4 + 1 + 2) / 12.0, s1, 1e-12, "the values as written above");
        float[] out = NoisyLinearImputer.infill(image(v), 4, 4, removed(16, a, b), null);
        assertEquals((36 * s1 + 6 * s2) / 35, out[a], 1e-5);
        assertEquals((36 * s2 + 6 * s1) / 35, out[b], 1e-5);
        // and the defining equations hold: each is the weighted mean of its neighbours
        assertEquals(s1 + out[b] / 6.0, out[a], 1e-5);
        assertEquals(s2 + out[a] / 6.0, out[b], 1e-5);
    }

    /** The reference's system written out densely and solved by Gaussian elimination with partial pivoting. */
    private static double[] dense(float[] chw, int h, int w, boolean[] removed, int channel) {
        int plane = h * w;
        int[] index = new int[plane];
        int n = 0;
        for (int p = 0; p < plane; p++) {
            index[p] = removed[p] ? n++ : -1;
        }
        double[][] a = new double[n][n + 1];
        for (int p = 0; p < plane; p++) {
            if (!removed[p]) {
                continue;
            }
            int i = index[p];
            double sum = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int y = p / w + dy;
                    int x = p % w + dx;
                    if ((dx == 0 && dy == 0) || y < 0 || y >= h || x < 0 || x >= w) {
                        continue;
                    }
                    double weight = dx == 0 || dy == 0 ? 1 / 6.0 : 1 / 12.0;
                    sum += weight;
                    int q = y * w + x;
                    if (removed[q]) {
                        a[i][index[q]] -= weight;
                    } else {
                        a[i][n] += weight * chw[channel * plane + q];
                    }
                }
            }
            a[i][i] += sum;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k <= n; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] x = new double[plane];
        for (int p = 0; p < plane; p++) {
            x[p] = removed[p] ? a[index[p]][n] / a[index[p]][index[p]] : chw[channel * plane + p];
        }
        return x;
    }

    @Test
    void randomMasksOnOddShapesMatchADenseSolve() {
        SplittableRandom r = new SplittableRandom(5);
        // shapes that exercise the multigrid's semi-coarsening (one side ≤ 3) and odd sizes
        int[][] shapes = {{1, 9}, {2, 2}, {3, 17}, {9, 7}, {16, 16}, {13, 21}};
        for (int[] s : shapes) {
            int h = s[0];
            int w = s[1];
            int plane = h * w;
            for (double share : new double[] {0.1, 0.5, 0.9}) {
                float[] chw = new float[3 * plane];
                for (int i = 0; i < chw.length; i++) {
                    chw[i] = (float) r.nextDouble();
                }
                boolean[] removed = new boolean[plane];
                boolean kept = false;
                for (int p = 0; p < plane; p++) {
                    removed[p] = r.nextDouble() < share;
                    kept |= !removed[p];
                }
                if (!kept) {
                    removed[0] = false;
                }
                float[] out = NoisyLinearImputer.infill(chw, h, w, removed, null);
                for (int c = 0; c < 3; c++) {
                    double[] x = dense(chw, h, w, removed, c);
                    for (int p = 0; p < plane; p++) {
                        assertEquals(x[p], out[c * plane + p], 2e-5, h + "x" + w + " at " + share + ", channel "
                                + c + ", pixel " + p);
                    }
                }
            }
        }
    }

    @Test
    void aLargeImageIsSolvedWellWithinTheNoiseWhateverTheStart() {
        int h = 96;
        int w = 80;
        int plane = h * w;
        float[] chw = new float[3 * plane];
        SplittableRandom r = new SplittableRandom(2);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                chw[c * plane + p] = (float) (0.5 + 0.4 * Math.sin((p % w) * 0.1 * (c + 1)) * Math.cos(p / w * 0.07)
                        + 0.05 * r.nextDouble());
            }
        }
        // a large removed blob (the hard case: smooth errors over long distances) and scattered pixels
        boolean[] removed = new boolean[plane];
        for (int p = 0; p < plane; p++) {
            double dy = p / w - 40;
            double dx = p % w - 45;
            removed[p] = dy * dy + dx * dx < 35 * 35 || r.nextDouble() < 0.3;
        }
        float[] tight = NoisyLinearImputer.infill(chw, h, w, removed, null, 1e-11);
        float[] cold = NoisyLinearImputer.infill(chw, h, w, removed, null);
        float[] warm = NoisyLinearImputer.infill(chw, h, w, removed, chw); // starting from the removed values
        double worst = 0;
        for (int i = 0; i < tight.length; i++) {
            worst = Math.max(worst, Math.max(Math.abs(cold[i] - tight[i]), Math.abs(warm[i] - tight[i])));
        }
        assertTrue(worst < 1e-4, "within 1 % of the noise (0.01) of the exact solution: " + worst);
        // the solution is the discrete harmonic fill: within the range of the kept values
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int p = 0; p < plane; p++) {
            if (!removed[p]) {
                lo = Math.min(lo, chw[p]);
                hi = Math.max(hi, chw[p]);
            }
        }
        for (int p = 0; p < plane; p++) {
            assertTrue(tight[p] >= lo - 1e-5 && tight[p] <= hi + 1e-5, "maximum principle at " + p);
        }
    }

    @Test
    void nothingRemovedIsTheImageAndEverythingRemovedIsBlack() {
        float[] chw = image(new float[] {1, 2, 3, 4});
        assertArrayEquals(chw, NoisyLinearImputer.infill(chw, 2, 2, new boolean[4], null));
        boolean[] all = {true, true, true, true};
        assertArrayEquals(new float[12], NoisyLinearImputer.infill(chw, 2, 2, all, null));
        float[] noisy = new NoisyLinearImputer(0.5).impute(chw, 2, 2, all, 1);
        for (float v : noisy) {
            assertTrue(v != 0 && Math.abs(v) < 5, "black plus noise: " + v);
        }
    }

    @Test
    void theNoiseIsSeededAndHasTheGivenStandardDeviationOnTheRemovedPixelsOnly() {
        int h = 64;
        int w = 64;
        int plane = h * w;
        float[] chw = new float[3 * plane];
        SplittableRandom r = new SplittableRandom(9);
        boolean[] removed = new boolean[plane];
        int n = 0;
        for (int p = 0; p < plane; p++) {
            removed[p] = r.nextBoolean();
            n += removed[p] ? 1 : 0;
        }
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) r.nextDouble();
        }
        NoisyLinearImputer imputer = new NoisyLinearImputer();
        assertEquals(0.01, imputer.noise(), "the reference's default");
        float[] clean = NoisyLinearImputer.infill(chw, h, w, removed, null);
        float[] a = imputer.impute(chw, h, w, removed, 42);
        assertArrayEquals(a, imputer.impute(chw, h, w, removed, 42), "same seed, same image");
        assertFalse(java.util.Arrays.equals(a, imputer.impute(chw, h, w, removed, 43)), "another seed, other noise");
        double sum = 0;
        double sq = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                double d = a[c * plane + p] - clean[c * plane + p];
                if (removed[p]) {
                    sum += d;
                    sq += d * d;
                } else {
                    assertEquals(chw[c * plane + p], a[c * plane + p], "kept pixels carry no noise");
                }
            }
        }
        int samples = 3 * n;
        double mean = sum / samples;
        double sd = Math.sqrt(sq / samples - mean * mean);
        // ~6000 draws: the sample sd is within 5 % of 0.01 and the mean within 5 standard errors of 0
        assertEquals(0.01, sd, 0.0005, "noise sd");
        assertEquals(0, mean, 5 * 0.01 / Math.sqrt(samples), "noise mean");
        assertArrayEquals(clean, new NoisyLinearImputer(0).impute(chw, h, w, removed, 42), "noise 0: plain");
    }

    @Test
    void badInputIsRefusedNamingTheProblem() {
        assertThrows(IllegalArgumentException.class, () -> new NoisyLinearImputer(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new NoisyLinearImputer(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NoisyLinearImputer.infill(new float[12], 2, 2, new boolean[3], null));
        assertTrue(e.getMessage().contains("4 removal flags"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NoisyLinearImputer.infill(new float[12], 2, 2, new boolean[4], new float[5]));
    }
}
