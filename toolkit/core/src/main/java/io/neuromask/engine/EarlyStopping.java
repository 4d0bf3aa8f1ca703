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

    /**
     * Parses {@code EPSILON/PATIENCE} (e.g. {@code 0.002/20}), the text form of the CLI's {@code --early-stop} and of
     * the mask methods' {@code early_stop} setting; {@code off} is {@link #NEVER}.
     *
     * @throws IllegalArgumentException naming the expected form, or the value out of range
     */
    public static EarlyStopping parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("off")) {
            return NEVER;
        }
        String[] parts = t.split("/", -1);
        if (parts.length == 2) {
            double epsilon;
            int patience;
            try {
                epsilon = Double.parseDouble(parts[0].trim());
                patience = Integer.parseInt(parts[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("early stopping takes EPSILON/PATIENCE, a number and a whole "
                        + "number of iterations (e.g. 0.002/20), or off; got '" + text + "'");
            }
            return new EarlyStopping(epsilon, patience);
        }
        throw new IllegalArgumentException("early stopping takes EPSILON/PATIENCE, the mean mask change and the "
                + "window in iterations (e.g. 0.002/20), or off; got '" + text + "'");
    }

    /** The text {@link #parse} reads back: {@code EPSILON/PATIENCE}, or {@code off}. */
    @Override
    public String toString() {
        return enabled() ? epsilon + "/" + patience : "off";
    }

    /** Whether this ever stops early. */
    public boolean enabled() {
        return patience != Integer.MAX_VALUE;
    }
}
