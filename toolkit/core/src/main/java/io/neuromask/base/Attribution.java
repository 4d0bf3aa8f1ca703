package io.neuromask.base;

import java.util.List;

/**
 * An explanation method with one uniform contract (Captum's): images and targets in, one H×W
 * saliency map per image out, higher meaning more important for the target class.
 *
 * <p>Images must have the model's input size; {@link Target#predicted()} means the class the model
 * predicts on the unmasked image. Implementations compute in batches, are immutable, and are safe to
 * share between threads.
 */
public interface Attribution {

    /** A short name used by the CLI and in reports, e.g. {@code gradient}. */
    String name();

    /**
     * Computes saliency maps.
     *
     * @return {@code maps.get(i)} explains {@code images.get(i)} for {@code targets.get(i)}
     * @throws IllegalArgumentException on mismatched list sizes, a wrong image size or an unknown target
     */
    List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets);

    /** Explains one image. */
    default SaliencyMap attribute(RgbImage image, Target target) {
        return attribute(List.of(image), List.of(target)).get(0);
    }
}
