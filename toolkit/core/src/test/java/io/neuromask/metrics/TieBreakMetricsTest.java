package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.data.Box;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics that rank pixels follow the map's tie-break; those that threshold or sum values do not. */
class TieBreakMetricsTest {

    static final int SIZE = 32;
    static final int TOP = 6;
    static final int LEFT = 18;
    static final int PATCH = 8;

    /** A tie-break that scores the evidence patch highest. */
    static float[] patchFirst() {
        float[] s = new float[SIZE * SIZE];
        for (int y = TOP; y < TOP + PATCH; y++) {
            for (int x = LEFT; x < LEFT + PATCH; x++) {
                s[y * SIZE + x] = 1;
            }
        }
        return s;
    }

    @Test
    void deletionOrderIsTheRankingWithItsTieBreak() {
        float[] v = new float[SIZE * SIZE];
        java.util.Arrays.fill(v, 1f);
        SaliencyMap saturated = SaliencyMap.of(v, SIZE, SIZE).withTieBreak(patchFirst());
        int[] order = DeletionInsertion.order(saturated);
        assertArrayEquals(saturated.ranking(), order);
        // the 64 patch pixels come first, in row-major order among themselves
        assertEquals(TOP * SIZE + LEFT, order[0]);
        assertEquals((TOP + PATCH - 1) * SIZE + LEFT + PATCH - 1, order[PATCH * PATCH - 1]);
        assertEquals(0, order[PATCH * PATCH], "then the rest from the top-left corner");
    }

    /**
     * A map saturated at 1.0 everywhere ranks its pixels row-major: the top rows go first and the evidence patch
     * (rows 6-13) late, so deletion keeps the class for a long time. With a tie-break that scores the patch highest,
     * deletion removes the evidence first: a much lower deletion AUC and a higher insertion AUC, on the same values.
     */
    @Test
    void deletionAndInsertionAucChangeWithTheTieBreakOfASaturatedMap() {
        try (BlockClassifier model = PlantedEvidence.model(SIZE, TOP, LEFT, PATCH, 10, null)) {
            float[] v = new float[SIZE * SIZE];
            java.util.Arrays.fill(v, 1f);
            SaliencyMap raster = SaliencyMap.of(v, SIZE, SIZE);
            SaliencyMap broken = raster.withTieBreak(patchFirst());
            RgbImage image = PlantedEvidence.image(SIZE, TOP, LEFT, PATCH, 3);
            DeletionInsertion metric = new DeletionInsertion(model, 0.02, 64);
            DeletionInsertion.Scores s = metric.evaluate(List.of(image, image), List.of(raster, broken), new int[] {0, 0});
            System.out.printf("deletion raster %.4f, tie-break %.4f; insertion raster %.4f, tie-break %.4f%n",
                    s.deletion()[0], s.deletion()[1], s.insertion()[0], s.insertion()[1]);
            assertTrue(s.deletion()[1] < s.deletion()[0] - 0.2, "patch first deletes the evidence early: "
                    + s.deletion()[1] + " vs " + s.deletion()[0]);
            // the blurred start already shows most of the bright patch, so insertion moves less, but it moves
            assertTrue(s.insertion()[1] > s.insertion()[0], "patch first restores the evidence early: "
                    + s.insertion()[1] + " vs " + s.insertion()[0]);
            // the curves start from the same image: only the order differs
            assertEquals(s.deletionCurves().get(0)[0], s.deletionCurves().get(1)[0], 0);

            // distinct values: the tie-break has nothing to break and the scores are identical
            float[] graded = new float[SIZE * SIZE];
            for (int i = 0; i < graded.length; i++) {
                graded[i] = i;
            }
            float[] contrary = new float[graded.length];
            for (int i = 0; i < contrary.length; i++) {
                contrary[i] = -i;
            }
            SaliencyMap plain = SaliencyMap.of(graded, SIZE, SIZE);
            DeletionInsertion.Scores d = metric.evaluate(List.of(image, image),
                    List.of(plain, plain.withTieBreak(contrary)), new int[] {0, 0});
            assertEquals(d.deletion()[0], d.deletion()[1], 0);
            assertEquals(d.insertion()[0], d.insertion()[1], 0);
        }
    }

    /**
     * A saturated plateau over the top-left corner and the box: without a tie-break the pointing game takes the
     * plateau's first pixel in row-major order (the corner, far from the box, a miss); with a tie-break that points
     * into the box it is a hit. MaxBoxAcc and the energy pointing game read values only and do not change.
     */
    @Test
    void pointingGameFollowsTheTieBreakValueMetricsDoNot() {
        int h = 64;
        int w = 64;
        List<Box> box = List.of(new Box(40, 40, 50, 50)); // pixels 40..49
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean corner = y < 10 && x < 10;
                boolean inBox = y >= 40 && y < 50 && x >= 40 && x < 50;
                v[y * w + x] = corner || inBox ? 1f : 0.2f;
            }
        }
        float[] s = new float[h * w];
        s[45 * w + 44] = 1; // one pixel inside the box
        SaliencyMap raster = SaliencyMap.of(v, h, w);
        SaliencyMap broken = raster.withTieBreak(s);
        PointingGame game = new PointingGame();
        assertEquals(0, raster.argmax());
        assertFalse(game.hit(raster, box), "the corner is 40 px away from the box");
        assertEquals(45 * w + 44, broken.argmax());
        assertTrue(game.hit(broken, box));
        // a tie-break pointing at another plateau pixel outside the box: a miss again
        float[] away = new float[h * w];
        away[5 * w + 5] = 1;
        assertFalse(game.hit(raster.withTieBreak(away), box));

        assertEquals(EnergyPointingGame.score(raster, box), EnergyPointingGame.score(broken, box), 0);
        MaxBoxAcc acc = new MaxBoxAcc();
        boolean[][] a = acc.hitTable(List.of(raster), List.of(box));
        boolean[][] b = acc.hitTable(List.of(broken), List.of(box));
        assertArrayEquals(a[0], b[0]);
        assertEquals(Gini.index(raster), Gini.index(broken), 0);
    }
}
