package io.neuromask.metrics;

import io.neuromask.data.Box;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.SaliencyMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made maps and boxes with known answers; no model. */
class MetricsTest {

    static SaliencyMap spike(int h, int w, int y, int x) {
        float[] v = new float[h * w];
        v[y * w + x] = 1;
        return SaliencyMap.of(v, h, w);
    }

    @Test
    void aucIsTheNormalisedTrapezoid() {
        assertEquals(1.0, DeletionInsertion.auc(new double[] {1, 1, 1}), 1e-12);
        assertEquals(0.5, DeletionInsertion.auc(new double[] {1, 0}), 1e-12);
        assertEquals(0.5, DeletionInsertion.auc(new double[] {0, 0.25, 0.5, 0.75, 1}), 1e-12);
        // (0.5·1 + 0.5 + 0.5·0) / 2
        assertEquals(0.5, DeletionInsertion.auc(new double[] {1, 0.5, 0}), 1e-12);
        assertEquals(0.25, DeletionInsertion.auc(new double[] {0, 0.5, 0}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> DeletionInsertion.auc(new double[] {1}));
    }

    @Test
    void orderIsDescendingAndStable() {
        SaliencyMap m = SaliencyMap.of(new float[] {0.1f, 0.9f, 0.5f, 0.9f}, 2, 2);
        assertArrayEquals(new int[] {1, 3, 2, 0}, DeletionInsertion.order(m));
    }

    @Test
    void blurKeepsAConstantInteriorAndDarkensEdges() {
        int h = 24;
        int w = 24;
        float[] ones = new float[3 * h * w];
        java.util.Arrays.fill(ones, 1f);
        float[] b = DeletionInsertion.blur(ones, h, w);
        assertEquals(1f, b[12 * w + 12], 1e-5f);
        assertTrue(b[0] < 0.5f, "zero padding darkens the corner: " + b[0]);
    }

    @Test
    void pointingGameUsesTheToleranceBetweenPixelCentres() {
        List<Box> box = List.of(new Box(10, 10, 20, 20)); // pixels 10..19
        assertTrue(new PointingGame(0).hit(spike(64, 64, 15, 15), box));
        assertTrue(new PointingGame(0).hit(spike(64, 64, 19, 19), box));
        assertFalse(new PointingGame(0).hit(spike(64, 64, 20, 15), box));
        // 15 px right of the last column: hit at tolerance 15, miss at 14
        assertTrue(new PointingGame().hit(spike(64, 64, 15, 34), box));
        assertFalse(new PointingGame(14).hit(spike(64, 64, 15, 34), box));
        assertFalse(new PointingGame().hit(spike(64, 64, 15, 35), box));
        // diagonal: (3, 4) px away from the corner pixel (19, 19) → distance 5
        assertTrue(new PointingGame(5).hit(spike(64, 64, 23, 22), box));
        assertFalse(new PointingGame(4.99).hit(spike(64, 64, 23, 22), box));
        // any box counts
        assertTrue(new PointingGame(0).hit(spike(64, 64, 50, 50), List.of(new Box(0, 0, 2, 2), new Box(45, 45, 55, 55))));
        assertThrows(IllegalArgumentException.class, () -> new PointingGame(-1));
        assertThrows(IllegalArgumentException.class, () -> new PointingGame(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new PointingGame().hit(spike(4, 4, 0, 0), List.of()));
    }

    @Test
    void energyPointingGameIsTheShareInsideTheBoxes() {
        float[] v = new float[16]; // 4x4
        v[0] = 1; // (0,0) inside box A
        v[5] = 1; // (1,1) inside box A
        v[15] = 2; // (3,3) outside
        v[10] = -5; // negative: ignored
        SaliencyMap m = SaliencyMap.of(v, 4, 4);
        assertEquals(0.5, EnergyPointingGame.score(m, List.of(new Box(0, 0, 2, 2))), 1e-12);
        assertEquals(1.0, EnergyPointingGame.score(m, List.of(new Box(0, 0, 2, 2), new Box(3, 3, 4, 4))), 1e-12);
        // overlapping boxes do not count a pixel twice
        assertEquals(0.5, EnergyPointingGame.score(m, List.of(new Box(0, 0, 2, 2), new Box(0, 0, 1, 1))), 1e-12);
        assertEquals(0, EnergyPointingGame.score(SaliencyMap.of(new float[16], 4, 4), List.of(new Box(0, 0, 2, 2))));
    }

    @Test
    void largestComponentBox() {
        float[] v = new float[8 * 8];
        // component A: 2 pixels at (1,1),(2,2) (diagonal: 8-connected)
        v[1 * 8 + 1] = 0.9f;
        v[2 * 8 + 2] = 0.9f;
        // component B: 3x2 block rows 5-6, cols 4-6, lower values
        for (int y = 5; y <= 6; y++) {
            for (int x = 4; x <= 6; x++) {
                v[y * 8 + x] = 0.6f;
            }
        }
        assertEquals(new Box(4, 5, 7, 7), MaxBoxAcc.largestComponentBox(v, 8, 8, 0.5));
        assertEquals(new Box(1, 1, 3, 3), MaxBoxAcc.largestComponentBox(v, 8, 8, 0.6)); // strictly greater
        assertNull(MaxBoxAcc.largestComponentBox(v, 8, 8, 0.95));
    }

    @Test
    void maxBoxAccPicksTheBestThresholdForTheWholeSet() {
        // a map with a bright core (x 4..7, y 4..7) inside a dimmer halo (x 2..9, y 2..9) on 12x12
        float[] v = new float[144];
        for (int y = 2; y < 10; y++) {
            for (int x = 2; x < 10; x++) {
                v[y * 12 + x] = (y >= 4 && y < 8 && x >= 4 && x < 8) ? 1f : 0.4f;
            }
        }
        SaliencyMap map = SaliencyMap.of(v, 12, 12);
        List<Box> core = List.of(new Box(4, 4, 8, 8));
        List<Box> halo = List.of(new Box(2, 2, 10, 10));
        // below 0.4 the halo is boxed, at 0.4 and above the core
        MaxBoxAcc metric = new MaxBoxAcc(10, 0.5);
        boolean[][] table = metric.hitTable(List.of(map, map), List.of(core, halo));
        for (int k = 0; k < 10; k++) {
            assertEquals(k >= 4, table[0][k], "core at threshold " + k / 10.0);
            assertEquals(k < 4, table[1][k], "halo at threshold " + k / 10.0);
        }
        MaxBoxAcc.Result r = metric.evaluate(List.of(map, map), List.of(core, halo));
        assertEquals(0.5, r.accuracy(), 1e-12);
        assertEquals(0.0, r.threshold(), 1e-12);
        MaxBoxAcc.Result both = metric.evaluate(List.of(map, map), List.of(core, core));
        assertEquals(1.0, both.accuracy(), 1e-12);
        assertEquals(0.4, both.threshold(), 1e-12);
        // IoU threshold: the halo box vs the core truth has IoU 16/64 = 0.25
        assertEquals(0.25, new Box(2, 2, 10, 10).iou(new Box(4, 4, 8, 8)), 1e-12);
        MaxBoxAcc lenient = new MaxBoxAcc(10, 0.25);
        assertTrue(lenient.hitTable(List.of(map), List.of(core))[0][0]);
        assertFalse(new MaxBoxAcc(10, 0.26).hitTable(List.of(map), List.of(core))[0][0]);
        assertThrows(IllegalArgumentException.class, () -> new MaxBoxAcc(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new MaxBoxAcc(0, 0.5));
    }

    @Test
    void gini() {
        assertEquals(0, Gini.index(new float[] {2, 2, 2, 2}), 1e-12);
        assertEquals(1 - 1.0 / 4, Gini.index(new float[] {0, 0, 5, 0}), 1e-12);
        assertEquals(Gini.index(new float[] {1, 2, 3}), Gini.index(new float[] {-1, 2, -3}), 1e-12);
        assertTrue(Gini.index(new float[] {1, 1, 1, 10}) > Gini.index(new float[] {1, 2, 3, 4}));
        assertEquals(0, Gini.index(new float[] {0, 0}));
    }

    @Test
    void summaryUsesStudentTQuantilesFromTheTable() {
        // t(0.975, df) from a printed t table; values 0..n-1 give df = n - 1
        assertEquals(12.7062, tQuantileUsedBySummary(2), 1e-3);
        assertEquals(4.3027, tQuantileUsedBySummary(3), 1e-3);
        assertEquals(2.2281, tQuantileUsedBySummary(11), 1e-3);
        assertEquals(2.0423, tQuantileUsedBySummary(31), 1e-3);
        assertEquals(1.9600, tQuantileUsedBySummary(100001), 1e-3);
    }

    /** Recovers t from {@code half = t · sd / √n}. */
    private static double tQuantileUsedBySummary(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        Summary s = Summary.of(v);
        return s.halfWidth() * Math.sqrt(n) / s.sd();
    }

    @Test
    void summaryUsesTheTInterval() {
        Summary s = Summary.of(new double[] {1, 2, 3, 4, 5});
        assertEquals(5, s.n());
        assertEquals(3, s.mean(), 1e-12);
        assertEquals(Math.sqrt(2.5), s.sd(), 1e-12);
        double half = 2.7764451 * Math.sqrt(2.5) / Math.sqrt(5);
        assertEquals(3 - half, s.low(), 1e-5);
        assertEquals(3 + half, s.high(), 1e-5);
        Summary one = Summary.of(new double[] {7, Double.NaN});
        assertEquals(1, one.n());
        assertEquals(7, one.mean());
        assertTrue(Double.isNaN(one.low()));
        assertEquals(0, Summary.of(new double[] {}).n());
    }
}
