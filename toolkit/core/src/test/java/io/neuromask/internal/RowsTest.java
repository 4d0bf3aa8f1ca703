package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Rows by index: a run of consecutive indices is a view of the tensor, any other list a copy. */
class RowsTest {

    @Test
    void consecutiveRowsShareMemoryOthersAreCopied() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.arange(12f).reshape(4, 3);
            NDArray view = Rows.of(a, m.create(new long[] {1, 2}));
            NDArray copy = Rows.of(a, m.create(new long[] {2, 0}));
            assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, view.toFloatArray());
            assertArrayEquals(new float[] {6, 7, 8, 0, 1, 2}, copy.toFloatArray());
            a.set(new NDIndex("1:3"), m.zeros(new Shape(2, 3)));
            assertArrayEquals(new float[6], view.toFloatArray(), "the view sees the tensor's new rows");
            assertArrayEquals(new float[] {6, 7, 8, 0, 1, 2}, copy.toFloatArray(), "the copy keeps the old ones");
        }
    }

    @Test
    void consecutiveMeansAscendingByOne() {
        assertTrue(Rows.consecutive(new long[] {4}));
        assertTrue(Rows.consecutive(new long[] {2, 3, 4}));
        assertFalse(Rows.consecutive(new long[] {2, 4}));
        assertFalse(Rows.consecutive(new long[] {3, 2}));
        assertFalse(Rows.consecutive(new long[0]));
    }
}
