package io.neuromask.attribution;

import ai.djl.ndarray.NDArray;
import io.neuromask.model.BlockClassifier;

/**
 * LayerCAM (Jiang et al. 2021) at a layer chosen by name ({@link CamAttribution}): a weight per activation,
 * {@code ReLU(∂ logit_target / ∂ A)}, so the map is {@code ReLU(Σ_k ReLU(g_k) ⊙ A_k)}: where Grad-CAM weighs a
 * channel by its mean gradient, LayerCAM keeps where in the channel the gradient is positive, which makes maps of
 * early, high-resolution layers usable.
 */
public final class LayerCam extends CamAttribution {

    /**
     * @throws IllegalArgumentException for an unknown layer (listing the valid names), or a layer whose
     *     output is not N×C×H×W or that the model's forward pass does not reach through its parent
     */
    public LayerCam(BlockClassifier model, String layer, int batchSize) {
        super(model, layer, batchSize);
    }

    @Override
    public String name() {
        return "layercam";
    }

    /** The positive part of the gradient, element by element. */
    @Override
    protected NDArray weights(NDArray activations, NDArray inputs, int[] classes) {
        return activations.getGradient().maximum(0f);
    }
}
