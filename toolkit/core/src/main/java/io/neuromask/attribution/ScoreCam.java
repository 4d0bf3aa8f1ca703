package io.neuromask.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Scoring;
import io.neuromask.model.BlockClassifier;

/**
 * Score-CAM (Wang et al. 2020) at a layer chosen by name ({@link CamAttribution}), without gradients: the weight of
 * channel {@code k} is the target's softmax probability for the image multiplied by {@code A_k}, upsampled to the
 * input size (bilinear, half-pixel centres) and min-max normalised to [0, 1]; a constant channel, which masks
 * nothing, weighs 0 and costs no pass (as in the authors' code). The pixels are masked in [0, 1] space, before the
 * model's normalisation, so hidden pixels turn black, as in {@link Rise}; the reference codes mask the normalised
 * tensor, which turns them the dataset's mean colour.
 *
 * <p>Cost: one forward pass to read the layer plus one per varying channel, at most {@code C} (SqueezeNet's
 * {@code fire8}: 512) per image, run {@link #batchSize()} masked images at a time, each batch in its own
 * {@code NDManager}.
 */
public final class ScoreCam extends CamAttribution {

    /**
     * @throws IllegalArgumentException for an unknown layer (listing the valid names), or a layer whose
     *     output is not N×C×H×W or that the model's forward pass does not reach through its parent
     */
    public ScoreCam(BlockClassifier model, String layer, int batchSize) {
        super(model, layer, batchSize);
    }

    @Override
    public String name() {
        return "scorecam";
    }

    @Override
    protected boolean usesGradients() {
        return false;
    }

    @Override
    protected NDArray weights(NDArray activations, NDArray inputs, int[] classes) {
        Shape s = activations.getShape();
        int channels = (int) s.get(1);
        int maps = (int) s.get(0) * channels;
        int plane = model.inputHeight() * model.inputWidth();
        float[] a = activations.toFloatArray();
        float[] pixels = inputs.toFloatArray();
        float[] low = new float[maps];
        float[] high = new float[maps];
        int[] varying = new int[maps];
        int rows = 0;
        for (int i = 0; i < maps; i++) {
            SaliencyMap up = upsampled(a, i, s);
            low[i] = up.min();
            high[i] = up.max();
            if (high[i] > low[i]) {
                varying[rows++] = i;
            }
        }
        float[] p = Scoring.probabilities(model, rows, (row, dst, off) -> {
            int i = varying[row];
            float[] mask = upsampled(a, i, s).values();
            int image = i / channels * 3 * plane;
            float range = high[i] - low[i];
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < plane; k++) {
                    dst[off + c * plane + k] = pixels[image + c * plane + k] * ((mask[k] - low[i]) / range);
                }
            }
        }, row -> classes[varying[row] / channels], batchSize());
        float[] w = new float[maps];
        for (int r = 0; r < rows; r++) {
            w[varying[r]] = p[r];
        }
        return inputs.getManager().create(w, new Shape(s.get(0), channels, 1, 1));
    }

    /** Activation map {@code i} (image-major, channel-minor) at the input size. */
    private SaliencyMap upsampled(float[] a, int i, Shape s) {
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] one = java.util.Arrays.copyOfRange(a, i * h * w, (i + 1) * h * w);
        return SaliencyMap.of(one, h, w).resize(model.inputHeight(), model.inputWidth());
    }
}
