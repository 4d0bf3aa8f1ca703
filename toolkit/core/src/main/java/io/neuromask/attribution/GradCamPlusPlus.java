package io.neuromask.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.neuromask.model.BlockClassifier;

/**
 * Grad-CAM++ (Chattopadhyay et al. 2018) at a layer chosen by name ({@link CamAttribution}): channel weights
 * {@code w_k = Σ_ij α_ij ReLU(g_ij)} with {@code g = ∂ logit_target / ∂ A_k} and, from the paper's closed form for
 * an exponential of the logit (its eq. 19), {@code α_ij = g_ij² / (2 g_ij² + Σ_ab A_k,ab · g_ij³)}, zero where the
 * denominator is zero (a zero gradient). The paper's {@code exp(logit)} factor of the weights is one positive
 * number per image, left out (as pytorch-grad-cam does) so that it cannot overflow; the map's ranking is unchanged.
 * Unlike pytorch-grad-cam, no 1e-6 is added to the denominator: at layers whose gradients are below about 1e-3
 * (SqueezeNet's {@code fire8}) that constant would outweigh {@code 2 g²} and change the weights.
 */
public final class GradCamPlusPlus extends CamAttribution {

    /**
     * @throws IllegalArgumentException for an unknown layer (listing the valid names), or a layer whose
     *     output is not N×C×H×W or that the model's forward pass does not reach through its parent
     */
    public GradCamPlusPlus(BlockClassifier model, String layer, int batchSize) {
        super(model, layer, batchSize);
    }

    @Override
    public String name() {
        return "gradcam++";
    }

    @Override
    protected NDArray weights(NDArray activations, NDArray inputs, int[] classes) {
        NDArray g = activations.getGradient();
        NDArray g2 = g.square();
        NDArray sum = activations.sum(new int[] {2, 3}, true);
        NDArray denominator = g2.mul(2f).add(sum.mul(g2.mul(g)));
        NDArray alpha = NDArrays.where(denominator.neq(0f), g2.div(denominator), g2.zerosLike());
        return alpha.mul(g.maximum(0f)).sum(new int[] {2, 3}, true);
    }
}
