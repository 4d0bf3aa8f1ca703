package io.neuromask.engine.neuromask;

import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.Optimizer;
import io.neuromask.engine.SettingDoc;

/**
 * Every knob of the NeuroMask objective and its optimiser. Immutable; change one value with the
 * {@code withX} methods, e.g. {@code Preset.PAPER_CIFAR10.neuroMask().withIterations(500)}.
 *
 * <p>The objective for one image {@code x} with weights {@code w} (one channel, input resolution; with
 * {@code maskStride} s &gt; 1 a grid of ceil(H/s) × ceil(W/s), see below):
 * <pre>
 *   m    = sigmoid(w / temperature)                 (maskStride s &gt; 1: up(sigmoid(w / temperature)))
 *   loss = lambdaPrediction * CE(model(x * m + b * (1 - m)), target)      b = 0 unless baseline is BLUR
 *        + lambdaDeletion   * -log(1 - softmax(model(x * (1 - m)))[target] + 1e-6)     only if lambdaDeletion &gt; 0
 *        + lambdaSparsity   * mean |w + initLimit|               (s &gt; 1: the H x W mean of up(|w + initLimit|))
 *        + lambdaSmoothness * mean((K * w)^2)      K = Laplacian, laplacianSize x laplacianSize, VALID (s &gt; 1: K * w / s²)
 *                                                  (or over the edge-replicated w: smoothnessBorder REPLICATE)
 * </pre>
 * optimised by RMSProp with TensorFlow 1 semantics ({@code ms = decay*ms + (1-decay)*g^2;
 * w -= lr * g / sqrt(ms + epsilon)}, {@code ms} starting at {@code rmsInitialAccumulator}) from
 * {@code w ~ initCentre + U(-initSpread·initLimit, initSpread·initLimit)}.
 *
 * @param weights the λ weights of the prediction, sparsity and smoothness terms ({@link Weights})
 * @param temperature sigmoid temperature T, &gt; 0
 * @param laplacianSize 3 (centre 8) or 5 (centre 24)
 * @param iterations optimiser steps, ≥ 1
 * @param rmsProp RMSProp's learning rate, decay, epsilon and starting accumulator ({@link RmsProp}). At an
 *     accumulator of 1 (TF1's), steps stay tiny until {@code decay^t} falls below the squared gradient: about 150
 *     iterations on CIFAR-10 and 200 on ImageNet, which the paper's 2000 iterations absorb
 * @param start the starting weights ({@link Start}): {@code initSpread} 1 is the paper's {@code U(-10, 10)} (a
 *     random, rough mask that the smoothness term first spends about 400 of the 2000 iterations flattening); 0 starts
 *     every weight at {@code initCentre}, a flat mask; a negative centre starts from a mask close to 0, so the
 *     evidence grows from nothing
 * @param logEvery record the loss every this many iterations (the last iteration is always
 *     recorded), ≥ 1
 * @param lambdaDeletion weight of the deletion term, ≥ 0; 0 (the paper's) leaves it out. With it the loss adds
 *     {@code lambdaDeletion * -log(1 - p_target(x * (1 - m)) + 1e-6)}: the mask's complement, its pixels black
 *     as in the deletion metric, should lose the class (the "dual" of TorchRay's extremal perturbation, with
 *     NeuroMask's parametrisation). It costs a second forward and backward pass per iteration
 * @param baseline what the pixels the mask removes become in the preserved image {@code x * m + b * (1 - m)}:
 *     {@link Baseline#BLACK} ({@code b = 0}, the paper's {@code x * m}) or {@link Baseline#BLUR} (the insertion
 *     metric's start image, an 11-tap σ 5 Gaussian blur of {@code x})
 * @param grid the weights' grid ({@link Grid}): {@code smoothnessBorder}, {@link Border#VALID} (the paper's: the
 *     border strip is never a window centre of the Laplacian) or {@link Border#REPLICATE} (every pixel is, over the
 *     edge-replicated weights; with VALID the strip's weights are the least constrained of the mask and on ImageNet
 *     often hold its maximum),
 *     and {@code maskStride}, the side in pixels of one cell of the weights' grid, ≥ 1 and at most the image's
 *     side; 1 (the paper's) is one weight per pixel. With s &gt; 1 the weights live on a {@code ceil(H/s) × ceil(W/s)} grid and
 *     the mask is {@code up(sigmoid(w / T))}, {@code up} the bilinear resize to H × W with half-pixel centres
 *     (PyTorch's {@code interpolate(size=(H, W), mode="bilinear", align_corners=False)}): fewer parameters, and a
 *     mask that is smooth between the cells by construction. The sparsity term is the mean over the H × W pixels of
 *     {@code up(|w + initLimit|)}, so each weight counts for the pixels it covers and {@code lambdaSparsity} weighs
 *     the full-resolution mask as at stride 1 (for a stride that divides the image side it is the grid's plain
 *     mean); the smoothness term is the Laplacian of the low-resolution weights (the upsampling is already smooth
 *     between cells, so only the grid itself can be rough) divided by {@code s²}, the cell's area: in pixel units, the
 *     finite-difference estimate of the same curvature as at stride 1, so that {@code lambdaSmoothness} keeps its
 *     meaning (undivided, a stride of 4 weighs smoothness 4⁴ = 256 times as much, and on a planted-evidence model the
 *     mask became a plateau reaching the image's corner instead of a blob on the evidence). With the VALID border the
 *     grid needs at least {@code laplacianSize} cells a side. The explanation's mask is the full-resolution one.
 *     A coarse-to-fine schedule ({@code coarseIterations} k &gt; 0, {@code coarseStride} c &gt; 1, with
 *     {@code maskStride} 1) runs the first k iterations as the objective at {@code maskStride} c, then continues with
 *     one weight per pixel started at {@code T·logit(m)} of the coarse mask m (clamped to [1e-6, 1 − 1e-6]): the same
 *     mask, now free per pixel; RMSProp starts afresh there, its accumulator at {@code rmsInitialAccumulator}.
 *
 * <p>The settings are grouped so that no constructor takes more than 10 values: the λ weights of the paper's three
 * terms ({@link Weights}), RMSProp's ({@link RmsProp}), the starting weights' ({@link Start}) and the weights'
 * grid ({@link Grid}); every setting keeps
 * its flat name for {@link #withSetting}, {@link #settings()} and the accessors ({@link #lambdaSparsity()}, ...).
 * Derive variants with the {@code withX} methods, e.g. {@code Preset.PAPER_CIFAR10.neuroMask().withTemperature(0.3)}.
 *
 * <p>As a {@link MaskObjective} its terms are {@code prediction}, {@code sparsity} and {@code smoothness}, with
 * {@code deletion} after {@code prediction} when {@code lambdaDeletion > 0}; images with the same Laplacian size,
 * iteration count, logging interval, baseline, use of the deletion term, smoothness border, mask stride and
 * coarse-to-fine schedule share a batch, everything else may
 * differ per image. The saliency is the mask; pixels where it saturates (exactly 0 or 1 in float) are ranked by
 * the weights {@code w} behind it (at a stride above 1, the weights upsampled like the mask).
 *
 * <p>The paper's objective is {@code lambdaDeletion = 0} with the black baseline (every {@code PAPER_*} and
 * {@code FAST_*} preset); the {@code FAITHFUL_*} presets add the deletion term and the blurred baseline, so that the
 * mask is optimised under the two perturbations the deletion and insertion metrics apply.
 */
public record NeuroMaskObjective(
        Weights weights,
        @SettingDoc(value = "sigmoid temperature T of m = sigmoid(w / T)", range = "> 0", option = "--temperature")
        double temperature,
        @SettingDoc(value = "side of the Laplacian kernel of the smoothness term", range = "3 or 5")
        int laplacianSize,
        @SettingDoc(value = "RMSProp steps", range = ">= 1")
        int iterations,
        RmsProp rmsProp,
        Start start,
        @SettingDoc(value = "record the loss every this many iterations", range = ">= 1")
        int logEvery,
        @SettingDoc(value = "weight of the deletion term (the mask's complement, blacked out, should lose the class); "
                + "0 = the paper's, none", range = ">= 0", option = "--lambda-deletion")
        double lambdaDeletion,
        @SettingDoc(value = "what removed pixels become in the preserved image: black (the paper's x*m) or blur (the "
                + "insertion metric's blurred image)", option = "--baseline")
        Baseline baseline,
        Grid grid) implements MaskObjective<NeuroMaskObjective> {

    /** What the pixels a mask removes become in the preserved image. */
    public enum Baseline {
        /** 0: the preserved image is {@code x * m}, the paper's. */
        BLACK,
        /** The insertion metric's start image, an 11-tap σ 5 Gaussian blur of {@code x}. */
        BLUR
    }

    /** How the smoothness term's Laplacian treats the image's border. */
    public enum Border {
        /**
         * The paper's VALID convolution: only pixels at least {@code laplacianSize / 2} from the border are window
         * centres, so the border strip is smoothed only as its neighbours' neighbour and its weights are freer.
         */
        VALID,
        /**
         * Every pixel is a window centre, the image extended by repeating its edge pixels: the border strip is
         * held to the same smoothness as the rest (it no longer collects the mask's maximum).
         */
        REPLICATE
    }

    /**
     * The weights' grid: its cell size, and how the smoothness term treats its border.
     *
     * @param smoothnessBorder {@link Border#VALID} (the paper's) or {@link Border#REPLICATE}
     * @param maskStride side in pixels of one cell, ≥ 1 (1: the paper's, one weight per pixel)
     */
    public record Grid(
            @SettingDoc(value = "the smoothness term at the image border: valid (the paper's, the border strip is never a "
                    + "window centre) or replicate (every pixel, over edge-replicated weights)",
                    option = "--smoothness-border")
            Border smoothnessBorder,
            @SettingDoc(value = "side in pixels of one cell of the optimised weights' grid: the mask is sigmoid(w / T) "
                    + "on a ceil(H/s) x ceil(W/s) grid, upsampled bilinearly to the image; 1 = the paper's, one weight "
                    + "per pixel; at most the image's side", range = ">= 1")
            int maskStride,
            @SettingDoc(value = "coarse-to-fine: the first coarseIterations iterations optimise weights on a grid of "
                    + "coarseStride pixels, whose mask then starts the per-pixel weights (maskStride 1); 0 = none "
                    + "(the paper's)", range = ">= 0, < iterations")
            int coarseIterations,
            @SettingDoc(value = "side in pixels of one cell of the coarse phase's grid (used when coarseIterations > 0)",
                    range = ">= 2")
            int coarseStride) {

        /** The coarse phase's cell side unless set: 8 pixels. */
        public static final int DEFAULT_COARSE_STRIDE = 8;

        /** The paper's grid: one weight per pixel, VALID border, no coarse phase. */
        public static final Grid PAPER = new Grid(Border.VALID, 1);

        /** Checks each value. */
        public Grid {
            java.util.Objects.requireNonNull(smoothnessBorder, "smoothnessBorder (VALID: the paper's)");
            if (maskStride < 1) {
                throw new IllegalArgumentException("maskStride must be at least 1 (1 = one weight per pixel, the "
                        + "paper's; 8 = one weight per 8x8 pixels), got " + maskStride);
            }
            if (coarseIterations < 0) {
                throw new IllegalArgumentException("coarseIterations must be at least 0 (0 = no coarse phase), got "
                        + coarseIterations);
            }
            if (coarseIterations > 0 && maskStride != 1) {
                throw new IllegalArgumentException("a coarse phase (coarseIterations " + coarseIterations + ") goes on "
                        + "with one weight per pixel, but maskStride is " + maskStride + ": set maskStride=1, or "
                        + "coarseIterations=0 to stay on the " + maskStride + "-pixel grid");
            }
            if (coarseStride < 2) {
                throw new IllegalArgumentException("coarseStride must be at least 2 (a coarse cell of 2x2 pixels or "
                        + "more), got " + coarseStride + ", e.g. coarseStride=" + DEFAULT_COARSE_STRIDE);
            }
        }

        /** A grid without a coarse phase. */
        public Grid(Border smoothnessBorder, int maskStride) {
            this(smoothnessBorder, maskStride, 0, DEFAULT_COARSE_STRIDE);
        }

        /** Whether the optimisation starts on a coarser grid. */
        public boolean coarseToFine() {
            return coarseIterations > 0;
        }
    }

    /**
     * The weights of the paper's three terms.
     *
     * @param lambdaPrediction weight of the cross-entropy term, ≥ 0
     * @param lambdaSparsity weight of the L1 term, ≥ 0
     * @param lambdaSmoothness weight of the Laplacian term, ≥ 0
     */
    public record Weights(
            @SettingDoc(value = "weight of the cross-entropy (prediction) term", range = ">= 0", option = "--lambdas",
                    optionIndex = 0) double lambdaPrediction,
            @SettingDoc(value = "weight of the L1 (sparsity) term", range = ">= 0", option = "--lambdas",
                    optionIndex = 1) double lambdaSparsity,
            @SettingDoc(value = "weight of the Laplacian (smoothness) term", range = ">= 0", option = "--lambdas",
                    optionIndex = 2) double lambdaSmoothness) {

        /** Checks each weight. */
        public Weights {
            nonNegative("lambdaPrediction", lambdaPrediction);
            nonNegative("lambdaSparsity", lambdaSparsity);
            nonNegative("lambdaSmoothness", lambdaSmoothness);
        }
    }

    /**
     * RMSProp with TensorFlow 1 semantics.
     *
     * @param learningRate learning rate, &gt; 0
     * @param rmsDecay decay, in [0, 1)
     * @param rmsEpsilon epsilon (inside the square root), &gt; 0
     * @param rmsInitialAccumulator starting value of the mean-square accumulator, ≥ 0 (TF1: 1; PyTorch and Keras: 0)
     */
    public record RmsProp(
            @SettingDoc(value = "RMSProp's learning rate", range = "> 0", option = "--learning-rate")
            double learningRate,
            @SettingDoc(value = "RMSProp's decay", range = "[0, 1)")
            double rmsDecay,
            @SettingDoc(value = "RMSProp's epsilon, inside the square root", range = "> 0")
            double rmsEpsilon,
            @SettingDoc(value = "starting value of RMSProp's mean-square accumulator (TF1: 1, PyTorch: 0)",
                    range = ">= 0", option = "--initial-accumulator")
            double rmsInitialAccumulator) {

        /** Checks each value. */
        public RmsProp {
            positive("learningRate", learningRate);
            positive("rmsEpsilon", rmsEpsilon);
            nonNegative("rmsInitialAccumulator", rmsInitialAccumulator);
            if (!(rmsDecay >= 0 && rmsDecay < 1)) {
                throw new IllegalArgumentException("rmsDecay must be in [0, 1), got " + rmsDecay);
            }
        }
    }

    /**
     * The starting weights {@code w ~ initCentre + U(-initSpread·initLimit, initSpread·initLimit)}.
     *
     * @param initLimit the paper's half-range; the L1 term is centred on {@code -initLimit}; &gt; 0
     * @param initSpread the range as a fraction of {@code initLimit}, in [0, 1]
     * @param initCentre the centre, in [-initLimit, initLimit]
     */
    public record Start(
            @SettingDoc(value = "half-range of the starting weights; the L1 term is centred on -initLimit",
                    range = "> 0")
            double initLimit,
            @SettingDoc(value = "starting weights' range as a fraction of initLimit: 1 = the paper's U(-10, 10), 0 = "
                    + "all at initCentre", range = "[0, 1]", option = "--init-spread")
            double initSpread,
            @SettingDoc(value = "centre of the starting weights: 0 = the paper's (a mask of 0.5), -3 = a mask of about "
                    + "0.05", range = "[-initLimit, initLimit]", option = "--init-centre")
            double initCentre) {

        /** Checks each value. */
        public Start {
            positive("initLimit", initLimit);
            if (!(initSpread >= 0 && initSpread <= 1)) {
                throw new IllegalArgumentException("initSpread must be in [0, 1] (1 = the paper's U(-initLimit, "
                        + "initLimit), 0 = every weight starts at 0), got " + initSpread);
            }
            if (!Double.isFinite(initCentre) || Math.abs(initCentre) > initLimit) {
                throw new IllegalArgumentException("initCentre must be a finite number in [-initLimit, initLimit] ("
                        + initLimit + "), got " + initCentre + " (0 = the paper's start, centred on a mask of 0.5)");
            }
        }
    }

    /**
     * The paper's objective (no deletion term, black baseline, VALID border) with these weights, temperature,
     * Laplacian and iteration count, the TF1 RMSProp at {@code learningRate} (decay 0.9, epsilon 1e-10, accumulator
     * from 1), the paper's start {@code U(-10, 10)} and the loss recorded every 10 iterations.
     */
    public static NeuroMaskObjective paper(double lambdaPrediction, double lambdaSparsity, double lambdaSmoothness,
            double temperature, int laplacianSize, int iterations, double learningRate) {
        return new NeuroMaskObjective(new Weights(lambdaPrediction, lambdaSparsity, lambdaSmoothness), temperature,
                laplacianSize, iterations, new RmsProp(learningRate, 0.9, 1e-10, 1.0), new Start(10.0, 1.0, 0.0), 10, 0,
                Baseline.BLACK, Grid.PAPER);
    }

    /**
     * The objective with one weight per pixel ({@code maskStride} 1, the paper's): every setting but the stride.
     */
    public NeuroMaskObjective(Weights weights, double temperature, int laplacianSize, int iterations, RmsProp rmsProp,
            Start start, int logEvery, double lambdaDeletion, Baseline baseline, Border smoothnessBorder) {
        this(weights, temperature, laplacianSize, iterations, rmsProp, start, logEvery, lambdaDeletion, baseline,
                new Grid(smoothnessBorder, 1));
    }

    /** Validates every value; see the class comment for the allowed ranges. */
    public NeuroMaskObjective {
        java.util.Objects.requireNonNull(weights, "weights");
        java.util.Objects.requireNonNull(rmsProp, "rmsProp");
        java.util.Objects.requireNonNull(start, "start");
        nonNegative("lambdaDeletion", lambdaDeletion);
        java.util.Objects.requireNonNull(baseline, "baseline (BLACK: the paper's x * m)");
        java.util.Objects.requireNonNull(grid, "grid (Grid.PAPER: the paper's)");
        positive("temperature", temperature);
        if (laplacianSize != 3 && laplacianSize != 5) {
            throw new IllegalArgumentException(
                    "laplacianSize must be 3 (CIFAR, centre 8) or 5 (ImageNet, centre 24), got " + laplacianSize);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery must be at least 1, got " + logEvery);
        }
        if (grid.coarseIterations() >= iterations) {
            throw new IllegalArgumentException("coarseIterations (" + grid.coarseIterations() + ") must be less than "
                    + "iterations (" + iterations + "): the full-resolution phase needs at least one iteration; give "
                    + "more iterations, or fewer coarse ones (coarseIterations, 0 for none)");
        }
    }

    private static void nonNegative(String name, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
    }

    private static void positive(String name, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
    }

    /** How the smoothness term treats the border (VALID: the paper's). */
    public Border smoothnessBorder() {
        return grid.smoothnessBorder();
    }

    /** The side in pixels of one cell of the weights' grid (1: the paper's). */
    public int maskStride() {
        return grid.maskStride();
    }

    /** Iterations on the coarse grid before the {@link #maskStride()} grid (0: none, the paper's). */
    public int coarseIterations() {
        return grid.coarseIterations();
    }

    /** The side in pixels of one cell of the coarse phase's grid. */
    public int coarseStride() {
        return grid.coarseStride();
    }

    public double lambdaPrediction() {
        return weights.lambdaPrediction();
    }

    public double lambdaSparsity() {
        return weights.lambdaSparsity();
    }

    public double lambdaSmoothness() {
        return weights.lambdaSmoothness();
    }

    public double learningRate() {
        return rmsProp.learningRate();
    }

    public double rmsDecay() {
        return rmsProp.rmsDecay();
    }

    public double rmsEpsilon() {
        return rmsProp.rmsEpsilon();
    }

    public double rmsInitialAccumulator() {
        return rmsProp.rmsInitialAccumulator();
    }

    public double initLimit() {
        return start.initLimit();
    }

    public double initSpread() {
        return start.initSpread();
    }

    public double initCentre() {
        return start.initCentre();
    }

    /** The three λ weights at once (prediction, sparsity, smoothness). */
    public NeuroMaskObjective withLambdas(double prediction, double sparsity, double smoothness) {
        return new NeuroMaskObjective(new Weights(prediction, sparsity, smoothness), temperature, laplacianSize,
                iterations, rmsProp, start, logEvery, lambdaDeletion, baseline, grid);
    }

    public NeuroMaskObjective withLambdaSparsity(double v) {
        return withLambdas(lambdaPrediction(), v, lambdaSmoothness());
    }

    public NeuroMaskObjective withLambdaSmoothness(double v) {
        return withLambdas(lambdaPrediction(), lambdaSparsity(), v);
    }

    public NeuroMaskObjective withLambdaPrediction(double v) {
        return withLambdas(v, lambdaSparsity(), lambdaSmoothness());
    }

    public NeuroMaskObjective withTemperature(double v) {
        return new NeuroMaskObjective(weights, v, laplacianSize, iterations, rmsProp, start, logEvery, lambdaDeletion,
                baseline, grid);
    }

    public NeuroMaskObjective withLaplacianSize(int v) {
        return new NeuroMaskObjective(weights, temperature, v, iterations, rmsProp, start, logEvery, lambdaDeletion,
                baseline, grid);
    }

    @Override
    public NeuroMaskObjective withIterations(int v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, v, rmsProp, start, logEvery, lambdaDeletion,
                baseline, grid);
    }

    /**
     * {@inheritDoc} A coarse-to-fine schedule keeps its share of coarse iterations, rounded, at least one and fewer
     * than {@code iterations} (none for a single iteration).
     */
    @Override
    public NeuroMaskObjective shortened(int iterations) {
        if (coarseIterations() == 0 || iterations < 1) {
            return withIterations(iterations);
        }
        long share = Math.round((double) coarseIterations() * iterations / this.iterations);
        int coarse = (int) Math.min(iterations - 1, Math.max(1, share));
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, start, logEvery,
                lambdaDeletion, baseline, new Grid(smoothnessBorder(), maskStride(), coarse, coarseStride()));
    }

    public NeuroMaskObjective withLearningRate(double v) {
        return withRmsProp(new RmsProp(v, rmsDecay(), rmsEpsilon(), rmsInitialAccumulator()));
    }

    /** RMSProp decay, epsilon and starting accumulator at once. */
    public NeuroMaskObjective withRmsProp(double decay, double epsilon, double initialAccumulator) {
        return withRmsProp(new RmsProp(learningRate(), decay, epsilon, initialAccumulator));
    }

    /** Another RMSProp. */
    public NeuroMaskObjective withRmsProp(RmsProp v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, v, start, logEvery, lambdaDeletion,
                baseline, grid);
    }

    /** The starting value of RMSProp's mean-square accumulator (TF1: 1; PyTorch and Keras: 0). */
    public NeuroMaskObjective withInitialAccumulator(double v) {
        return withRmsProp(rmsDecay(), rmsEpsilon(), v);
    }

    /** Other starting weights. */
    public NeuroMaskObjective withStart(Start v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, v, logEvery, lambdaDeletion,
                baseline, grid);
    }

    public NeuroMaskObjective withInitLimit(double v) {
        return withStart(new Start(v, initSpread(), initCentre()));
    }

    /** The starting weights' range as a fraction of {@code initLimit} (1: the paper's; 0: all start at 0). */
    public NeuroMaskObjective withInitSpread(double v) {
        return withStart(new Start(initLimit(), v, initCentre()));
    }

    /**
     * Where the starting weights are centred (0: the paper's, a mask of 0.5 before the spread; -3: a mask of
     * about 0.05, so the optimiser grows the evidence instead of first raising and then pruning every pixel).
     */
    public NeuroMaskObjective withInitCentre(double v) {
        return withStart(new Start(initLimit(), initSpread(), v));
    }

    @Override
    public NeuroMaskObjective withLogEvery(int v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, start, v, lambdaDeletion,
                baseline, grid);
    }

    /** The deletion term's weight (0 leaves the term out); see the class comment. */
    public NeuroMaskObjective withLambdaDeletion(double v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, start, logEvery, v,
                baseline, grid);
    }

    /** What the removed pixels become in the preserved image (BLACK: the paper's). */
    public NeuroMaskObjective withBaseline(Baseline v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, start, logEvery,
                lambdaDeletion, v, grid);
    }

    /** How the smoothness term treats the border (VALID: the paper's). */
    public NeuroMaskObjective withSmoothnessBorder(Border v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, start, logEvery,
                lambdaDeletion, baseline, new Grid(v, maskStride(), coarseIterations(), coarseStride()));
    }

    /**
     * The side in pixels of one cell of the weights' grid (1: the paper's, one weight per pixel); see the class
     * comment. The image must be at least this large on each side.
     */
    public NeuroMaskObjective withMaskStride(int v) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, iterations, rmsProp, start, logEvery,
                lambdaDeletion, baseline, new Grid(smoothnessBorder(), v, coarseIterations(), coarseStride()));
    }

    /**
     * A coarse-to-fine schedule: the first {@code iterations} iterations on a grid of {@code stride} pixels, the rest
     * on the {@link #maskStride()} grid, started from the coarse phase's mask (see {@link Grid}); 0 iterations for
     * none.
     */
    public NeuroMaskObjective withCoarseToFine(int iterations, int stride) {
        return new NeuroMaskObjective(weights, temperature, laplacianSize, this.iterations, rmsProp, start, logEvery,
                lambdaDeletion, baseline, new Grid(smoothnessBorder(), maskStride(), iterations, stride));
    }

    /** {@code neuromask} and every setting by its flat name. */
    @Override
    public String toString() {
        return name() + settings();
    }

    /** The objective's name: {@code neuromask}. */
    public static final String NAME = "neuromask";

    /** {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** RMSProp with TF1 semantics at this record's learning rate, decay, epsilon and starting accumulator. */
    @Override
    public Optimizer optimizer() {
        return new Optimizer.RmsPropTf1(learningRate(), rmsDecay(), rmsEpsilon(), rmsInitialAccumulator());
    }

    @Override
    public java.util.List<String> termNames() {
        return lambdaDeletion > 0 ? TERMS_WITH_DELETION : TERMS;
    }

    /** The loss terms of NeuroMask. */
    static final java.util.List<String> TERMS = java.util.List.of("prediction", "sparsity", "smoothness");

    /** The loss terms with the deletion term. */
    static final java.util.List<String> TERMS_WITH_DELETION = java.util.List.of("prediction", "deletion", "sparsity",
            "smoothness");


    /**
     * Every setting by name; {@code lambdaDeletion}, {@code baseline}, {@code smoothnessBorder} and {@code maskStride}
     * only when they are not the paper's (0, black, VALID and 1), {@code coarseIterations} and {@code coarseStride}
     * only with a coarse phase, so that the settings of the paper's objective read as they always have (e.g. in results files that a
     * later {@code evaluate --resume} compares).
     */
    @Override
    public java.util.Map<String, Object> settings() {
        java.util.Map<String, Object> m = MaskObjective.super.settings();
        if (lambdaDeletion == 0) {
            m.remove("lambdaDeletion");
        }
        if (baseline == Baseline.BLACK) {
            m.remove("baseline");
        }
        if (smoothnessBorder() == Border.VALID) {
            m.remove("smoothnessBorder");
        }
        if (maskStride() == 1) {
            m.remove("maskStride");
        }
        if (!grid.coarseToFine()) {
            m.remove("coarseIterations");
            m.remove("coarseStride");
        }
        return m;
    }

    /**
     * Images share a batch when they share the Laplacian size, the iteration count, the logging interval, the
     * baseline, whether the deletion term is used, the smoothness border and the mask stride.
     */
    @Override
    public Object batchKey() {
        java.util.List<Object> key = new java.util.ArrayList<>(java.util.List.of(NAME, laplacianSize, iterations,
                logEvery));
        if (lambdaDeletion != 0 || baseline != Baseline.BLACK || smoothnessBorder() != Border.VALID) {
            key.addAll(java.util.List.of(lambdaDeletion > 0, baseline, smoothnessBorder()));
        }
        if (maskStride() != 1) {
            key.add("maskStride=" + maskStride());
        }
        if (grid.coarseToFine()) {
            key.add("coarse=" + coarseIterations() + "@" + coarseStride());
        }
        return java.util.List.copyOf(key);
    }

    @Override
    public MaskBatch start(MaskBatch.Context context, java.util.List<NeuroMaskObjective> perImage) {
        return NeuroMaskBatch.start(context, perImage);
    }
}
