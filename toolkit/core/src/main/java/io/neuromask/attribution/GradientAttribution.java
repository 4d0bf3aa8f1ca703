package io.neuromask.attribution;

import io.neuromask.internal.Scoring;
import io.neuromask.base.Classifier;
import java.util.function.IntUnaryOperator;

/**
 * The shared base of the gradient methods (one class per method over a shared base, as in
 * pytorch-grad-cam): input checking, target resolution and batched input gradients.
 *
 * <p>The score that is differentiated is the target class's <em>logit</em> (pre-softmax), as in Captum
 * and pytorch-grad-cam. Gradients are with respect to [0, 1] pixels, before the model's own
 * normalisation. Rows of the batch dimension are filled per chunk of {@link #batchSize()} inputs, so a
 * method that needs many inputs per image (SmoothGrad's noisy copies, Integrated Gradients' path) expands
 * them into the batch dimension chunk by chunk.
 */
public abstract class GradientAttribution extends ModelAttribution {

    protected GradientAttribution(Classifier model, int batchSize) {
        super(model, batchSize);
        Methods.requireGradients(getClass().getSimpleName(), model);
    }


    /** Batched input gradients of the class logit, see {@link Scoring#gradients}. */
    protected final void gradients(int rows, Scoring.Rows source, IntUnaryOperator rowClass,
            Scoring.GradientSink sink) {
        Scoring.gradients(model, rows, source, rowClass, batchSize(), sink);
    }

    /** {@code max_c |g[c, y, x]|} of a CHW block (Simonyan et al. 2014). */
    protected static float[] maxAbsOverChannels(float[] chw, int offset, int h, int w) {
        int plane = h * w;
        float[] out = new float[plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                out[i] = Math.max(out[i], Math.abs(chw[offset + c * plane + i]));
            }
        }
        return out;
    }

    /** {@code Σ_c a[c, y, x]} of a CHW block. */
    protected static float[] sumOverChannels(float[] chw, int offset, int h, int w) {
        int plane = h * w;
        float[] out = new float[plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                out[i] += chw[offset + c * plane + i];
            }
        }
        return out;
    }

    /** Receives one input row's raw attribution, {@code 3·H·W} CHW values at {@code offset}. */
    interface RawSink {
        void accept(int row, float[] chw, int offset);
    }

    /**
     * The raw, per-channel attributions of {@code rows} inputs that {@code source} fills (values need not lie in
     * [0, 1]), in row order: what {@link SmoothGrad} averages over noisy copies. Methods that support being
     * wrapped by SmoothGrad override this and {@link #reduce}.
     */
    void rawRows(int rows, Scoring.Rows source, IntUnaryOperator rowClass, RawSink sink) {
        throw new UnsupportedOperationException("SmoothGrad cannot wrap " + name());
    }

    /** This method's map of a raw CHW attribution (for example {@code max_c |g|}). */
    float[] reduce(float[] chw, int offset) {
        throw new UnsupportedOperationException("SmoothGrad cannot wrap " + name());
    }

    /** A seed for (image, sample), independent of how rows are chunked. */
    static long mix(long seed, long image, long sample) {
        long z = seed * 0x9E3779B97F4A7C15L + image * 0xBF58476D1CE4E5B9L + sample * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
