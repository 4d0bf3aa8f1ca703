package io.neuromask.internal;

import ai.djl.ndarray.NDArray;

/** Reductions per image of a batch (the first axis). */
public final class PerImage {

    private PerImage() {}

    /** The mean over every axis but the first: N×... to (N). */
    public static NDArray mean(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).mean(new int[] {1});
    }
}
