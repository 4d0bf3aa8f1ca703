package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Scoring;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ROAD on the planted-evidence model (class 0 is the brightness of a known patch): the orders remove the right
 * pixels, a map on the patch beats its inverse in both orders, each point of a curve is the model's probability on
 * the imputed image, and the scores do not depend on the batch.
 */
class RoadTest {

    private static final int SIZE = 32;
    private static final int TOP = 6;
    private static final int LEFT = 18;
    private static final int PATCH = 8;

    /** Higher inside the patch, and decreasing with the distance to its centre: no ties. */
    private static SaliencyMap oracle(boolean inverted) {
        float[] v = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean in = y >= TOP && y < TOP + PATCH && x >= LEFT && x < LEFT + PATCH;
                double d = Math.hypot(y - (TOP + PATCH / 2.0), x - (LEFT + PATCH / 2.0));
                float o = (float) ((in ? 10 : 0) - d / 100);
                v[y * SIZE + x] = inverted ? -o : o;
            }
        }
        return SaliencyMap.of(v, SIZE, SIZE);
    }

    @Test
    void mostRelevantFirstRemovesTheHighestValuesAndLeastRelevantFirstTheLowest() {
        SaliencyMap m = SaliencyMap.of(new float[] {0.1f, 0.9f, 0.5f, 0.7f}, 2, 2);
        int[] ranking = m.ranking(); // 1, 3, 2, 0
        assertArrayEquals(new boolean[] {false, true, false, true}, Road.removed(ranking, 2, true));
        assertArrayEquals(new boolean[] {true, false, true, false}, Road.removed(ranking, 2, false));
        assertArrayEquals(new boolean[] {false, true, true, true}, Road.removed(ranking, 3, true));
        assertArrayEquals(new boolean[] {true, false, true, true}, Road.removed(ranking, 3, false));
        assertArrayEquals(new boolean[4], Road.removed(ranking, 0, true));
        assertThrows(IllegalArgumentException.class, () -> Road.removed(ranking, 5, true));
    }

    @Test
    void theFractionsAreDeletions() {
        try (BlockClassifier model = PlantedEvidence.model(SIZE, TOP, LEFT, PATCH, 10, null)) {
            Road road = new Road(model, 0.05, 16, new NoisyLinearImputer(), 1);
            DeletionInsertion del = new DeletionInsertion(model, 0.05, 16);
            assertEquals(del.step(SIZE * SIZE), road.step(SIZE * SIZE));
            assertEquals(51, road.step(SIZE * SIZE));
            assertEquals(22, road.points(SIZE * SIZE), "⌈1024 / 51⌉ + 1");
            assertEquals(101, new Road(model).points(224 * 224), "1 % of 224²: 502 px, 101 points");
            assertThrows(IllegalArgumentException.class, () -> new Road(model, 0, 16, new NoisyLinearImputer(), 1));
            assertThrows(IllegalArgumentException.class, () -> new Road(model, 0.05, 0, new NoisyLinearImputer(), 1));
        }
    }

    @Test
    void aMapOnTheEvidenceBeatsItsInverseInBothOrders() {
        try (BlockClassifier model = PlantedEvidence.model(SIZE, TOP, LEFT, PATCH, 10, null)) {
            Road road = new Road(model, 0.05, 16, new NoisyLinearImputer(), Road.DEFAULT_SEED);
            RgbImage image = PlantedEvidence.image(SIZE, TOP, LEFT, PATCH, 3);
            List<RgbImage> images = List.of(image, image);
            List<SaliencyMap> maps = List.of(oracle(false), oracle(true));
            Road.Scores s = road.evaluate(images, maps, new int[] {0, 0});
            System.out.printf("MoRF %s LeRF %s%n", java.util.Arrays.toString(s.morf()),
                    java.util.Arrays.toString(s.lerf()));
            int points = road.points(SIZE * SIZE);
            for (List<double[]> curves : List.of(s.morfCurves(), s.lerfCurves())) {
                for (double[] c : curves) {
                    assertEquals(points, c.length);
                    assertEquals(s.morfCurves().get(0)[0], c[0], 1e-6, "every curve starts on the image itself");
                    assertEquals(DeletionInsertion.auc(c), curves == s.morfCurves()
                            ? s.morf()[curves.indexOf(c)] : s.lerf()[curves.indexOf(c)], 1e-12);
                }
            }
            assertTrue(s.morfCurves().get(0)[0] > 0.99, "the planted image is class 0");
            assertTrue(s.morf()[0] < s.morf()[1], "MoRF: removing the patch first drops the class sooner");
            assertTrue(s.lerf()[0] > s.lerf()[1], "LeRF: removing the background first keeps the class");
            assertTrue(s.morf()[0] < 0.5 && s.lerf()[0] > 0.5, s.morf()[0] + " " + s.lerf()[0]);
            // the last point removes every pixel: the same imputed image whichever the order or map
            double last = s.morfCurves().get(0)[points - 1];
            for (List<double[]> curves : List.of(s.morfCurves(), s.lerfCurves())) {
                for (double[] c : curves) {
                    assertEquals(last, c[points - 1], 1e-7, "all removed: one image");
                }
            }
        }
    }

    @Test
    void eachPointIsTheProbabilityOfTheImputedImage() {
        try (BlockClassifier model = PlantedEvidence.model(SIZE, TOP, LEFT, PATCH, 10, null)) {
            Road road = new Road(model, 0.1, 16, new NoisyLinearImputer(0.05), 77);
            RgbImage image = PlantedEvidence.image(SIZE, TOP, LEFT, PATCH, 5);
            SaliencyMap map = oracle(false);
            Road.Scores s = road.evaluate(List.of(image), List.of(map), new int[] {0});
            int step = road.step(SIZE * SIZE);
            for (boolean morf : new boolean[] {true, false}) {
                double[] curve = (morf ? s.morfCurves() : s.lerfCurves()).get(0);
                for (int k = 0; k < curve.length; k++) {
                    int count = Math.min(SIZE * SIZE, k * step);
                    float[] x = road.imputed(image, map, count, morf);
                    float p = Scoring.probabilities(model, 1, (row, dst, off) -> System.arraycopy(x, 0, dst, off,
                            x.length), row -> 0, 1)[0];
                    // the curve's imputation started from the previous point's: equal within the solver's tolerance
                    assertEquals(p, curve[k], 1e-4, (morf ? "MoRF" : "LeRF") + " point " + k);
                }
            }
            // the imputed image keeps the pixels not removed and fills the removed ones near their surroundings
            int count = 3 * step;
            float[] x = road.imputed(image, map, count, true);
            boolean[] removed = Road.removed(map.ranking(), count, true);
            float[] chw = image.toChw();
            int changed = 0;
            for (int p = 0; p < SIZE * SIZE; p++) {
                for (int c = 0; c < 3; c++) {
                    int i = c * SIZE * SIZE + p;
                    if (removed[p]) {
                        changed += x[i] != chw[i] ? 1 : 0;
                    } else {
                        assertEquals(chw[i], x[i]);
                    }
                }
            }
            assertEquals(3 * count, changed, "every removed pixel and channel is imputed");
            assertFalse(java.util.Arrays.equals(x, road.imputed(image, map, count, false)), "the orders differ");
        }
    }

    @Test
    void scoresDoNotDependOnTheBatchAndRepeat() {
        try (BlockClassifier model = PlantedEvidence.model(SIZE, TOP, LEFT, PATCH, 10, null)) {
            Road road = new Road(model, 0.1, 7, new NoisyLinearImputer(), Road.DEFAULT_SEED);
            List<RgbImage> images = new ArrayList<>();
            List<SaliencyMap> maps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                images.add(PlantedEvidence.image(SIZE, TOP, LEFT, PATCH, 10 + i));
                maps.add(oracle(i == 1));
            }
            Road.Scores all = road.evaluate(images, maps, new int[] {0, 0, 0});
            Road.Scores again = road.evaluate(images, maps, new int[] {0, 0, 0});
            assertArrayEquals(all.morf(), again.morf(), "reproducible");
            assertArrayEquals(all.lerf(), again.lerf(), "reproducible");
            Road.Scores alone = road.evaluate(images.subList(2, 3), maps.subList(2, 3), new int[] {0});
            assertEquals(all.morf()[2], alone.morf()[0], 1e-6, "the third image alone");
            assertEquals(all.lerf()[2], alone.lerf()[0], 1e-6, "the third image alone");
            Road other = new Road(model, 0.1, 7, new NoisyLinearImputer(), Road.DEFAULT_SEED + 1);
            assertFalse(java.util.Arrays.equals(all.morf(), other.evaluate(images, maps, new int[] {0, 0, 0}).morf()),
                    "another seed draws other noise");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> road.evaluate(images,
                    List.of(oracle(false).resize(16, 16), maps.get(1), maps.get(2)), new int[] {0, 0, 0}));
            assertTrue(e.getMessage().contains("resize"), e.getMessage());
        }
    }
}
