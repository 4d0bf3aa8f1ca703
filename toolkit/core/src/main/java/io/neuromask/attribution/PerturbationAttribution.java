package io.neuromask.attribution;

import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.internal.Inputs;
import io.neuromask.internal.Scoring;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * The shared base of the perturbation methods ({@link Occlusion}, {@link Rise}): input checking, target
 * resolution, and the target's softmax probability on perturbed copies run through the model in batches of
 * {@link #batchSize()}. No gradients. A new perturbation method implements {@link #compute} and extends
 * {@link Builder} for its settings.
 */
public abstract class PerturbationAttribution extends ModelAttribution {

    protected PerturbationAttribution(Builder<?> b) {
        super(b.model, b.batchSize);
    }


    /** The target probability of {@code rows} perturbed inputs, filled by {@code source}, in batches. */
    final float[] probabilities(int rows, Scoring.Rows source, IntUnaryOperator rowClass) {
        return Scoring.probabilities(model, rows, source, rowClass, batchSize());
    }

    /** Each image's pixels, CHW. */
    static float[][] pixels(List<RgbImage> images) {
        float[][] pixels = new float[images.size()][];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = images.get(i).toChw();
        }
        return pixels;
    }

    /** The settings every perturbation method has: the model and the batch size (default 64). */
    public abstract static class Builder<B extends Builder<B>> {
        final Classifier model;
        int batchSize = DEFAULT_BATCH_SIZE;

        protected Builder(Classifier model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Model inputs per forward pass (default 64). */
        public B batchSize(int batchSize) {
            this.batchSize = Inputs.positive("batchSize", batchSize, "it is the number of inputs per forward pass");
            return self();
        }

        protected abstract B self();
    }
}
