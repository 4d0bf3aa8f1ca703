package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.neuromask.engine.Explanation;
import java.util.List;

/**
 * How far two runs' masks lie apart against how far the masks moved at all: a rewrite of a model (folded batch
 * norms, another memory layout) should leave {@link #difference} tiny while {@link #moved} shows the masks were
 * learned, not left at their start.
 *
 * @param difference the largest |a − b| over every pixel of every image
 * @param moved the largest |b − start| (how far run b moved from the first iteration)
 */
record MaskDrift(double difference, double moved) {

    /** Compares runs {@code a} and {@code b} of the same images, and {@code b} with its one-iteration start. */
    static MaskDrift of(List<Explanation> a, List<Explanation> b, List<Explanation> start) {
        double worst = 0;
        double moved = 0;
        for (int i = 0; i < b.size(); i++) {
            assertEquals(b.get(i).target(), a.get(i).target());
            float[] ma = a.get(i).mask();
            float[] mb = b.get(i).mask();
            float[] m0 = start.get(i).mask();
            for (int j = 0; j < ma.length; j++) {
                worst = Math.max(worst, Math.abs(ma[j] - mb[j]));
                moved = Math.max(moved, Math.abs(mb[j] - m0[j]));
            }
        }
        return new MaskDrift(worst, moved);
    }
}
