package io.neuromask.engine;

/**
 * A flag another thread sets to stop a running {@link MaskEngine#explain} between two iterations; the
 * call then throws {@link java.util.concurrent.CancellationException}. Interrupting the optimising
 * thread has the same effect.
 */
public final class Cancellation {

    private volatile boolean cancelled;

    /** Asks the optimisation to stop at the next iteration. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
