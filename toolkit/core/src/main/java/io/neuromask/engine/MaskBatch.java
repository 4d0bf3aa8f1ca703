package io.neuromask.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.neuromask.base.Classifier;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One batch of a {@link MaskObjective}: the mask parametrisation, the perturbation, the loss terms and their
 * schedules. The engine owns the loop: it asks for the starting parameters, evaluates the loss under autograd,
 * steps the optimiser, calls {@link #project} and, when images finish early, {@link #select}s the rest.
 *
 * <p>Parameters have {@link #rowsPerImage()} rows per image, image-major (rows {@code i·k … i·k+k−1} belong to
 * image {@code i}); masks, saliency and logits have one row per image. Every tensor is created in
 * {@link Context#manager()} or, inside {@link #evaluate}, in the engine's per-iteration scope.
 */
public interface MaskBatch {

    /**
     * What a batch works on.
     *
     * @param pixels N×3×H×W in [0, 1]
     * @param targets the class to explain, per image
     * @param seed the run's seed, for random starts
     */
    record Context(Classifier model, NDArray pixels, int[] targets, long seed, NDManager manager) {}

    /**
     * One evaluation of the loss.
     *
     * @param saliency N×1×H×W in [0, 1]: what the explanation would be now (for early stopping and the mask mean)
     * @param logits N×C logits on the input that keeps the salient region, or {@code null} when the objective does
     *     not compute them (early stopping then looks at the mask alone)
     * @param terms one (N) tensor per {@link MaskObjective#termNames()} entry, already weighted
     * @param perImage (N) the loss of each image, the sum of its terms
     * @param total the scalar to minimise: the sum of {@code perImage}
     * @param manual where autograd's graph starts at an intermediate result rather than at the parameters, how the
     *     engine finishes the chain rule ({@link ManualBackward}); {@code null} when autograd recorded everything
     */
    record Step(NDArray saliency, NDArray logits, List<NDArray> terms, NDArray perImage, NDArray total,
            ManualBackward manual) {

        /** A step whose whole computation autograd recorded, from the parameters on. */
        public Step(NDArray saliency, NDArray logits, List<NDArray> terms, NDArray perImage, NDArray total) {
            this(saliency, logits, terms, perImage, total, null);
        }
    }

    /**
     * The first link of the chain rule written by hand, for a computation whose autograd graph would be too large
     * (e.g. extremal perturbation's smooth-max mask, whose graph would hold dozens of image-sized tensors per mask):
     * {@link #evaluate} computes {@code input} from the parameters without a graph, marks it as requiring gradients,
     * and continues under autograd from there; after the backward pass the engine asks
     * {@code parameterGradient.apply(input.getGradient())} for the gradient with respect to the parameters.
     *
     * @param input the intermediate result autograd's graph starts from
     * @param parameterGradient the loss's gradient with respect to the parameters, from its gradient with respect to
     *     {@code input}
     */
    record ManualBackward(NDArray input, UnaryOperator<NDArray> parameterGradient) {}

    /** Parameter rows per image (e.g. one per target area). */
    int rowsPerImage();

    /**
     * How many images one forward and backward pass of the engine should hold at most, the engine allowing
     * {@code pixels} input pixels per pass ({@link Long#MAX_VALUE}: no limit, e.g. on a GPU): by default as many as
     * fit with {@link #rowsPerImage()} inputs of {@code height}×{@code width} each, at least one. An objective whose
     * own state per image weighs more than its share of the model's activations may ask for fewer.
     */
    default int imagesPerPass(long pixels, int height, int width) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, pixels / ((long) rowsPerImage() * height * width)));
    }

    /** The starting parameters, rows first. */
    NDArray initialParameters();

    /** The loss at {@code parameters} (which require gradients) at 0-based {@code iteration}. */
    Step evaluate(NDArray parameters, int iteration);

    /** Brings parameters back into their domain after a step, in place (e.g. a clamp to [0, 1]); default: none. */
    default void project(NDArray parameters) {}

    /** The explanation: N×1×H×W in [0, 1], larger is more important. */
    NDArray saliency(NDArray parameters);

    /** A score that orders pixels where the saliency ties (e.g. the logits behind a saturated mask), N×1×H×W. */
    NDArray tieBreak(NDArray parameters);

    /** The model's logits (N×C) on the input that keeps the salient region and perturbs the rest. */
    NDArray keptLogits(NDArray saliency);

    /** The same batch restricted to some images ({@code images} is int64 image indices). */
    MaskBatch select(NDArray images);

    /**
     * A change of parametrisation before 0-based {@code iteration}, e.g. the second phase of a coarse-to-fine
     * schedule: the batch to go on with and its starting parameters (which should give about the same saliency as
     * {@code parameters} here), or {@code null} (the default) to go on as before. The engine calls it before every
     * iteration, outside the iteration's scope; it starts the optimiser afresh for the new parameters.
     */
    default Refinement refine(NDArray parameters, int iteration) {
        return null;
    }

    /** A batch and its starting parameters, from {@link #refine}. */
    record Refinement(MaskBatch batch, NDArray parameters) {}
}
