package io.neuromask.internal;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.base.Classifier;
import java.util.List;
import java.util.Objects;

/** Checks and packs the inputs shared by attribution methods and metrics. */
public final class Inputs {

    private Inputs() {}

    /**
     * Checks that there is one target per image and that every image has the model's input size.
     *
     * @param who the method or metric, for the message
     * @throws IllegalArgumentException naming the problem and the fix
     */
    public static void validate(Classifier model, List<RgbImage> images, List<?> perImage, String what, String who) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(perImage, what);
        if (images.size() != perImage.size()) {
            throw new IllegalArgumentException(who + ": got " + images.size() + " images and " + perImage.size() + " "
                    + what + "; give exactly one of each per image");
        }
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException(who + ": image " + i + " is null");
            }
            if (perImage.get(i) == null) {
                throw new IllegalArgumentException(who + ": " + what + " " + i + " is null");
            }
            if (img.height() != model.inputHeight() || img.width() != model.inputWidth()) {
                throw new IllegalArgumentException(who + ": image " + i + " is " + img.width() + "x" + img.height()
                        + " but model " + model.name() + " takes " + model.inputWidth() + "x" + model.inputHeight()
                        + "; resize it first (image.resize(" + model.inputWidth() + ", " + model.inputHeight() + "))");
            }
        }
    }

    /**
     * Resolves each target to a class index: fixed targets are checked against the model, {@code predicted}
     * ones are the model's argmax on the image (computed in batches, without gradients).
     */
    public static int[] resolveTargets(Classifier model, List<RgbImage> images, List<Target> targets, int batchSize) {
        int n = images.size();
        int[] classes = new int[n];
        boolean anyPredicted = false;
        for (int i = 0; i < n; i++) {
            Target t = targets.get(i);
            if (t.isPredicted()) {
                anyPredicted = true;
            } else {
                classes[i] = t.resolve(model);
            }
        }
        if (anyPredicted) {
            int[] predicted = Scoring.predictions(model, images, batchSize);
            for (int i = 0; i < n; i++) {
                if (targets.get(i).isPredicted()) {
                    classes[i] = predicted[i];
                }
            }
        }
        return classes;
    }

    /** Checks a count-like parameter. */
    public static int positive(String name, int value, String hint) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value + hint(hint));
        }
        return value;
    }

    /** Checks a real parameter is finite and strictly positive. */
    public static double positive(String name, double value, String hint) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + value + hint(hint));
        }
        return value;
    }

    /** Checks a real parameter is finite and at least 0. */
    public static double nonNegative(String name, double value, String hint) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value + hint(hint));
        }
        return value;
    }

    /** Checks a probability-like parameter lies in the open interval (0, 1). */
    public static double openUnit(String name, double value, String hint) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must lie strictly between 0 and 1, got " + value + hint(hint));
        }
        return value;
    }

    private static String hint(String hint) {
        return hint == null || hint.isEmpty() ? "" : "; " + hint;
    }
}
