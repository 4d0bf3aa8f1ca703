package io.neuromask.metrics;

import io.neuromask.data.Box;
import io.neuromask.base.SaliencyMap;
import java.util.List;

/**
 * The energy-based pointing game (Wang et al. 2020, Score-CAM): the share of the map's mass that
 * falls inside the union of the ground-truth boxes. Negative values count as 0; a map with no positive
 * mass scores 0.
 *
 * <p>It sums values, not ranks: a map's tie-break ({@link SaliencyMap#withTieBreak}) is ignored.
 */
public final class EnergyPointingGame {

    private EnergyPointingGame() {}

    /** The share in [0, 1]. */
    public static double score(SaliencyMap map, List<Box> boxes) {
        if (boxes == null || boxes.isEmpty()) {
            throw new IllegalArgumentException("the energy pointing game needs at least one ground-truth box per image");
        }
        double inside = 0;
        double total = 0;
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double v = Math.max(0, map.get(y, x));
                total += v;
                for (Box b : boxes) {
                    if (b.containsPixel(x, y)) {
                        inside += v;
                        break;
                    }
                }
            }
        }
        return total > 0 ? inside / total : 0;
    }
}
