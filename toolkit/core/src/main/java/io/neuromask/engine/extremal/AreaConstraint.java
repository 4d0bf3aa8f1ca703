package io.neuromask.engine.extremal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.neuromask.internal.Rows;

/**
 * Extremal perturbation's area constraint, per mask row: {@code mean((sort(M) − r)²)} over the full mask's
 * {@code n} pixels, where the reference {@code r} is the sorted ideal mask of the row's area: {@code n − q} zeros,
 * then {@code q} ones (TorchRay's {@code Perturbation} regulariser).
 *
 * <p>Sorting every mask costs as much as a sixth of the model's forward and backward pass (SqueezeNet at 224²), so
 * the same value and gradient come from the ideal mask laid over the mask's own ranking instead: with {@code t} the
 * {@code q}-th largest value of {@code M}, the pixels at or above {@code t} take the ones, and
 * {@code mean((M − 1[M ≥ t])²)} sums the same squares as the sorted form, with the same gradient
 * {@code 2(M − 1[M ≥ t])/n}. Finding {@code t} needs only the {@code q} largest values (a partial sort). Where
 * {@code t} is tied (more than {@code q} pixels reach it, as in the symmetric masks of the first iteration, or
 * where parameters clamped at 1 make equal values), the sorted form hands the ones to some of the tied pixels, in an
 * order of its sort algorithm's own; the constraint then sorts too and lays the ideal mask over that ranking, the
 * same as the sorted form's to the last bit.
 */
final class AreaConstraint {

    private final NDArray reference; // rows × n: the sorted ideal masks
    private final NDArray thresholdIndex; // rows × 1, int64: q − 1, where the q-th largest value sits
    private final int[] ones; // q per row

    private AreaConstraint(NDArray reference, NDArray thresholdIndex, int[] ones) {
        this.reference = reference;
        this.thresholdIndex = thresholdIndex;
        this.ones = ones;
    }

    /**
     * The constraint for masks of {@code fullArea} pixels, row {@code r} wanting {@code ones[r]} of them at 1.
     *
     * @param ones per row, in [0, fullArea]
     */
    static AreaConstraint of(NDManager manager, int fullArea, int[] ones) {
        int rows = ones.length;
        float[] ref = new float[rows * fullArea];
        long[] last = new long[rows];
        for (int r = 0; r < rows; r++) {
            if (ones[r] < 0 || ones[r] > fullArea) {
                throw new IllegalArgumentException("row " + r + " wants " + ones[r] + " of " + fullArea + " pixels");
            }
            java.util.Arrays.fill(ref, r * fullArea + fullArea - ones[r], (r + 1) * fullArea, 1f);
            last[r] = Math.max(0, ones[r] - 1);
        }
        return new AreaConstraint(manager.create(ref, new Shape(rows, fullArea)),
                manager.create(last, new Shape(rows, 1)), ones.clone());
    }

    /** The penalty of each row, (rows), differentiable in {@code masks} (rows × n). */
    NDArray penalty(NDArray masks) {
        NDArray ideal = ideal(masks.stopGradient());
        if (ideal == null) {
            // the ideal mask laid over the ranking of a full sort: pixel i takes reference[rank(i)]
            NDArray rank = masks.stopGradient().argSort(1).argSort(1);
            ideal = reference.gather(rank, 1);
        }
        return masks.sub(ideal).square().mean(new int[] {1});
    }

    /** The ideal masks laid over the masks' ranking, or null where a row's threshold is tied (or it wants no ones). */
    private NDArray ideal(NDArray masks) {
        int most = 0;
        for (int q : ones) {
            if (q == 0) {
                return null;
            }
            most = Math.max(most, q);
        }
        NDArray largest = masks.topK(most, 1, true, true).get(0); // rows × most, descending
        NDArray threshold = largest.gather(thresholdIndex, 1);     // rows × 1: the q-th largest
        NDArray atOrAbove = masks.gte(threshold);
        float[] counted = atOrAbove.toType(DataType.FLOAT32, false).sum(new int[] {1}).toFloatArray();
        for (int r = 0; r < ones.length; r++) {
            if (counted[r] != ones[r]) { // the threshold is tied: more than q pixels reach it
                return null;
            }
        }
        return atOrAbove.toType(DataType.FLOAT32, false);
    }

    /** The rows {@code rows} (int64). */
    AreaConstraint select(NDArray rows) {
        long[] r = rows.toLongArray();
        int[] kept = new int[r.length];
        for (int j = 0; j < r.length; j++) {
            kept[j] = ones[(int) r[j]];
        }
        return new AreaConstraint(Rows.of(reference, rows), Rows.of(thresholdIndex, rows), kept);
    }
}
