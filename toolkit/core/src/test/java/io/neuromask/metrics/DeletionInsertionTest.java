package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** On the planted-evidence model: oracle < random < inverted oracle for deletion, the reverse for insertion. */
class DeletionInsertionTest {

    @Test
    void ranksOracleRandomAndInvertedOracle() {
        int size = 32;
        int top = 6;
        int left = 18;
        int patch = 8;
        try (BlockClassifier model = PlantedEvidence.model(size, top, left, patch, 10, null)) {
            float[] oracle = new float[size * size];
            float[] inverted = new float[size * size];
            float[] random = new float[size * size];
            SplittableRandom r = new SplittableRandom(11);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean in = y >= top && y < top + patch && x >= left && x < left + patch;
                    // inside: higher towards the patch centre; outside: decreasing with distance
                    double d = Math.hypot(y - (top + patch / 2.0), x - (left + patch / 2.0));
                    oracle[y * size + x] = (float) ((in ? 10 : 0) - d / 100);
                    inverted[y * size + x] = -oracle[y * size + x];
                    random[y * size + x] = (float) r.nextDouble();
                }
            }
            List<RgbImage> images = new ArrayList<>();
            List<SaliencyMap> maps = new ArrayList<>();
            for (float[] m : List.of(oracle, random, inverted)) {
                images.add(PlantedEvidence.image(size, top, left, patch, 3));
                maps.add(SaliencyMap.of(m, size, size));
            }
            DeletionInsertion metric = new DeletionInsertion(model, 0.02, 32);
            long t0 = System.nanoTime();
            DeletionInsertion.Scores s = metric.evaluate(images, maps, new int[] {0, 0, 0});
            System.out.printf("deletion %s insertion %s (%.0f ms)%n", java.util.Arrays.toString(s.deletion()),
                    java.util.Arrays.toString(s.insertion()), (System.nanoTime() - t0) / 1e6);
            int step = metric.step(size * size);
            assertEquals(20, step);
            assertEquals((size * size + step - 1) / step + 1, s.deletionCurves().get(0).length);
            assertTrue(s.deletion()[0] < s.deletion()[1], "oracle below random");
            assertTrue(s.deletion()[1] < s.deletion()[2], "random below inverted oracle");
            assertTrue(s.insertion()[0] > s.insertion()[1], "oracle above random");
            assertTrue(s.insertion()[1] > s.insertion()[2], "random above inverted oracle");
            // curve ends: deletion starts at the image's score and ends on a black image
            assertTrue(s.deletionCurves().get(0)[0] > 0.99);
            double[] end = s.deletionCurves().get(0);
            assertTrue(end[end.length - 1] < 0.01, "a black image shows no evidence");
            double[] ins = s.insertionCurves().get(0);
            assertEquals(end[0], ins[ins.length - 1], 1e-6, "insertion ends on the original image");
            assertThrows(IllegalArgumentException.class, () -> new DeletionInsertion(model, 0, 8));
            assertThrows(IllegalArgumentException.class, () -> new DeletionInsertion(model, Double.NaN, 8));
            assertThrows(IllegalArgumentException.class,
                    () -> metric.evaluate(images, maps.subList(0, 2), new int[] {0, 0, 0}));
        }
    }
}
