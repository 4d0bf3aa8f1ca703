package io.neuromask.attribution;

import ai.djl.ndarray.NDArray;
import io.neuromask.model.BlockClassifier;

/**
 * Grad-CAM (Selvaraju et al. 2017) at a layer chosen by name:
 * {@code ReLU(Σ_k α_k A_k)} with {@code α_k} the spatial mean of {@code ∂ logit_target / ∂ A_k},
 * upsampled bilinearly (half-pixel centres, like pytorch-grad-cam's resize) to the input size.
 *
 * <p>The layer is a dotted path through the DJL block tree (see {@link CamAttribution}); {@link #layerNames}
 * lists them. The maps are not normalised; metrics normalise as they need.
 */
public final class GradCam extends CamAttribution {

    /** Grad-CAM at {@code layer}, default batch size. */
    public GradCam(BlockClassifier model, String layer) {
        this(model, layer, DEFAULT_BATCH_SIZE);
    }

    /**
     * @throws IllegalArgumentException for an unknown layer (listing the valid names), or a layer whose
     *     output is not N×C×H×W or that the model's forward pass does not reach through its parent
     */
    public GradCam(BlockClassifier model, String layer, int batchSize) {
        super(model, layer, batchSize);
    }

    @Override
    public String name() {
        return "gradcam";
    }

    /** The spatial mean of the gradient. */
    @Override
    protected NDArray weights(NDArray activations, NDArray inputs, int[] classes) {
        return activations.getGradient().mean(new int[] {3}, true).mean(new int[] {2}, true);
    }
}
