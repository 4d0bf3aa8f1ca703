package io.neuromask.data;

import java.io.IOException;

/**
 * A data set for {@code neuromask evaluate}: images with labels and, for localisation metrics, boxes.
 * Implement it to plug in a reader (CIFAR-10 binary, ImageNet val-sample, ...). Images are read
 * lazily, one at a time.
 */
public interface LabeledImages {

    /** A short name for reports. */
    String name();

    /** The number of images. */
    int size();

    /**
     * Reads image {@code index}, at its stored size (the evaluator resizes it and its boxes to the model).
     *
     * @throws IOException naming the file when it cannot be read
     */
    LabeledImage get(int index) throws IOException;
}
