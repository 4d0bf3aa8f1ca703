package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import io.neuromask.base.RgbImage;
import io.neuromask.internal.Inputs;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SmoothGrad (Smilkov et al. 2017) around a gradient method: the wrapped method's raw attribution averaged over
 * {@code samples} noisy copies {@code x + N(0, (σ·(max x − min x))²)}, then reduced to a map as the wrapped method
 * does. Around {@link VanillaGradient} (the default, {@link #builder(Classifier)}) that is the averaged gradient,
 * then {@code max_c |·|}; around {@link IntegratedGradients} ({@link #builder(GradientAttribution)}) the averaged
 * IG attributions, then their channel sum. The noisy copies are expanded into the batch dimension, chunk by
 * chunk. Noise is seeded per (image, sample), so results do not depend on the batch size.
 */
public final class SmoothGrad extends GradientAttribution {

    private final int samples;
    private final double noise;
    private final long seed;
    private final GradientAttribution inner;

    private SmoothGrad(Builder b) {
        super(b.inner != null ? b.inner.model() : b.model, b.inner != null ? b.inner.batchSize() : b.batchSize);
        this.inner = b.inner != null ? b.inner : new VanillaGradient(b.model, b.batchSize);
        this.samples = b.samples;
        this.noise = b.noise;
        this.seed = b.seed;
    }

    /** SmoothGrad of the plain gradient. Defaults: 25 samples, σ = 0.15 of the image's value range, seed 0, batch 64. */
    public static Builder builder(Classifier model) {
        return new Builder(model, null);
    }

    /**
     * SmoothGrad of another gradient method ({@link VanillaGradient} or {@link IntegratedGradients}), which also
     * sets the model and the batch size; same defaults otherwise.
     */
    public static Builder builder(GradientAttribution method) {
        java.util.Objects.requireNonNull(method, "method");
        if (method instanceof SmoothGrad) {
            throw new IllegalArgumentException("SmoothGrad of SmoothGrad: wrap the inner method once, with more samples");
        }
        return new Builder(method.model(), method);
    }

    /** The wrapped method. */
    public GradientAttribution method() {
        return inner;
    }

    /** With the defaults. */
    public SmoothGrad(Classifier model) {
        this(builder(model));
    }

    @Override
    public String name() {
        return inner instanceof VanillaGradient ? "smoothgrad" : "smoothgrad-" + inner.name();
    }

    public int samples() {
        return samples;
    }

    public double noise() {
        return noise;
    }

    @Override
    protected List<SaliencyMap> compute(List<RgbImage> images, int[] classes) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        int size = 3 * h * w;
        int n = images.size();
        float[][] sums = new float[n][size];
        float[][] pixels = new float[n][];
        double[] sigma = new double[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = images.get(i).toChw();
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (float v : pixels[i]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            sigma[i] = noise * Math.max(hi - lo, 1e-6);
        }
        inner.rawRows(n * samples, (row, dst, off) -> {
            int i = row / samples;
            SplittableRandom random = new SplittableRandom(mix(seed, i, row % samples));
            float[] x = pixels[i];
            for (int k = 0; k < size; k++) {
                dst[off + k] = (float) (x[k] + sigma[i] * random.nextGaussian());
            }
        }, row -> classes[row / samples], (row, grad, off) -> {
            float[] s = sums[row / samples];
            for (int k = 0; k < size; k++) {
                s[k] += grad[off + k];
            }
        });
        List<SaliencyMap> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] m = inner.reduce(sums[i], 0);
            for (int k = 0; k < m.length; k++) {
                m[k] /= samples;
            }
            maps.add(SaliencyMap.of(m, h, w));
        }
        return maps;
    }

    /** Configures a {@link SmoothGrad}. */
    public static final class Builder {
        private final Classifier model;
        private final GradientAttribution inner;
        private int samples = 25;
        private double noise = 0.15;
        private long seed = 0;
        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder(Classifier model, GradientAttribution inner) {
            this.model = java.util.Objects.requireNonNull(model, "model");
            this.inner = inner;
        }

        /** Noisy copies per image (default 25). */
        public Builder samples(int samples) {
            this.samples = Inputs.positive("SmoothGrad samples", samples, "25 is the usual choice");
            return this;
        }

        /** Noise standard deviation as a fraction of the image's value range (default 0.15). */
        public Builder noise(double noise) {
            this.noise = Inputs.nonNegative("SmoothGrad noise", noise, "use a fraction such as 0.15");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Model inputs per forward/backward pass (default 64; a wrapped method keeps its own). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Inputs.positive("batchSize", batchSize, "it is the number of inputs per forward pass");
            return this;
        }

        public SmoothGrad build() {
            return new SmoothGrad(this);
        }
    }
}
