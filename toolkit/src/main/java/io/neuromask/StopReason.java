package io.neuromask;

/** Why the optimisation of one image ended. */
public enum StopReason {
    /** All requested iterations ran. */
    COMPLETED
}
