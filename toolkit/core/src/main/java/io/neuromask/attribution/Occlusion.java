package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import io.neuromask.base.RgbImage;
import io.neuromask.internal.Inputs;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Occlusion (Zeiler and Fergus 2014): a square patch of constant value slides over the image; each
 * pixel's saliency is the mean drop of the target's softmax probability over the windows that cover
 * it (Captum's averaging). Signed: a negative value means hiding the pixel raised the probability.
 *
 * <p>Defaults are relative to the image size: patch = 1/8 of the shorter side (4 px at 32, 28 px at
 * 224), stride = half the patch; the last window always touches the right and bottom edges. No
 * gradients; the occluded images run through the model in chunked batches.
 */
public final class Occlusion extends PerturbationAttribution {

    private final int patch;
    private final int stride;
    private final float fill;

    private Occlusion(Builder b) {
        super(b);
        int side = Math.min(model.inputHeight(), model.inputWidth());
        this.patch = b.patch > 0 ? b.patch : Math.max(1, Math.round(side / 8f));
        this.stride = b.stride > 0 ? b.stride : Math.max(1, patch / 2);
        if (patch > side) {
            throw new IllegalArgumentException("occlusion patch " + patch + " is larger than the " + side
                    + " px image side; choose a patch of at most " + side);
        }
        this.fill = b.fill;
    }

    /** Defaults: patch 1/8 of the image side, stride patch/2, fill 0 (black), batch 64. */
    public static Builder builder(Classifier model) {
        return new Builder(model);
    }

    /** With the defaults. */
    public Occlusion(Classifier model) {
        this(builder(model));
    }

    @Override
    public String name() {
        return "occlusion";
    }

    public int patch() {
        return patch;
    }

    public int stride() {
        return stride;
    }

    /** Window start positions along a side of {@code length} pixels. */
    static int[] starts(int length, int patch, int stride) {
        List<Integer> s = new ArrayList<>();
        for (int p = 0; p + patch <= length; p += stride) {
            s.add(p);
        }
        if (s.get(s.size() - 1) + patch < length) {
            s.add(length - patch);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected List<SaliencyMap> compute(List<RgbImage> images, int[] classes) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        int[] ys = starts(h, patch, stride);
        int[] xs = starts(w, patch, stride);
        int windows = ys.length * xs.length;
        int n = images.size();
        float[][] pixels = pixels(images);
        float[] base = probabilities(n, (row, dst, off) -> System.arraycopy(pixels[row], 0, dst, off,
                pixels[row].length), row -> classes[row]);
        float[] occluded = probabilities(n * windows, (row, dst, off) -> {
            float[] x = pixels[row / windows];
            System.arraycopy(x, 0, dst, off, x.length);
            int win = row % windows;
            int y0 = ys[win / xs.length];
            int x0 = xs[win % xs.length];
            for (int c = 0; c < 3; c++) {
                for (int y = y0; y < y0 + patch; y++) {
                    java.util.Arrays.fill(dst, off + (c * h + y) * w + x0, off + (c * h + y) * w + x0 + patch, fill);
                }
            }
        }, row -> classes[row / windows]);
        List<SaliencyMap> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] sum = new double[h * w];
            int[] count = new int[h * w];
            for (int win = 0; win < windows; win++) {
                double drop = base[i] - occluded[i * windows + win];
                int y0 = ys[win / xs.length];
                int x0 = xs[win % xs.length];
                for (int y = y0; y < y0 + patch; y++) {
                    for (int x = x0; x < x0 + patch; x++) {
                        sum[y * w + x] += drop;
                        count[y * w + x]++;
                    }
                }
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] = count[k] > 0 ? sum[k] / count[k] : 0;
            }
            maps.add(SaliencyMap.of(sum, h, w));
        }
        return maps;
    }

    /** Configures {@link Occlusion}. */
    public static final class Builder extends PerturbationAttribution.Builder<Builder> {
        private int patch;
        private int stride;
        private float fill;

        private Builder(Classifier model) {
            super(model);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Patch side in pixels (default 1/8 of the shorter image side). */
        public Builder patch(int pixels) {
            this.patch = Inputs.positive("occlusion patch", pixels, "a patch of 1/8 of the image side is usual");
            return this;
        }

        /** Stride in pixels (default half the patch). */
        public Builder stride(int pixels) {
            this.stride = Inputs.positive("occlusion stride", pixels, "half the patch is usual");
            return this;
        }

        /** The value written into the patch, in [0, 1] (default 0). */
        public Builder fill(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("occlusion fill must be a pixel value in [0, 1], got " + value);
            }
            this.fill = (float) value;
            return this;
        }

        public Occlusion build() {
            return new Occlusion(this);
        }
    }
}
