package io.neuromask.internal;

import java.util.concurrent.CancellationException;

/**
 * The one check the loops of the methods, the metrics and the evaluator make between two batches: an interrupted
 * thread stops with a {@link CancellationException}, as {@link io.neuromask.NeuroMask#explain} does between two
 * iterations. The interrupt flag is left set, so that the caller (an executor, a notebook cell) still sees it.
 */
public final class Interruption {

    private Interruption() {}

    /**
     * Throws when the current thread has been interrupted.
     *
     * @param what what stops, for the message (e.g. {@code "evaluation of rise after 4 of 10 images"})
     * @throws CancellationException naming {@code what} when the thread's interrupt flag is set (the flag stays set)
     */
    public static void check(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(what + " cancelled: the thread was interrupted");
        }
    }
}
