package io.neuromask.data;

import java.io.IOException;

/**
 * A data set of images with a class label each and, where known, ground-truth boxes: what
 * {@code neuromask evaluate} and {@code evaluate-accuracy} read. Implement it to plug in a reader.
 * Images are read lazily, one at a time.
 */
public interface LabeledImages {

    /** A short name for reports. */
    String name();

    /** The number of images. */
    int size();

    /**
     * Reads image {@code index} at its stored size, with its boxes in that image's pixels.
     *
     * @throws IOException naming the file when it cannot be read
     */
    LabeledImage get(int index) throws IOException;

    /** The class of image {@code index}; override when it is cheaper than reading the image. */
    default int label(int index) throws IOException {
        return get(index).label();
    }
}
