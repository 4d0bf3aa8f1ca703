package io.neuromask.metrics;

import io.neuromask.attribution.ModelAttribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Inputs;
import io.neuromask.internal.Scoring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * ROAD, RemOve And Debias (Rong, Leemann, Nguyen, Fiedler, Rahimi, Kasneci, "A Consistent and Efficient Evaluation
 * Strategy for Attribution Methods", ICML 2022; reference implementation tleemann/road_evaluation), without
 * retraining: pixels are removed in the order of the map and filled in by {@link NoisyLinearImputer noisy linear
 * imputation}, whose fill-in hardly tells the model which pixels were removed, so that the curve measures the
 * information removed rather than the shape of the removal (the "class information leakage" of a constant fill).
 *
 * <ul>
 *   <li><b>MoRF</b> (most relevant first): the first pixels of {@link SaliencyMap#ranking()} are removed; a faithful
 *     map makes the target's probability fall fast, so a low area is better.</li>
 *   <li><b>LeRF</b> (least relevant first): the last pixels of the ranking are removed; a faithful map keeps the
 *     probability up, so a high area is better.</li>
 * </ul>
 *
 * <p>The removal fractions are deletion's ({@link DeletionInsertion}): {@code step = max(1, round(fraction · H·W))}
 * pixels more per step, from none to all, {@code ⌈H·W / step⌉ + 1} points; the score at each is the target class's
 * softmax probability, and the area is {@link DeletionInsertion#auc} (trapezoid rule over [0, 1]). So each curve
 * costs as many forward passes as deletion's (101 at the default 1 %), plus one imputation per point strictly between
 * none and all. The first point is the image itself; at the last every pixel is removed and the imputation is black
 * plus noise ({@link NoisyLinearImputer}). The reference evaluates the fractions 10 %, …, 90 % and reports accuracy
 * or probability per fraction; its LeRF at fraction p keeps the p most relevant pixels, i.e. removes 1 − p least
 * relevant ones, which the x-axis here (the fraction removed) counts from the other end.
 *
 * <p>Ties: pixels of equal value rank as {@link SaliencyMap#ranking()} says (the map's tie-break, then row-major), as
 * in deletion; the reference adds random noise of 10⁻⁴ to the min-max normalised map instead.
 *
 * <p>The imputation noise is drawn per image and point from a generator seeded by {@link #seed()}, the image's
 * pixels and the set of pixels removed: the same image and map score the same in any batch, chunk or run, and the
 * same pixels removed from the same image are imputed alike whichever order removed them. Consecutive points of a curve are solved starting from the previous one (the sets of removed pixels are
 * nested), which changes the result only within the solver's tolerance ({@link NoisyLinearImputer#TOLERANCE}).
 */
public final class Road {

    /** Per-image areas and curves of both orders. */
    public record Scores(double[] morf, double[] lerf, List<double[]> morfCurves, List<double[]> lerfCurves) {}

    /** The default seed of the imputation noise. */
    public static final long DEFAULT_SEED = 0x524F4144L; // "ROAD"

    private final Classifier model;
    private final double stepFraction;
    private final int batchSize;
    private final NoisyLinearImputer imputer;
    private final long seed;

    /** Deletion's default step fraction, the default batch size, the reference's noise, {@link #DEFAULT_SEED}. */
    public Road(Classifier model) {
        this(model, DeletionInsertion.DEFAULT_STEP_FRACTION, ModelAttribution.DEFAULT_BATCH_SIZE,
                new NoisyLinearImputer(), DEFAULT_SEED);
    }

    /**
     * @param stepFraction fraction of the pixels removed per step, in (0, 1] (deletion's; 0.01: 101 points)
     * @param batchSize model inputs per forward pass
     * @param imputer the imputation (its noise)
     * @param seed the seed of the imputation noise
     */
    public Road(Classifier model, double stepFraction, int batchSize, NoisyLinearImputer imputer, long seed) {
        this.model = Objects.requireNonNull(model, "model");
        if (!(stepFraction > 0 && stepFraction <= 1)) {
            throw new IllegalArgumentException("ROAD step fraction must be in (0, 1], got " + stepFraction
                    + "; 0.01 removes 1 % of the pixels per step, as deletion does");
        }
        this.stepFraction = stepFraction;
        this.batchSize = Inputs.positive("batchSize", batchSize, "it is the number of inputs per forward pass");
        this.imputer = Objects.requireNonNull(imputer, "imputer");
        this.seed = seed;
    }

    /** The fraction of the pixels removed per step. */
    public double stepFraction() {
        return stepFraction;
    }

    /** The seed of the imputation noise. */
    public long seed() {
        return seed;
    }

    /** Pixels removed per step for {@code pixels} pixels (deletion's rule). */
    public int step(int pixels) {
        return Math.max(1, (int) Math.round(stepFraction * pixels));
    }

    /** The number of points of a curve over {@code pixels} pixels: {@code ⌈pixels / step⌉ + 1}. */
    public int points(int pixels) {
        int step = step(pixels);
        return (pixels + step - 1) / step + 1;
    }

    /**
     * The pixels removed when {@code count} are: the first {@code count} of {@code ranking} (most relevant first) or
     * its last {@code count} (least relevant first).
     *
     * @return H·W flags, row-major
     */
    public static boolean[] removed(int[] ranking, int count, boolean mostRelevantFirst) {
        if (count < 0 || count > ranking.length) {
            throw new IllegalArgumentException("cannot remove " + count + " of " + ranking.length + " pixels");
        }
        boolean[] out = new boolean[ranking.length];
        for (int j = 0; j < count; j++) {
            out[ranking[mostRelevantFirst ? j : ranking.length - 1 - j]] = true;
        }
        return out;
    }

    /**
     * The image with {@code count} pixels removed in the map's order and imputed, as the curve scores it: the same
     * noise, and the same noise-free part within the solver's tolerance (solved here from scratch).
     */
    public float[] imputed(RgbImage image, SaliencyMap map, int count, boolean mostRelevantFirst) {
        int h = image.height();
        int w = image.width();
        if (map.height() != h || map.width() != w) {
            throw new IllegalArgumentException("the map is " + map.width() + "x" + map.height() + " but the image "
                    + w + "x" + h + "; resize it (map.resize(" + h + ", " + w + "))");
        }
        float[] chw = image.toChw();
        boolean[] removed = removed(map.ranking(), count, mostRelevantFirst);
        float[] out = NoisyLinearImputer.infill(chw, h, w, removed, null);
        imputer.addNoise(out, removed, noiseSeed(Arrays.hashCode(chw), removed));
        return out;
    }

    /**
     * Scores maps.
     *
     * @param images at the model's input size
     * @param maps one per image, at the model's input size
     * @param classes the class whose probability is tracked, per image
     */
    public Scores evaluate(List<RgbImage> images, List<SaliencyMap> maps, int[] classes) {
        Inputs.validate(model, images, maps, "maps", "ROAD");
        if (classes.length != images.size()) {
            throw new IllegalArgumentException("got " + images.size() + " images and " + classes.length + " classes");
        }
        int h = model.inputHeight();
        int w = model.inputWidth();
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).height() != h || maps.get(i).width() != w) {
                throw new IllegalArgumentException("map " + i + " is " + maps.get(i).width() + "x"
                        + maps.get(i).height() + " but the images are " + w + "x" + h + "; resize it (map.resize("
                        + h + ", " + w + "))");
            }
        }
        int n = images.size();
        int plane = h * w;
        int step = step(plane);
        int rows = points(plane);
        float[][] pixels = new float[n][];
        int[] hashes = new int[n];
        int[][] order = new int[n][];
        for (int i = 0; i < n; i++) {
            pixels[i] = images.get(i).toChw();
            hashes[i] = Arrays.hashCode(pixels[i]);
            order[i] = maps.get(i).ranking();
        }
        double[][] curves = new double[2][];
        for (int o = 0; o < 2; o++) {
            boolean morf = o == 0;
            Curve[] state = new Curve[n];
            float[] p = Scoring.probabilities(model, n * rows, (row, dst, off) -> {
                int i = row / rows;
                int count = Math.min(plane, (row % rows) * step);
                if (state[i] == null) {
                    state[i] = new Curve();
                }
                boolean[] removed = removed(order[i], count, morf);
                float[] x = state[i].image(imputer, pixels[i], h, w, removed, noiseSeed(hashes[i], removed));
                System.arraycopy(x, 0, dst, off, 3 * plane);
            }, row -> classes[row / rows], batchSize);
            curves[o] = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                curves[o][k] = p[k];
            }
        }
        double[] morf = new double[n];
        double[] lerf = new double[n];
        List<double[]> mc = new ArrayList<>();
        List<double[]> lc = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] m = Arrays.copyOfRange(curves[0], i * rows, (i + 1) * rows);
            double[] l = Arrays.copyOfRange(curves[1], i * rows, (i + 1) * rows);
            mc.add(m);
            lc.add(l);
            morf[i] = DeletionInsertion.auc(m);
            lerf[i] = DeletionInsertion.auc(l);
        }
        return new Scores(morf, lerf, mc, lc);
    }

    /**
     * The noise seed of one imputation: this ROAD's seed, the image and the set of pixels removed, so that the same
     * pixels of the same image are imputed alike whichever order or map removed them (both orders end on the same
     * image).
     */
    private long noiseSeed(int imageHash, boolean[] removed) {
        long z = mix(seed ^ 0x9E3779B97F4A7C15L);
        z = mix(z ^ imageHash);
        return mix(z ^ Arrays.hashCode(removed));
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One curve's last noise-free imputation, the start of the next (the removed sets are nested). */
    private static final class Curve {
        private float[] infilled;

        float[] image(NoisyLinearImputer imputer, float[] chw, int h, int w, boolean[] removed, long noiseSeed) {
            int count = 0;
            for (boolean r : removed) {
                count += r ? 1 : 0;
            }
            if (count == 0) {
                return chw;
            }
            infilled = NoisyLinearImputer.infill(chw, h, w, removed, infilled);
            float[] out = infilled.clone();
            imputer.addNoise(out, removed, noiseSeed);
            return out;
        }
    }
}
