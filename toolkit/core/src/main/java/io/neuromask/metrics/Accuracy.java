package io.neuromask.metrics;

import io.neuromask.base.Classifier;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.base.RgbImage;
import io.neuromask.data.LabeledImages;
import java.io.IOException;

/**
 * Top-1 and top-5 accuracy of a classifier on labelled images. Each image is resized (bilinear, aspect
 * ratio not kept) to the model's input size, as {@link io.neuromask.io.ImageFiles#read(java.nio.file.Path,
 * Classifier)} does, and the model applies its own normalisation.
 */
public final class Accuracy {

    /**
     * @param images how many images were evaluated
     * @param top1 share whose label is the top logit
     * @param top5 share whose label is among the five top logits
     */
    public record Result(int images, double top1, double top5) {}

    private Accuracy() {}

    /**
     * Evaluates the first {@code limit} images in batches.
     *
     * @param limit at most this many images; 0 or negative for all
     * @param batch images per forward pass
     */
    public static Result evaluate(Classifier model, LabeledImages data, int limit, int batch) throws IOException {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        int n = limit > 0 ? Math.min(limit, data.size()) : data.size();
        int h = model.inputHeight();
        int w = model.inputWidth();
        int k = Math.min(5, model.numClasses());
        int hits1 = 0;
        int hits5 = 0;
        for (int start = 0; start < n; start += batch) {
            int count = Math.min(batch, n - start);
            float[] pixels = new float[count * 3 * h * w];
            for (int i = 0; i < count; i++) {
                RgbImage img = data.get(start + i).image();
                if (img.height() != h || img.width() != w) {
                    img = img.resize(w, h);
                }
                System.arraycopy(img.toChw(), 0, pixels, i * 3 * h * w, 3 * h * w);
            }
            try (NDManager m = NDManager.newBaseManager(model.device())) {
                NDArray logits = model.logits(m.create(pixels, new Shape(count, 3, h, w)));
                long[] order = logits.argSort(1, false).toLongArray();
                int classes = (int) logits.getShape().get(1);
                for (int i = 0; i < count; i++) {
                    int label = data.label(start + i);
                    for (int r = 0; r < k; r++) {
                        if (order[i * classes + r] == label) {
                            hits1 += r == 0 ? 1 : 0;
                            hits5++;
                        }
                    }
                }
            }
        }
        return new Result(n, n == 0 ? 0 : (double) hits1 / n, n == 0 ? 0 : (double) hits5 / n);
    }
}
