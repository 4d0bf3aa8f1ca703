package io.neuromask.cli;

import io.neuromask.Preset;
import io.neuromask.base.Classifier;

/** Picks the paper preset that fits a model's input size. */
final class Presets {
    private Presets() {}

    /** {@link Preset#PAPER_CIFAR10} for inputs up to 64 pixels, else {@link Preset#PAPER_IMAGENET}. */
    static Preset forModel(Classifier model) {
        return Preset.paperFor(model);
    }
}
