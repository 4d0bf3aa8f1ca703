package io.neuromask;

import io.neuromask.engine.MaskEngine;

/**
 * The front door: {@code NeuroMask.builder()} is the mask engine ({@link MaskEngine}) starting from NeuroMask's
 * paper preset for CIFAR-10 ({@link Preset#PAPER_CIFAR10}, Alzantot et al. 2019).
 *
 * <pre>{@code
 * Explanation e = NeuroMask.builder().model(model).preset(Preset.PAPER_CIFAR10).seed(42).build()
 *         .explain(image, Target.predicted());
 * }</pre>
 *
 * Any other objective goes through the same builder: {@code .objective(ExtremalPerturbation.imagenet())} or
 * {@code .preset(Preset.MEANINGFUL_CIFAR10)}.
 */
public final class NeuroMask {

    private NeuroMask() {}

    /** A {@link MaskEngine.Builder} at {@link Preset#PAPER_CIFAR10}; {@code model(...)} is required. */
    public static MaskEngine.Builder builder() {
        return MaskEngine.builder().preset(Preset.PAPER_CIFAR10);
    }
}
