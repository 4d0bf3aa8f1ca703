package io.neuromask.metrics;

import io.neuromask.data.Box;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Inputs;
import java.util.List;

/**
 * The pointing game (Zhang et al. 2016), TorchRay protocol: a hit when the map's maximum
 * ({@link SaliencyMap#argmax()}: among equal maxima the one with the largest tie-break score when the map has a
 * tie-break, then the first in row-major order) lies within {@code tolerance} pixels of a ground-truth box, measured
 * between pixel centres ({@link Box#pixelDistance}). Default tolerance 15 px.
 */
public final class PointingGame {

    /** TorchRay's default tolerance in pixels. */
    public static final double DEFAULT_TOLERANCE = 15;

    private final double tolerance;

    public PointingGame() {
        this(DEFAULT_TOLERANCE);
    }

    /** @param tolerance in pixels, at least 0 */
    public PointingGame(double tolerance) {
        this.tolerance = Inputs.nonNegative("pointing-game tolerance", tolerance, "TorchRay uses 15 px");
    }

    public double tolerance() {
        return tolerance;
    }

    /**
     * Whether the map's maximum hits a box.
     *
     * @throws IllegalArgumentException when there are no boxes (the image has no localisation truth)
     */
    public boolean hit(SaliencyMap map, List<Box> boxes) {
        if (boxes == null || boxes.isEmpty()) {
            throw new IllegalArgumentException("the pointing game needs at least one ground-truth box per image");
        }
        int arg = map.argmax();
        int y = arg / map.width();
        int x = arg % map.width();
        for (Box b : boxes) {
            if (b.pixelDistance(x, y) <= tolerance) {
                return true;
            }
        }
        return false;
    }
}
