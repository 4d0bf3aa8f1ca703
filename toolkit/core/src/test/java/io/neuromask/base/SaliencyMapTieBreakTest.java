package io.neuromask.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tie-break of a saliency map: ranking, argmax, validation, and which operations keep it. */
class SaliencyMapTieBreakTest {

    /** The ranking as it was before tie-breaks: a stable sort by decreasing value ({@code Float.compare}). */
    private static int[] rasterOrder(float[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void aSaturatedMapRanksItsTiedPixelsByTheTieBreak() {
        // 4x4: six pixels saturated at exactly 1.0, the others distinct and lower
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = 0.05f * i / 16;
        }
        int[] saturated = {1, 4, 6, 9, 13, 15};
        for (int p : saturated) {
            v[p] = 1.0f;
        }
        float[] score = new float[16];
        // the tie-break prefers 13, 6, 15, 1, 9, 4 (descending scores); it also scores the unsaturated pixels in
        // reverse of their values, which must not matter: distinct values win over the tie-break
        score[13] = 9;
        score[6] = 8;
        score[15] = 7.5f;
        score[1] = 3;
        score[9] = -2;
        score[4] = -20;
        for (int i = 0; i < 16; i++) {
            if (v[i] < 1) {
                score[i] = 100 - i;
            }
        }
        SaliencyMap plain = SaliencyMap.of(v, 4, 4);
        SaliencyMap broken = plain.withTieBreak(score);
        int[] r = broken.ranking();
        assertArrayEquals(new int[] {13, 6, 15, 1, 9, 4}, Arrays.copyOf(r, 6));
        // the rest by decreasing value, exactly as without a tie-break
        assertArrayEquals(Arrays.copyOfRange(plain.ranking(), 6, 16), Arrays.copyOfRange(r, 6, 16));
        assertEquals(13, broken.argmax());
        // without the tie-break: the saturated pixels in row-major order, the first one is the argmax
        assertArrayEquals(saturated, Arrays.copyOf(plain.ranking(), 6));
        assertEquals(1, plain.argmax());
        assertTrue(broken.hasTieBreak());
        assertFalse(plain.hasTieBreak());
        assertArrayEquals(v, broken.values(), "the values are unchanged");
    }

    @Test
    void pixelsEqualInValueAndTieBreakStayInRowMajorOrder() {
        float[] v = {1, 1, 1, 1, 0, 1};
        float[] s = {0, 2, 0, 2, 5, 0};
        SaliencyMap m = SaliencyMap.of(v, 2, 3).withTieBreak(s);
        assertArrayEquals(new int[] {1, 3, 0, 2, 5, 4}, m.ranking());
        assertEquals(1, m.argmax());
    }

    @Test
    void withoutATieBreakTheRankingAndArgmaxAreTheRasterOrder() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int h = 1 + r.nextInt(9);
            int w = 1 + r.nextInt(9);
            float[] v = new float[h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(4) / 4f - 0.5f; // few distinct values: many ties
            }
            SaliencyMap m = SaliencyMap.of(v, h, w);
            int[] expected = rasterOrder(v);
            assertArrayEquals(expected, m.ranking(), "trial " + trial);
            // the first largest value in row-major order
            int first = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[first]) {
                    first = i;
                }
            }
            assertEquals(first, m.argmax(), "trial " + trial);
            assertEquals(expected[0], m.argmax(), "trial " + trial);
            // a random tie-break: argmax is always the ranking's first pixel, and every pixel appears once
            float[] s = new float[v.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = r.nextInt(3);
            }
            SaliencyMap b = m.withTieBreak(s);
            int[] rb = b.ranking();
            assertEquals(rb[0], b.argmax(), "trial " + trial);
            int[] sorted = rb.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                assertEquals(i, sorted[i]);
            }
            for (int k = 1; k < rb.length; k++) {
                int p = rb[k - 1];
                int q = rb[k];
                assertTrue(v[p] > v[q] || v[p] == v[q] && (s[p] > s[q] || s[p] == s[q] && p < q),
                        "trial " + trial + ": " + p + " before " + q);
            }
        }
    }

    @Test
    void badTieBreaksAreRefusedWithTheReason() {
        SaliencyMap m = SaliencyMap.of(new float[6], 2, 3);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> m.withTieBreak(new float[5]));
        assertEquals("a tie-break for a 3x2 saliency map needs 6 scores (one per pixel, row-major), got 5",
                length.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> m.withTieBreak(new float[] {0, 0, 0, 0, Float.NaN, 0}));
        assertEquals("tie-break score 4 (row 1, column 1) is NaN; tie-break scores must be finite", nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> m.withTieBreak(new float[] {Float.NEGATIVE_INFINITY, 0, 0, 0, 0, 0}));
        assertTrue(inf.getMessage().startsWith("tie-break score 0 (row 0, column 0) is -Infinity"), inf.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> m.withTieBreak(null));
        assertTrue(none.getMessage().contains("withoutTieBreak()"), none.getMessage());
        IllegalStateException absent = assertThrows(IllegalStateException.class, m::tieBreak);
        assertTrue(absent.getMessage().contains("hasTieBreak()"), absent.getMessage());
    }

    @Test
    void theScoresAreCopied() {
        float[] s = {0, 1, 0, 0};
        SaliencyMap m = SaliencyMap.of(new float[] {1, 1, 1, 1}, 2, 2).withTieBreak(s);
        s[3] = 10;
        assertEquals(1, m.argmax(), "changing the caller's array does not change the map");
        float[] copy = m.tieBreak();
        copy[0] = 10;
        assertEquals(1, m.argmax(), "nor does changing the returned copy");
        assertArrayEquals(new float[] {0, 1, 0, 0}, m.tieBreak());
    }

    @Test
    void normalizedKeepsTheTieBreakResizeToAnotherSizeDropsIt() {
        float[] v = {2, 2, 2, 1};
        float[] s = {0, 0, 3, 0};
        SaliencyMap m = SaliencyMap.of(v, 2, 2).withTieBreak(s);
        SaliencyMap n = m.normalized();
        assertTrue(n.hasTieBreak());
        assertArrayEquals(new float[] {1, 1, 1, 0}, n.values());
        assertEquals(2, n.argmax());
        assertSame(m, m.resize(2, 2), "the same size: the same map, tie-break and all");
        SaliencyMap big = m.resize(4, 4);
        assertFalse(big.hasTieBreak(), "other size: the scores no longer name its pixels");
        assertEquals(SaliencyMap.of(v, 2, 2).resize(4, 4), big);
    }

    @Test
    void equalityIncludesTheTieBreak() {
        SaliencyMap plain = SaliencyMap.of(new float[] {1, 1, 0, 0}, 2, 2);
        SaliencyMap a = plain.withTieBreak(new float[] {0, 1, 0, 0});
        SaliencyMap b = plain.withTieBreak(new float[] {0, 1, 0, 0});
        SaliencyMap c = plain.withTieBreak(new float[] {1, 0, 0, 0});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
        assertNotEquals(plain, a);
        assertNotEquals(plain.hashCode(), a.hashCode());
        assertEquals(plain, a.withoutTieBreak());
        assertEquals(plain.hashCode(), a.withoutTieBreak().hashCode());
        assertSame(plain, plain.withoutTieBreak());
        assertEquals(c, a.withTieBreak(new float[] {1, 0, 0, 0}), "a new tie-break replaces the old one");
        assertTrue(a.toString().contains("tie-break"), a.toString());
    }
}
