package io.neuromask.internal;

import ai.djl.ndarray.NDArray;

/** One batch's optimiser state, a row per image; every tensor lives in the batch's manager. */
public interface OptimizerState {

    /** Applies one step to {@code parameters} in place, given their gradient. */
    void step(NDArray parameters, NDArray gradient);

    /** The same optimiser restricted to some rows, with their state: {@code rows} is int64. */
    OptimizerState select(NDArray rows);
}
