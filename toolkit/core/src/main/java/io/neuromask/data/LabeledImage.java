package io.neuromask.data;

import io.neuromask.base.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation image with its ground truth.
 *
 * @param id a file name or index, for reports
 * @param image the pixels
 * @param label the true class index, or -1 when unknown
 * @param boxes ground-truth object boxes in this image's pixels (empty when there are none)
 */
public record LabeledImage(String id, RgbImage image, int label, List<Box> boxes) {

    public LabeledImage {
        boxes = List.copyOf(boxes);
    }

    /** This image resized (bilinear) to {@code width}×{@code height}, the boxes scaled with it. */
    public LabeledImage resized(int width, int height) {
        if (image.width() == width && image.height() == height) {
            return this;
        }
        double sx = (double) width / image.width();
        double sy = (double) height / image.height();
        List<Box> scaled = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            scaled.add(b.scale(sx, sy));
        }
        return new LabeledImage(id, image.resize(width, height), label, scaled);
    }
}
