package io.neuromask.engine;

/** Why the optimisation of one image ended. */
public enum StopReason {
    /** All requested iterations ran. */
    COMPLETED,
    /** {@link EarlyStopping}: the target was kept and the mask had stopped changing. */
    EARLY_STOPPED
}
