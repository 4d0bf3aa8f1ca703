package io.neuromask.data;

import io.neuromask.RgbImage;
import java.io.IOException;

/** A sequence of images with one class label each, for accuracy evaluation. */
public interface LabeledImages {

    /** The number of images. */
    int size();

    /** The class index of image {@code i}. */
    int label(int i);

    /** Image {@code i} at its own size, pixels in [0, 1]. */
    RgbImage image(int i) throws IOException;
}
