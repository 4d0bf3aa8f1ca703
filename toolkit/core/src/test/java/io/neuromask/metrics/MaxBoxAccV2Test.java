package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.data.Box;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MaxBoxAccV2 on small maps whose boxes, IoUs and accuracies are worked out by hand. */
class MaxBoxAccV2Test {

    private static SaliencyMap map(int h, int w, float[] v) {
        return SaliencyMap.of(v, h, w);
    }

    /** Sets the rectangle x0…x1, y0…y1 (inclusive) of a row-major h×w array to {@code value}. */
    private static void fill(float[] v, int w, int x0, int y0, int x1, int y1, float value) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                v[y * w + x] = value;
            }
        }
    }

    /**
     * 10×10: blob A (value 1) at x 1…3, y 1…2 and blob B (value 0.5) at x 6…8, y 5…8. In 8 bits A is 255 and B
     * (int) (0.5 · 255) = 127.
     */
    private static SaliencyMap twoBlobs() {
        float[] v = new float[100];
        fill(v, 10, 1, 1, 3, 2, 1f);
        fill(v, 10, 6, 5, 8, 8, 0.5f);
        return map(10, 10, v);
    }

    @Test
    void eightBitsTruncateTheMinMaxNormalisedMap() {
        assertArrayEquals(new int[] {0, 127, 255, 63}, MaxBoxAccV2.eightBit(map(2, 2, new float[] {0, 0.5f, 1, 0.25f})));
        assertArrayEquals(new int[] {0, 127, 255, 63}, MaxBoxAccV2.eightBit(map(2, 2, new float[] {2, 4, 6, 3})));
        assertArrayEquals(new int[4], MaxBoxAccV2.eightBit(map(2, 2, new float[] {3, 3, 3, 3})), "constant: 0");
        double[] t = new MaxBoxAccV2().thresholdValues();
        assertEquals(100, t.length);
        assertEquals(0.49, t[49], 1e-15);
        assertEquals(124, (int) (t[49] * 255), "0.49 · 255 = 124.95");
        assertEquals(127, (int) (t[50] * 255));
    }

    @Test
    void everyComponentGivesABoxGrownByOneAtTheFarEdgeAndClipped() {
        int[] u = MaxBoxAccV2.eightBit(twoBlobs());
        // threshold 0: both blobs; boundingRect x + w = x_max + 1, clipped to width − 1 = 9
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(1, 1, 4, 3), new MaxBoxAccV2.PixelBox(6, 5, 9, 9)),
                MaxBoxAccV2.boxes(u, 10, 10, 0.0));
        // 0.49: cut 124 < 127, B stays; 0.5: cut 127, only A (> 127)
        assertEquals(2, MaxBoxAccV2.boxes(u, 10, 10, 0.49).size());
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(1, 1, 4, 3)), MaxBoxAccV2.boxes(u, 10, 10, 0.5));
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(1, 1, 4, 3)), MaxBoxAccV2.boxes(u, 10, 10, 0.99));
        // 8-connected: two pixels touching at a corner are one component
        float[] diag = new float[25];
        diag[6] = 1;
        diag[12] = 1;
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(1, 1, 3, 3)),
                MaxBoxAccV2.boxes(MaxBoxAccV2.eightBit(map(5, 5, diag)), 5, 5, 0.0));
        // nothing above the threshold (a constant map): the reference's (0, 0, 0, 0)
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(0, 0, 0, 0)),
                MaxBoxAccV2.boxes(MaxBoxAccV2.eightBit(map(3, 3, new float[9])), 3, 3, 0.0));
    }

    @Test
    void aHoleHasAContourOfItsOwn() {
        // 12×12: an 8×8 block at x, y 0…7 with a one-pixel hole at (3, 3); RETR_TREE gives the block's outer contour
        // and the hole's, which runs through the 4 pixels around it: x, y 2…4, so (2, 2, 5, 5)
        float[] v = new float[144];
        fill(v, 12, 0, 0, 7, 7, 1f);
        v[3 * 12 + 3] = 0;
        int[] u = MaxBoxAccV2.eightBit(map(12, 12, v));
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(0, 0, 8, 8), new MaxBoxAccV2.PixelBox(2, 2, 5, 5)),
                MaxBoxAccV2.boxes(u, 12, 12, 0.0));
        // a gap that reaches the image border is background, not a hole
        float[] open = v.clone();
        fill(open, 12, 3, 0, 3, 3, 0f);
        assertEquals(1, MaxBoxAccV2.boxes(MaxBoxAccV2.eightBit(map(12, 12, open)), 12, 12, 0.0).size());
        // an 8-connected ring closed only at its corners still encloses its centre (holes are 4-connected)
        float[] ring = new float[25];
        for (int p : new int[] {6, 7, 11, 13, 17, 18}) {
            ring[p] = 1; // (1,1) (2,1) (1,2) (3,2) (2,3) (3,3): the centre (2,2) touches the outside only diagonally
        }
        List<MaxBoxAccV2.PixelBox> boxes = MaxBoxAccV2.boxes(MaxBoxAccV2.eightBit(map(5, 5, ring)), 5, 5, 0.0);
        assertEquals(List.of(new MaxBoxAccV2.PixelBox(1, 1, 4, 4), new MaxBoxAccV2.PixelBox(1, 1, 4, 4)), boxes);
        // the hole's box can be what matches: ground truth (2, 2)-(5, 5)
        List<List<Box>> gt = List.of(List.of(new Box(2, 2, 5, 5)));
        boolean[][][] t = new MaxBoxAccV2().hitTable(List.of(map(12, 12, v)), gt);
        assertTrue(t[0][2][0], "IoU 1 with the hole's box");
        assertEquals(16.0 / 81, new MaxBoxAccV2.PixelBox(0, 0, 8, 8).iou(new MaxBoxAccV2.PixelBox(2, 2, 5, 5)), 1e-15,
                "the outer box alone would miss");
    }

    @Test
    void iouCountsInclusivePixelsAndGroundTruthIsTruncated() {
        MaxBoxAccV2.PixelBox a = new MaxBoxAccV2.PixelBox(0, 0, 1, 1);
        assertEquals(1.0 / 7, a.iou(new MaxBoxAccV2.PixelBox(1, 1, 2, 2)), 1e-15, "1 shared pixel of 4 + 4 − 1");
        assertEquals(0, a.iou(new MaxBoxAccV2.PixelBox(3, 3, 4, 4)));
        assertEquals(1, a.iou(a));
        // (6, 5, 9, 9) holds 4·5 = 20 pixels, (6, 5, 9, 7) 12 of them: IoU 0.6
        assertEquals(0.6, new MaxBoxAccV2.PixelBox(6, 5, 9, 9).iou(new MaxBoxAccV2.PixelBox(6, 5, 9, 7)), 1e-15);
        assertEquals(new MaxBoxAccV2.PixelBox(1, 2, 5, 7), MaxBoxAccV2.PixelBox.of(new Box(1.9, 2.2, 5.99, 7.0)));
    }

    @Test
    void theBestThresholdPerIouAveragedOverThree() {
        SaliencyMap m = twoBlobs();
        // image 1: ground truth (6,5)-(9,7): IoU 0.6 with B's box at thresholds ≤ 0.49, 0 after: hits at 30 and 50 %
        // image 2: ground truth A's box exactly: IoU 1 at every threshold
        List<List<Box>> gt = List.of(List.of(new Box(6, 5, 9, 7)), List.of(new Box(1, 1, 4, 3)));
        MaxBoxAccV2 metric = new MaxBoxAccV2();
        boolean[][][] t = metric.hitTable(List.of(m, m), gt);
        for (int k = 0; k < 100; k++) {
            assertEquals(k <= 49, t[0][0][k], "IoU 0.3, threshold " + k);
            assertEquals(k <= 49, t[0][1][k], "IoU 0.5, threshold " + k);
            assertFalse(t[0][2][k], "IoU 0.7, threshold " + k);
            for (int d = 0; d < 3; d++) {
                assertTrue(t[1][d][k]);
            }
        }
        MaxBoxAccV2.Result r = metric.evaluate(List.of(m, m), gt);
        assertArrayEquals(new double[] {1, 1, 0.5}, r.accuracyPerIou(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0}, r.thresholdPerIou(), 1e-15, "the first best threshold");
        assertEquals((1 + 1 + 0.5) / 3, r.accuracy(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 1}, r.values(), 1e-15);
        assertEquals(r.accuracy(), Arrays.stream(r.values()).average().orElseThrow(), 1e-15, "values average to it");
        assertThrows(IllegalArgumentException.class, () -> metric.hitTable(List.of(m), List.of(List.of())));
    }

    @Test
    void allContoursCountWhereTheFirstVersionTakesTheLargest() {
        // two blobs of equal value: A 3×3 at x, y 0…2 (9 px), B 2×2 at x, y 6…7 (4 px); the object is B
        float[] v = new float[100];
        fill(v, 10, 0, 0, 2, 2, 1f);
        fill(v, 10, 6, 6, 7, 7, 1f);
        SaliencyMap m = map(10, 10, v);
        List<List<Box>> gt = List.of(List.of(new Box(6, 6, 8, 8)));
        assertEquals(0, new MaxBoxAcc().evaluate(List.of(m), gt).accuracy(), "MaxBoxAcc boxes A only");
        assertEquals(1, new MaxBoxAccV2().evaluate(List.of(m), gt).accuracy(), "B's box (6, 6, 8, 8): IoU 1");
    }

    @Test
    void theSetMetricRecordsAndReducesAsTheMetricDoes() {
        SaliencyMap m = twoBlobs();
        List<List<Box>> gt = List.of(List.of(new Box(6, 5, 9, 7)), List.of(new Box(1, 1, 4, 3)), List.of());
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            images.add(RgbImage.ofChw(new float[300], 3, 10, 10));
        }
        SetMetric v2 = (SetMetric) Metrics.get("max_box_acc_v2");
        Scorer layout = Scorer.layout(new MaxBoxAcc());
        MetricBatch batch = new MetricBatch(layout, images.subList(0, 2), List.of(m, m), new int[] {0, 0},
                gt.subList(0, 2));
        String[] records = v2.records(batch);
        assertEquals(300, records[0].length(), "100 thresholds × IoU 30, 50, 70 %");
        assertEquals("1".repeat(50) + "0".repeat(50) + "1".repeat(50) + "0".repeat(50) + "0".repeat(100), records[0]);
        assertNull(v2.recordProblem(records[0], layout));
        assertTrue(v2.recordProblem("01", layout).contains("300 characters"));
        SetMetric.Reduction red = v2.reduce(Arrays.asList(records[0], records[1], null));
        assertArrayEquals(new double[] {2.0 / 3, 1, Double.NaN}, red.values(), 1e-15);
        assertEquals(0, red.setting(), "the threshold chosen for IoU 0.5");
        assertArrayEquals(new double[] {2.0 / 3, 1}, v2.score(batch), 1e-15, "score is the reduction of the batch");
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> v2.reduce(List.of(records[0], "000")));
        assertTrue(mixed.getMessage().contains("mix"), mixed.getMessage());
        assertFalse(v2.binary(), "a mean of three hits");
        assertTrue(v2.comparedToCenter(), "a localisation metric, compared with center");
    }
}
