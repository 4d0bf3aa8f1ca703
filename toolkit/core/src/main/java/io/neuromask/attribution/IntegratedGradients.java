package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.internal.Inputs;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Integrated Gradients (Sundararajan et al. 2017) of the target logit:
 * {@code (x − b) ⊙ (1/m) Σ_k ∇f(b + α_k (x − b))} with midpoint nodes {@code α_k = (k + ½)/m}
 * (Captum's {@code riemann_middle}). The baseline {@code b} is a constant image, black (0) by default.
 * By completeness the attributions sum to about {@code f(x) − f(b)}; see {@link #attributions}.
 *
 * <p>The map is the channel sum of the attributions, signed (positive evidence ranks first); choose
 * {@link Builder#absolute(boolean)} for Captum's {@code absolute_value} display convention instead.
 */
public final class IntegratedGradients extends GradientAttribution {

    private final int steps;
    private final float baseline;
    private final boolean absolute;

    private IntegratedGradients(Builder b) {
        super(b.model, b.batchSize);
        this.steps = b.steps;
        this.baseline = b.baseline;
        this.absolute = b.absolute;
    }

    /** Defaults: 32 steps, black baseline, signed map, batch 64. */
    public static Builder builder(Classifier model) {
        return new Builder(model);
    }

    /** With the defaults. */
    public IntegratedGradients(Classifier model) {
        this(builder(model));
    }

    @Override
    public String name() {
        return "ig";
    }

    public int steps() {
        return steps;
    }

    /** The constant baseline pixel value. */
    public float baseline() {
        return baseline;
    }

    /**
     * The per-pixel, per-channel attributions, CHW ({@code 3·H·W} floats per image).
     *
     * @throws IllegalArgumentException on bad input, as {@link #attribute}
     */
    public List<float[]> attributions(List<RgbImage> images, List<Target> targets) {
        Inputs.validate(model, images, targets, "targets", name());
        return raw(images, Inputs.resolveTargets(model, images, targets, batchSize()));
    }

    private List<float[]> raw(List<RgbImage> images, int[] classes) {
        int size = 3 * model.inputHeight() * model.inputWidth();
        int n = images.size();
        float[][] pixels = new float[n][];
        float[][] sums = new float[n][size];
        for (int i = 0; i < n; i++) {
            pixels[i] = images.get(i).toChw();
        }
        gradients(n * steps, (row, dst, off) -> {
            float[] x = pixels[row / steps];
            float alpha = (row % steps + 0.5f) / steps;
            for (int k = 0; k < size; k++) {
                dst[off + k] = baseline + alpha * (x[k] - baseline);
            }
        }, row -> classes[row / steps], (row, grad, off, logit) -> {
            float[] s = sums[row / steps];
            for (int k = 0; k < size; k++) {
                s[k] += grad[off + k];
            }
        });
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] a = sums[i];
            for (int k = 0; k < size; k++) {
                a[k] = (pixels[i][k] - baseline) * a[k] / steps;
            }
            out.add(a);
        }
        return out;
    }

    @Override
    protected List<SaliencyMap> compute(List<RgbImage> images, int[] classes) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        List<SaliencyMap> maps = new ArrayList<>(images.size());
        for (float[] a : raw(images, classes)) {
            float[] m = sumOverChannels(a, 0, h, w);
            if (absolute) {
                for (int k = 0; k < m.length; k++) {
                    m[k] = Math.abs(m[k]);
                }
            }
            maps.add(SaliencyMap.of(m, h, w));
        }
        return maps;
    }

    @Override
    void rawRows(int rows, io.neuromask.internal.Scoring.Rows source, java.util.function.IntUnaryOperator rowClass,
            RawSink sink) {
        int size = 3 * model.inputHeight() * model.inputWidth();
        java.util.Map<Integer, float[]> inputs = new java.util.HashMap<>();
        java.util.Map<Integer, float[]> sums = new java.util.HashMap<>();
        gradients(rows * steps, (row, dst, off) -> {
            float[] x = inputs.computeIfAbsent(row / steps, i -> {
                float[] buf = new float[size];
                source.fill(i, buf, 0);
                return buf;
            });
            float alpha = (row % steps + 0.5f) / steps;
            for (int k = 0; k < size; k++) {
                dst[off + k] = baseline + alpha * (x[k] - baseline);
            }
        }, row -> rowClass.applyAsInt(row / steps), (row, grad, off, logit) -> {
            int i = row / steps;
            float[] a = sums.computeIfAbsent(i, k -> new float[size]);
            for (int k = 0; k < size; k++) {
                a[k] += grad[off + k];
            }
            if (row % steps == steps - 1) {
                float[] x = inputs.remove(i);
                sums.remove(i);
                for (int k = 0; k < size; k++) {
                    a[k] = (x[k] - baseline) * a[k] / steps;
                }
                sink.accept(i, a, 0);
            }
        });
    }

    @Override
    float[] reduce(float[] chw, int offset) {
        float[] m = sumOverChannels(chw, offset, model.inputHeight(), model.inputWidth());
        if (absolute) {
            for (int k = 0; k < m.length; k++) {
                m[k] = Math.abs(m[k]);
            }
        }
        return m;
    }

    /** Configures {@link IntegratedGradients}. */
    public static final class Builder {
        private final Classifier model;
        private int steps = 32;
        private float baseline = 0f;
        private boolean absolute = false;
        private int batchSize = DEFAULT_BATCH_SIZE;

        private Builder(Classifier model) {
            this.model = java.util.Objects.requireNonNull(model, "model");
        }

        /** Path steps (default 32). */
        public Builder steps(int steps) {
            this.steps = Inputs.positive("Integrated Gradients steps", steps, "32 to 300 are usual");
            return this;
        }

        /** The constant baseline pixel value in [0, 1] (default 0, black). */
        public Builder baseline(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("Integrated Gradients baseline must be a pixel value in [0, 1], got "
                        + value + "; 0 is the black image");
            }
            this.baseline = (float) value;
            return this;
        }

        /** Whether the map is |channel sum| instead of the signed channel sum (default false). */
        public Builder absolute(boolean absolute) {
            this.absolute = absolute;
            return this;
        }

        /** Model inputs per forward/backward pass (default 64). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Inputs.positive("batchSize", batchSize, "it is the number of inputs per forward pass");
            return this;
        }

        public IntegratedGradients build() {
            return new IntegratedGradients(this);
        }
    }
}
