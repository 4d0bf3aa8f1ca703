package io.neuromask.internal;

import ai.djl.ndarray.NDArray;

/**
 * Picks rows (first-axis entries) of a tensor by index. An ascending run of consecutive indices, which is how the
 * engine splits a batch into passes, gives a view that shares the tensor's memory; any other list a copy.
 */
public final class Rows {

    private Rows() {}

    /**
     * The rows {@code indices} (int64, one dimension) of {@code a}.
     *
     * @return a view of {@code a} for consecutive ascending indices, else a new tensor
     */
    public static NDArray of(NDArray a, NDArray indices) {
        long[] i = indices.toLongArray();
        return consecutive(i) ? a.get(i[0] + ":" + (i[i.length - 1] + 1)) : a.get(indices);
    }

    /** Whether {@code i} is {@code i[0], i[0] + 1, …} (and not empty). */
    static boolean consecutive(long[] i) {
        if (i.length == 0) {
            return false;
        }
        for (int j = 1; j < i.length; j++) {
            if (i[j] != i[0] + j) {
                return false;
            }
        }
        return true;
    }
}
