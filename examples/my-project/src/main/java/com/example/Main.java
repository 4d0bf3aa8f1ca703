package com.example;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import io.neuromask.Preset;
import io.neuromask.base.Classifier;
import io.neuromask.base.Target;
import io.neuromask.data.Cifar10;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.model.Models;
import io.neuromask.store.ModelStore;
import java.util.Locale;

/** Explains CIFAR-10 test image 17 (a horse) with cifar10-resnet20 and NeuroMask's fast preset. */
public final class Main {

    public static void main(String[] args) throws java.io.IOException {
        // models and data come from the cache (~/.neuromask/cache), NEUROMASK_MIRROR, or their public sources
        LabeledImage horse = Datasets.open("cifar10-test", ModelStore.fromEnvironment()).get(17);
        try (Classifier model = Models.load("cifar10-resnet20", null)) {
            Explanation e = NeuroMask.builder().model(model).preset(Preset.FAST_CIFAR10).build()
                    .explain(horse.image(), Target.predicted());
            System.out.printf(Locale.ROOT, "true class %s, explained class %s (p = %.3f)%n",
                    Cifar10.CLASSES.get(horse.label()), e.targetLabel(), e.probabilityOriginal());
            System.out.printf(Locale.ROOT, "mask area %.3f, class kept under the mask: %s%n",
                    e.maskMean(), e.classPreserved());
        }
    }
}
