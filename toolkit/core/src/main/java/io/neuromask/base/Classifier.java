package io.neuromask.base;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Locale;

/**
 * An image classifier that NeuroMask can explain: it maps [0, 1] RGB pixels to class logits and is, unless
 * {@link #supportsGradients()} says otherwise, differentiable with respect to those pixels.
 *
 * <p>The classifier owns its preprocessing (for example mean/std normalisation), so callers and the
 * mask optimiser always work in [0, 1] pixel space. Implementations must be safe to call from several
 * threads at once, and must not train or change their own parameters.
 */
public interface Classifier extends AutoCloseable {

    /** A short name, e.g. {@code cifar10-resnet20}. */
    String name();

    /** The input height in pixels that {@link #logits} expects. */
    int inputHeight();

    /** The input width in pixels that {@link #logits} expects. */
    int inputWidth();

    /** Class names, index = class id. */
    List<String> labels();

    /** The device the parameters live on; inputs must be on it too. */
    Device device();

    /**
     * Computes logits.
     *
     * @param pixels N×3×H×W float32 in [0, 1], on {@link #device()}
     * @return N×C logits, in the manager of {@code pixels}, part of the autograd graph when one is
     *     being recorded
     */
    NDArray logits(NDArray pixels);

    /**
     * Whether {@link #logits} is differentiable with respect to the pixels (default {@code true}). A forward-only
     * classifier ({@code Models.forwardOnly}, e.g. an engine without autograd) runs the forward-only methods
     * (occlusion, RISE, the centre baseline); the gradient methods, the CAM methods and the mask methods refuse it by
     * name ({@code Methods.unavailable}).
     */
    default boolean supportsGradients() {
        return true;
    }

    /** The number of classes. */
    default int numClasses() {
        return labels().size();
    }

    /**
     * Finds a class by name: the whole label, or one of its comma-separated synonyms (ImageNet labels
     * such as {@code "sorrel, horse"}), ignoring case.
     *
     * @throws IllegalArgumentException naming the unknown class and some valid names
     */
    default int classIndex(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        List<String> labels = labels();
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                return i;
            }
        }
        for (int i = 0; i < labels.size(); i++) {
            for (String synonym : labels.get(i).split(",")) {
                if (synonym.trim().toLowerCase(Locale.ROOT).equals(wanted)) {
                    return i;
                }
            }
        }
        StringBuilder close = new StringBuilder();
        for (String label : labels) {
            if (label.toLowerCase(Locale.ROOT).contains(wanted) && close.length() < 200) {
                close.append(close.length() == 0 ? "" : "; ").append(label);
            }
        }
        String hint = close.length() > 0
                ? "did you mean: " + close
                : "valid names include " + String.join(", ", labels.subList(0, Math.min(10, labels.size())))
                        + (labels.size() > 10 ? ", ..." : "");
        throw new IllegalArgumentException(
                "unknown class name '" + name + "' for model " + name() + " (" + labels.size() + " classes); " + hint);
    }

    /** Releases native memory held by the model. */
    @Override
    void close();
}
