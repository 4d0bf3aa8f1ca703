package io.neuromask.engine;

import java.time.Duration;

/**
 * A progress report, sent after every iteration.
 *
 * @param iteration iterations finished in the current batch (1-based)
 * @param iterations iterations the current batch runs
 * @param imagesDone images finished in earlier batches of this call
 * @param batchSize images in the current batch
 * @param images images in this call
 * @param activeImages images of the current batch still being optimised (fewer than {@code batchSize}
 *     once {@link EarlyStopping} has let some go)
 * @param meanLoss mean total loss over the batch at the last logged iteration, NaN before the first
 * @param elapsed time since the call started
 */
public record Progress(
        int iteration, int iterations, int imagesDone, int batchSize, int images, int activeImages, double meanLoss,
        Duration elapsed) {

    /** The finished fraction of the whole call, in [0, 1], counting images × iterations. */
    public double fraction() {
        if (images == 0) {
            return 1;
        }
        return (imagesDone + batchSize * ((double) iteration / iterations)) / images;
    }
}
