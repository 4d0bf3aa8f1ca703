package io.neuromask.engine;

/**
 * Per-image early stopping. Every {@code patience} iterations the mask is compared with the mask
 * {@code patience} iterations earlier; an image stops once its masked image is still classified as
 * the target and its mask has moved by less than {@code epsilon} over that window, measured as the
 * mean absolute change per pixel. (A window, not a single step: RMSProp's sign-like steps make
 * settled weights oscillate around their optimum, and the oscillation cancels over a window.) Finished images leave the batch, so the batch shrinks and
 * later iterations cost less. {@link Explanation#stopReason()} and {@link Explanation#iterations()}
 * record why and when each image stopped.
 *
 * @param epsilon mean absolute mask change over the window below which an image counts as settled, &gt; 0
 * @param patience the window, in iterations, ≥ 1
 */
public record EarlyStopping(double epsilon, int patience) {

    /** Early stopping off: every image runs all its iterations. */
    public static final EarlyStopping NEVER = new EarlyStopping(Double.MIN_VALUE, Integer.MAX_VALUE);

    public EarlyStopping {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("early-stopping epsilon must be a finite number > 0, got " + epsilon);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("early-stopping patience must be at least 1, got " + patience);
        }
    }

    /** Stops once the mask moved by less than {@code epsilon} (mean |Δm|) over {@code patience} iterations. */
    public static EarlyStopping of(double epsilon, int patience) {
        return new EarlyStopping(epsilon, patience);
    }

    /** Whether this ever stops early. */
    public boolean enabled() {
        return patience != Integer.MAX_VALUE;
    }
}
