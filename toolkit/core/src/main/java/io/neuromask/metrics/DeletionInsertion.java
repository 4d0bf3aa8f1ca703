package io.neuromask.metrics;

import io.neuromask.base.RgbImage;
import io.neuromask.attribution.ModelAttribution;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.GaussianBlur;
import io.neuromask.internal.Inputs;
import io.neuromask.internal.Scoring;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletion and insertion AUC, the protocol of RISE (Petsiuk et al. 2018, {@code CausalMetric}).
 *
 * <p>Pixels are ranked by decreasing saliency ({@link SaliencyMap#ranking()}: equal values by the map's
 * tie-break when it has one, then by row-major order). Deletion starts from the image
 * and sets {@code step} pixels (all channels) to 0 per step, most salient first; insertion starts from a
 * blurred copy (Gaussian, 11×11 kernel, σ = 5, zero padding like the authors' {@code conv2d}) and puts
 * the original pixels back in the same order. After each step, and before the first, the score is the
 * target class's softmax probability; {@code step = max(1, round(fraction · H·W))}, so there are
 * {@code ⌈H·W / step⌉ + 1} scores. The area is the trapezoid rule over an x-axis normalised to [0, 1]
 * (see {@link #auc}). A good map has a low deletion and a high insertion AUC.
 *
 * <p>All step images of a batch of images run through the model in chunks, without gradients.
 */
public final class DeletionInsertion {

    /** Per-image results. */
    public record Scores(double[] deletion, double[] insertion, List<double[]> deletionCurves,
            List<double[]> insertionCurves) {}

    /** Default fraction of the pixels changed per step (1 %: 101 scores per curve). */
    public static final double DEFAULT_STEP_FRACTION = 0.01;

    private final Classifier model;
    private final double stepFraction;
    private final int batchSize;

    public DeletionInsertion(Classifier model) {
        this(model, DEFAULT_STEP_FRACTION, ModelAttribution.DEFAULT_BATCH_SIZE);
    }

    /**
     * @param stepFraction fraction of the pixels per step, in (0, 1] (RISE used 224 px of 224², i.e. 1/224)
     */
    public DeletionInsertion(Classifier model, double stepFraction, int batchSize) {
        this.model = java.util.Objects.requireNonNull(model, "model");
        if (!(stepFraction > 0 && stepFraction <= 1)) {
            throw new IllegalArgumentException("deletion/insertion step fraction must be in (0, 1], got " + stepFraction
                    + "; 0.01 changes 1 % of the pixels per step");
        }
        this.stepFraction = stepFraction;
        this.batchSize = Inputs.positive("batchSize", batchSize, "it is the number of inputs per forward pass");
    }

    /** The fraction of the pixels changed per step, in (0, 1]. */
    public double stepFraction() {
        return stepFraction;
    }

    /** Pixels changed per step for {@code pixels} pixels. */
    public int step(int pixels) {
        return Math.max(1, (int) Math.round(stepFraction * pixels));
    }

    /**
     * Scores maps.
     *
     * @param classes the class whose probability is tracked, per image
     */
    public Scores evaluate(List<RgbImage> images, List<SaliencyMap> maps, int[] classes) {
        Inputs.validate(model, images, maps, "maps", "deletion/insertion");
        if (classes.length != images.size()) {
            throw new IllegalArgumentException("got " + images.size() + " images and " + classes.length + " classes");
        }
        int h = model.inputHeight();
        int w = model.inputWidth();
        int plane = h * w;
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).height() != h || maps.get(i).width() != w) {
                throw new IllegalArgumentException("map " + i + " is " + maps.get(i).width() + "x" + maps.get(i).height()
                        + " but the images are " + w + "x" + h + "; resize it (map.resize(" + h + ", " + w + "))");
            }
        }
        int step = step(plane);
        int rows = (plane + step - 1) / step + 1;
        int n = images.size();
        float[][] pixels = new float[n][];
        float[][] blurred = new float[n][];
        int[][] order = new int[n][];
        for (int i = 0; i < n; i++) {
            pixels[i] = images.get(i).toChw();
            blurred[i] = blur(pixels[i], h, w);
            order[i] = order(maps.get(i));
        }
        float[] del = Scoring.probabilities(model, n * rows, (row, dst, off) -> {
            int i = row / rows;
            System.arraycopy(pixels[i], 0, dst, off, 3 * plane);
            int changed = Math.min(plane, (row % rows) * step);
            for (int j = 0; j < changed; j++) {
                int p = order[i][j];
                dst[off + p] = 0;
                dst[off + plane + p] = 0;
                dst[off + 2 * plane + p] = 0;
            }
        }, row -> classes[row / rows], batchSize);
        float[] ins = Scoring.probabilities(model, n * rows, (row, dst, off) -> {
            int i = row / rows;
            System.arraycopy(blurred[i], 0, dst, off, 3 * plane);
            int changed = Math.min(plane, (row % rows) * step);
            float[] x = pixels[i];
            for (int j = 0; j < changed; j++) {
                int p = order[i][j];
                dst[off + p] = x[p];
                dst[off + plane + p] = x[plane + p];
                dst[off + 2 * plane + p] = x[2 * plane + p];
            }
        }, row -> classes[row / rows], batchSize);
        double[] da = new double[n];
        double[] ia = new double[n];
        List<double[]> dc = new ArrayList<>();
        List<double[]> ic = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] d = new double[rows];
            double[] c = new double[rows];
            for (int k = 0; k < rows; k++) {
                d[k] = del[i * rows + k];
                c[k] = ins[i * rows + k];
            }
            dc.add(d);
            ic.add(c);
            da[i] = auc(d);
            ia[i] = auc(c);
        }
        return new Scores(da, ia, dc, ic);
    }

    /**
     * The trapezoid-rule area under scores taken at evenly spaced points of [0, 1]:
     * {@code (Σ s − s₀/2 − s_last/2) / (n − 1)}, as in RISE's {@code auc}. In [0, 1] for scores in [0, 1].
     */
    public static double auc(double[] scores) {
        if (scores.length < 2) {
            throw new IllegalArgumentException("an AUC needs at least 2 points, got " + scores.length);
        }
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return (sum - scores[0] / 2 - scores[scores.length - 1] / 2) / (scores.length - 1);
    }

    /**
     * The order in which pixels are deleted and inserted: {@link SaliencyMap#ranking()}, i.e. pixel indices
     * (row-major) by decreasing saliency, equal values by the map's tie-break when it has one, then in row-major
     * order.
     */
    public static int[] order(SaliencyMap map) {
        return map.ranking();
    }

    /**
     * The insertion start: each channel convolved with an 11-tap, σ = 5 Gaussian (normalised), zero padding
     * ({@link GaussianBlur#insertionStart}, which NeuroMask's blurred baseline shares).
     */
    public static float[] blur(float[] chw, int h, int w) {
        return GaussianBlur.insertionStart(chw, h, w);
    }
}
