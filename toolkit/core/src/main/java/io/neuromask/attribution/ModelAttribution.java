package io.neuromask.attribution;

import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.internal.Inputs;
import java.util.List;
import java.util.Objects;

/**
 * The shared base of the methods that query one {@link Classifier} in batches ({@link GradientAttribution},
 * {@link PerturbationAttribution}): {@link #attribute} checks the inputs, resolves the targets, then hands
 * over to {@link #compute}.
 *
 * <p>Interrupting the calling thread stops {@link #attribute} before its next model batch with a
 * {@link java.util.concurrent.CancellationException} (the interrupt flag stays set), as it stops
 * {@link io.neuromask.NeuroMask#explain} between two iterations.
 */
public abstract class ModelAttribution implements Attribution {

    /** Default number of model inputs per forward (and backward) pass. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    protected final Classifier model;
    private final int batchSize;

    protected ModelAttribution(Classifier model, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.batchSize = Inputs.positive("batchSize", batchSize, "it is the number of inputs per forward pass");
    }

    /** The explained model. */
    public Classifier model() {
        return model;
    }

    /** Model inputs per forward (and backward) pass. */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public final List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
        Inputs.validate(model, images, targets, "targets", name());
        int[] classes = Inputs.resolveTargets(model, images, targets, batchSize);
        return compute(images, classes);
    }

    /**
     * Computes the maps once inputs are checked.
     *
     * @param classes the resolved target class of each image
     */
    protected abstract List<SaliencyMap> compute(List<RgbImage> images, int[] classes);
}
