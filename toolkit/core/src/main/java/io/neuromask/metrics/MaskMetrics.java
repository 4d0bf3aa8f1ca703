package io.neuromask.metrics;

import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Inputs;
import io.neuromask.internal.Scoring;
import io.neuromask.base.Classifier;
import java.util.List;

/**
 * Class preservation and mask area, computed the same way for every method: the map is min-max
 * normalised to [0, 1] and used as a soft mask {@code x ⊙ m}. For NeuroMask (whose map already is its
 * mask, with its own minimum) this is the paper's measure up to that normalisation.
 */
public final class MaskMetrics {

    private MaskMetrics() {}

    /** The mean of the normalised map: the fraction of the image the mask keeps. */
    public static double area(SaliencyMap map) {
        return map.normalized().mean();
    }

    /** Whether the model still predicts {@code classes[i]} on {@code image ⊙ normalised map}. */
    public static boolean[] classPreserved(Classifier model, List<RgbImage> images, List<SaliencyMap> maps,
            int[] classes, int batchSize) {
        Inputs.validate(model, images, maps, "maps", "class preservation");
        int plane = model.inputHeight() * model.inputWidth();
        float[][] masks = new float[maps.size()][];
        for (int i = 0; i < masks.length; i++) {
            if (maps.get(i).height() * maps.get(i).width() != plane) {
                throw new IllegalArgumentException("map " + i + " does not have the model's input size");
            }
            masks[i] = maps.get(i).normalized().values();
        }
        java.util.List<RgbImage> masked = new java.util.ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            float[] x = images.get(i).toChw();
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < plane; k++) {
                    x[c * plane + k] *= masks[i][k];
                }
            }
            masked.add(RgbImage.ofChw(x, 3, model.inputHeight(), model.inputWidth()));
        }
        int[] predicted = Scoring.predictions(model, masked, batchSize);
        boolean[] out = new boolean[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predicted[i] == classes[i];
        }
        return out;
    }
}
