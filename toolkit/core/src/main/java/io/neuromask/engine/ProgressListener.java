package io.neuromask.engine;

/** Receives a {@link Progress} after every iteration; called on the optimising thread, so keep it fast. */
@FunctionalInterface
public interface ProgressListener {

    void onProgress(Progress progress);

    /** A listener that does nothing. */
    static ProgressListener none() {
        return p -> {};
    }
}
