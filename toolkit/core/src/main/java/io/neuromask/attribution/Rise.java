package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import io.neuromask.base.RgbImage;
import io.neuromask.internal.Inputs;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * RISE (Petsiuk et al. 2018): {@code S = Σ_i P_target(x ⊙ M_i) · M_i / (N · p)} over {@code N} random
 * masks. Each mask is an {@code s×s} grid of Bernoulli(p) cells, upsampled bilinearly to
 * {@code (s + 1)·⌈H/s⌉} and cropped at a random shift, as in the authors' code. Masks are generated
 * chunk by chunk (never all held at once) from the seed, and the masked images run through the model
 * in chunked batches without gradients.
 *
 * <p>Defaults: N = 2000 for inputs larger than 64 px (the paper's ImageNet setting at 224), 500 for
 * CIFAR-sized ones; s = 7; p = 0.5.
 */
public final class Rise extends PerturbationAttribution {

    private final int masks;
    private final int cells;
    private final double probability;
    private final long seed;

    private Rise(Builder b) {
        super(b);
        this.masks = b.masks > 0 ? b.masks : Math.max(model.inputHeight(), model.inputWidth()) > 64 ? 2000 : 500;
        this.cells = b.cells;
        this.probability = b.probability;
        this.seed = b.seed;
        if (cells > Math.min(model.inputHeight(), model.inputWidth())) {
            throw new IllegalArgumentException("RISE grid of " + cells + " cells is finer than the image; use at most "
                    + Math.min(model.inputHeight(), model.inputWidth()) + " (7 is the paper's choice)");
        }
    }

    /** Defaults as in the class comment; seed 0; batch 64. */
    public static Builder builder(Classifier model) {
        return new Builder(model);
    }

    /** With the defaults. */
    public Rise(Classifier model) {
        this(builder(model));
    }

    @Override
    public String name() {
        return "rise";
    }

    public int masks() {
        return masks;
    }

    /** Mask {@code index} (H×W, row-major, values in [0, 1]); a pure function of the seed and the index. */
    float[] mask(int index) {
        return mask(model.inputHeight(), model.inputWidth(), cells, probability, new SplittableRandom(
                GradientAttribution.mix(seed, -1, index)));
    }

    static float[] mask(int h, int w, int s, double p, SplittableRandom random) {
        float[] grid = new float[s * s];
        for (int k = 0; k < grid.length; k++) {
            grid[k] = random.nextDouble() < p ? 1f : 0f;
        }
        int cellH = (h + s - 1) / s;
        int cellW = (w + s - 1) / s;
        int upH = (s + 1) * cellH;
        int upW = (s + 1) * cellW;
        int dy = random.nextInt(cellH);
        int dx = random.nextInt(cellW);
        float[] up = SaliencyMap.of(grid, s, s).resize(upH, upW).values();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(up, (y + dy) * upW + dx, out, y * w, w);
        }
        return out;
    }

    @Override
    protected List<SaliencyMap> compute(List<RgbImage> images, int[] classes) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        int plane = h * w;
        int n = images.size();
        float[][] pixels = pixels(images);
        double[][] sums = new double[n][plane];
        int chunk = Math.max(1, batchSize());
        for (int first = 0; first < masks; first += chunk) {
            int count = Math.min(chunk, masks - first);
            float[][] m = new float[count][];
            for (int j = 0; j < count; j++) {
                m[j] = mask(first + j);
            }
            float[] p = probabilities(n * count, (row, dst, off) -> {
                float[] x = pixels[row / count];
                float[] mk = m[row % count];
                for (int c = 0; c < 3; c++) {
                    for (int k = 0; k < plane; k++) {
                        dst[off + c * plane + k] = x[c * plane + k] * mk[k];
                    }
                }
            }, row -> classes[row / count]);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < count; j++) {
                    float weight = p[i * count + j];
                    double[] s = sums[i];
                    float[] mk = m[j];
                    for (int k = 0; k < plane; k++) {
                        s[k] += weight * mk[k];
                    }
                }
            }
        }
        List<SaliencyMap> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] s = sums[i];
            for (int k = 0; k < plane; k++) {
                s[k] /= masks * probability;
            }
            maps.add(SaliencyMap.of(s, h, w));
        }
        return maps;
    }

    /** Configures {@link Rise}. */
    public static final class Builder extends PerturbationAttribution.Builder<Builder> {
        private int masks;
        private int cells = 7;
        private double probability = 0.5;
        private long seed;

        private Builder(Classifier model) {
            super(model);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Number of random masks (default 2000 above 64 px, else 500). */
        public Builder masks(int masks) {
            this.masks = Inputs.positive("RISE masks", masks, "the paper uses 4000-8000 at 224 px; 500 suffice at 32");
            return this;
        }

        /** Grid cells per side (default 7). */
        public Builder cells(int cells) {
            this.cells = Inputs.positive("RISE cells", cells, "the paper uses 7");
            return this;
        }

        /** Probability that a cell is kept (default 0.5). */
        public Builder probability(double p) {
            this.probability = Inputs.openUnit("RISE keep probability", p, "the paper uses 0.5");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Rise build() {
            return new Rise(this);
        }
    }
}
