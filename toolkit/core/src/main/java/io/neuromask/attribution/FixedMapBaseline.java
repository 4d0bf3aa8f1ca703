package io.neuromask.attribution;

import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.internal.Inputs;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A baseline that looks at nothing: one map, made once for the model's input size, given to every image and target.
 * Subclasses say which map ({@link CenterBaseline}, {@link CenterGaussianBaseline}) and their name.
 */
abstract class FixedMapBaseline implements Attribution {

    private final Classifier model;
    private final SaliencyMap map;

    /**
     * @param model the classifier whose inputs the map covers (its {@link Classifier#inputHeight()} and
     *     {@link Classifier#inputWidth()})
     * @param map the map for that model's input size
     */
    FixedMapBaseline(Classifier model, Function<Classifier, SaliencyMap> map) {
        this.model = Objects.requireNonNull(model, "model");
        this.map = map.apply(model);
    }

    /** The same map for every image, after checking the images and targets against the model. */
    @Override
    public final List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
        Inputs.validate(model, images, targets, "targets", name());
        return Collections.nCopies(images.size(), map);
    }
}
