package io.neuromask.attribution;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.internal.Adam;
import io.neuromask.internal.Autograd;
import io.neuromask.internal.Upsampling;
import io.neuromask.model.BlockClassifier;
import java.util.Arrays;

/**
 * Opti-CAM (Zhang, Rizzo, Kasai, Lee, Colombo 2024, CVIU; the authors' {@code Basic_OptCAM}) at a layer chosen by
 * name ({@link CamAttribution}): channel weights {@code w = softmax(u)} found by gradient ascent on the target's
 * logit of the image multiplied by its own saliency map,
 * <pre>
 *   S(u) = n(up(Σ_k softmax(u)_k · ReLU(A_k)))        n: min-max normalisation to [0, 1] per image
 *   u*   = argmax_u  logit_target(x ⊙ S(u))            Adam, {@link #iterations()} steps of {@link #learningRate()}
 * </pre>
 * from {@code u = ½} (equal weights), with up the bilinear resize to the input size (half-pixel centres). The
 * authors' defaults: 50 iterations, learning rate 0.1, the target's logit ({@code name_f = logit_predict}, loss
 * {@code plain}). The map is {@code Σ_k softmax(u*)_k ReLU(A_k)} upsampled, not normalised (a monotone affine
 * change of {@code S}): the base's {@code ReLU(Σ_k w_k A_k)} with per-activation weights
 * {@code w_k = softmax(u*)_k · [A_k > 0]}. As in {@link Rise} and {@link ScoreCam}, pixels are masked in [0, 1] space, before the model's
 * normalisation, so hidden pixels turn black. A map that is constant over the image (all activations equal) hides
 * every pixel (a range within {@code 1e-6} of the values' size counts as constant: the upsampling's rounding).
 *
 * <p>Cost: one forward pass to read the layer, then per iteration one forward and one backward pass of the model
 * over {@link #batchSize()} masked images (the cost of a mask method with as many iterations); each chunk in its
 * own {@code NDManager}, each iteration's arrays in a scope closed after it.
 */
public final class OptiCam extends CamAttribution {

    /** The authors' iterations. */
    public static final int DEFAULT_ITERATIONS = 50;
    /** The authors' Adam learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;

    private final int iterations;
    private final double learningRate;

    /** Opti-CAM with the authors' settings. */
    public OptiCam(BlockClassifier model, String layer, int batchSize) {
        this(model, layer, batchSize, DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE);
    }

    /**
     * @param iterations Adam steps, ≥ 1
     * @param learningRate Adam's step size, finite and &gt; 0
     * @throws IllegalArgumentException for a setting out of range, an unknown layer (listing the valid names), or a
     *     layer whose output is not N×C×H×W or that the model's forward pass does not reach through its parent
     */
    public OptiCam(BlockClassifier model, String layer, int batchSize, int iterations, double learningRate) {
        super(model, layer, batchSize);
        if (iterations < 1) {
            throw new IllegalArgumentException("Opti-CAM needs at least 1 iteration, got " + iterations
                    + " (the authors use " + DEFAULT_ITERATIONS + ")");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("Opti-CAM's learning rate must be finite and > 0, got " + learningRate
                    + " (the authors use " + DEFAULT_LEARNING_RATE + ")");
        }
        this.iterations = iterations;
        this.learningRate = learningRate;
    }

    @Override
    public String name() {
        return "opticam";
    }

    /** Adam steps per image. */
    public int iterations() {
        return iterations;
    }

    /** Adam's step size. */
    public double learningRate() {
        return learningRate;
    }

    /** The layer is read by a forward pass; the optimisation holds the gradient lock itself. */
    @Override
    protected boolean usesGradients() {
        return false;
    }

    @Override
    protected NDArray weights(NDArray activations, NDArray inputs, int[] classes) {
        Shape s = activations.getShape();
        int n = (int) s.get(0);
        int channels = (int) s.get(1);
        NDManager manager = inputs.getManager();
        NDArray features = activations.stopGradient().maximum(0f);
        Upsampling up = new Upsampling(manager, (int) s.get(2), (int) s.get(3), model.inputHeight(),
                model.inputWidth());
        float[] oneHot = new float[n * model.numClasses()];
        for (int r = 0; r < n; r++) {
            oneHot[r * model.numClasses() + classes[r]] = 1f;
        }
        NDArray select = manager.create(oneHot, new Shape(n, model.numClasses()));
        float[] start = new float[n * channels];
        Arrays.fill(start, 0.5f);
        NDArray u = manager.create(start, new Shape(n, channels, 1, 1));
        double[] lr = new double[n];
        Arrays.fill(lr, learningRate);
        double[] beta1 = new double[n];
        Arrays.fill(beta1, 0.9);
        double[] beta2 = new double[n];
        Arrays.fill(beta2, 0.999);
        double[] eps = new double[n];
        Arrays.fill(eps, 1e-8);
        Adam adam = new Adam(lr, beta1, beta2, eps, manager, u.getShape());
        Engine engine = Engine.getEngine("PyTorch");
        synchronized (Autograd.LOCK) {
            for (int it = 0; it < iterations; it++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray leaf = u.duplicate();
                    leaf.setRequiresGradient(true);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray masked = inputs.mul(saliency(features, leaf, up));
                        collector.backward(model.logits(masked).mul(select).sum().neg());
                    }
                    adam.step(u, leaf.getGradient());
                }
            }
        }
        // w_k·[A_k > 0], so that the base's ReLU(Σ_k w_k A_k) is Σ_k softmax(u)_k ReLU(A_k), Opti-CAM's map
        return activations.stopGradient().gt(0f).toType(DataType.FLOAT32, false).mul(u.softmax(1));
    }

    /** {@code n(up(Σ_k softmax(u)_k A_k))}, N×1×H×W. */
    private static NDArray saliency(NDArray features, NDArray u, Upsampling up) {
        NDArray map = up.apply(features.mul(u.softmax(1)).sum(new int[] {1}, true));
        Shape perImage = new Shape(map.getShape().get(0), 1, 1, 1);
        NDArray flat = map.reshape(map.getShape().get(0), -1);
        NDArray low = flat.min(new int[] {1}).reshape(perImage);
        NDArray high = flat.max(new int[] {1}).reshape(perImage);
        NDArray range = high.sub(low);
        // a map constant up to rounding (all activations equal: the upsampling's sums differ in the last bits)
        // hides every pixel rather than stretching its rounding noise to [0, 1]
        NDArray constant = range.lte(high.abs().add(low.abs()).mul(1e-6f)).toType(DataType.FLOAT32, false);
        return map.sub(low).div(range.add(constant.mul(1e30f)));
    }
}
