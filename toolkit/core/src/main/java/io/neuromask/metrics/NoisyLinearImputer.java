package io.neuromask.metrics;

import io.neuromask.internal.StencilSolver;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * ROAD's noisy linear imputation (Rong, Leemann, Nguyen, Fiedler, Rahimi, Kasneci, "A Consistent and Efficient
 * Evaluation Strategy for Attribution Methods", ICML 2022; reference implementation {@code NoisyLinearImputer} in
 * {@code road/imputations.py} of tleemann/road_evaluation). Removed pixels are filled in so that the fill-in carries
 * as little information about which pixels were removed as possible, unlike a constant colour whose shape the model
 * can read:
 *
 * <ol>
 *   <li>every removed pixel's value is the weighted mean of its 8 neighbours, weight 1/6 for the 4 direct and 1/12
 *     for the 4 diagonal ones (the reference's {@code neighbors_weights}), over the neighbours inside the image: the
 *     weighted sum divided by the sum of their weights (the reference's {@code sum_neighbors}). Kept pixels are
 *     fixed, removed neighbours are unknowns too: a sparse linear system in the removed pixels, one right-hand side
 *     per channel, symmetric positive definite whenever a pixel is kept (each 8-connected group of removed pixels
 *     then borders a kept one). The reference solves it directly ({@code scipy.sparse.linalg.spsolve}); here
 *     multigrid-preconditioned conjugate gradients solve it to a residual of at most {@link #TOLERANCE} per pixel,
 *     within about 10⁻⁵ of the exact solution (measured on 224×224 images), far below the noise;</li>
 *   <li>then Gaussian noise of standard deviation {@link #noise()} (the reference's default {@code noise=0.01}, in
 *     the units of the [0, 1] image before the model's normalisation, as the reference imputes before its
 *     {@code transform_test}) is added to every removed pixel and channel independently, drawn from a seeded
 *     generator so that the same image, pixels and seed give the same result.</li>
 * </ol>
 *
 * <p>When every pixel is removed the system has no fixed value and every constant image solves it; the fill-in is
 * then its minimum-norm solution, 0 (black, as deletion's last step), plus the noise. The reference leaves this case
 * undefined (ROAD's curves stop at 90 %).
 */
public final class NoisyLinearImputer {

    /** The reference's default noise standard deviation. */
    public static final double DEFAULT_NOISE = 0.01;

    /** Weight of a direct (4-connected) neighbour. */
    public static final double DIRECT_WEIGHT = 1.0 / 6;

    /** Weight of a diagonal neighbour. */
    public static final double DIAGONAL_WEIGHT = 1.0 / 12;

    /**
     * Largest residual per removed pixel at which the solve stops, relative to its weight sum: the change a further
     * Jacobi sweep would make to that pixel's value, in [0, 1] image units.
     */
    public static final double TOLERANCE = 1e-6;

    /** The weights of the 8 neighbours, in {@link StencilSolver}'s order. */
    private static final double[] WEIGHT = new double[8];

    static {
        for (int k = 0; k < 8; k++) {
            WEIGHT[k] = StencilSolver.dy(k) == 0 || StencilSolver.dx(k) == 0 ? DIRECT_WEIGHT : DIAGONAL_WEIGHT;
        }
    }

    private final double noise;

    /** The reference's noise ({@value #DEFAULT_NOISE}). */
    public NoisyLinearImputer() {
        this(DEFAULT_NOISE);
    }

    /**
     * @param noise the standard deviation of the noise added to the imputed values, ≥ 0 (0: the plain linear
     *     imputation)
     */
    public NoisyLinearImputer(double noise) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("imputation noise must be a finite standard deviation >= 0, got "
                    + noise + "; ROAD uses " + DEFAULT_NOISE + " (0 imputes without noise)");
        }
        this.noise = noise;
    }

    /** The standard deviation of the noise added to the imputed values. */
    public double noise() {
        return noise;
    }

    /**
     * The image with its removed pixels imputed: {@link #infill} plus the seeded noise on every removed pixel and
     * channel (drawn in channel-major, then row-major order).
     *
     * @param chw the image, 3·H·W values, channel-major
     * @param removed H·W flags, row-major: true where the pixel is removed
     * @param seed the noise's seed
     */
    public float[] impute(float[] chw, int h, int w, boolean[] removed, long seed) {
        float[] out = infill(chw, h, w, removed, null);
        addNoise(out, removed, seed);
        return out;
    }

    /**
     * Adds this imputer's noise to the removed pixels of an infilled image, in place: one draw per removed pixel and
     * channel, channel-major, then row-major, from a {@link SplittableRandom} of {@code seed}.
     */
    public void addNoise(float[] chw, boolean[] removed, long seed) {
        int plane = removed.length;
        if (chw.length != 3 * plane) {
            throw new IllegalArgumentException("the image has " + chw.length + " values but the removal mask "
                    + plane + " pixels; give 3 values per pixel (CHW)");
        }
        if (noise == 0) {
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                if (removed[p]) {
                    chw[c * plane + p] += (float) (noise * random.nextGaussian());
                }
            }
        }
    }

    /**
     * The noise-free linear imputation: the kept pixels as they are, every removed pixel the weighted mean of its
     * in-image neighbours (the solution of the linear system; 0 when every pixel is removed).
     *
     * @param chw the image, 3·H·W values, channel-major
     * @param removed H·W flags, row-major: true where the pixel is removed
     * @param guess null, or 3·H·W values whose removed pixels start the iteration (e.g. the imputation of a subset
     *     of these pixels); only the speed depends on it
     * @return a new array, 3·H·W values
     */
    public static float[] infill(float[] chw, int h, int w, boolean[] removed, float[] guess) {
        return infill(chw, h, w, removed, guess, TOLERANCE);
    }

    /** {@link #infill(float[], int, int, boolean[], float[])} to another tolerance (tests compare with a tight one). */
    static float[] infill(float[] chw, int h, int w, boolean[] removed, float[] guess, double tolerance) {
        Objects.requireNonNull(chw, "chw");
        Objects.requireNonNull(removed, "removed");
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + w + "x" + h);
        }
        int plane = h * w;
        if (removed.length != plane || chw.length != 3 * plane) {
            throw new IllegalArgumentException("a " + w + "x" + h + " image needs " + 3 * plane + " values and "
                    + plane + " removal flags, got " + chw.length + " and " + removed.length);
        }
        if (guess != null && guess.length != chw.length) {
            throw new IllegalArgumentException("the starting guess has " + guess.length + " values; give "
                    + chw.length + " (CHW) or null");
        }
        float[] out = chw.clone();
        int n = 0;
        for (boolean r : removed) {
            n += r ? 1 : 0;
        }
        if (n == 0) {
            return out;
        }
        if (n == plane) {
            java.util.Arrays.fill(out, 0f);
            return out;
        }
        // the system A x = b on the removed pixels: A[p][p] = d, the sum of the weights of p's in-image
        // neighbours, A[p][q] = -weight for a removed neighbour q; b[p] = the weighted sum of its kept neighbours
        double[] coef = new double[9 * plane];
        double[] b = new double[3 * plane];
        double[] x = new double[3 * plane];
        for (int p = 0; p < plane; p++) {
            if (!removed[p]) {
                continue;
            }
            int y = p / w;
            int col = p % w;
            double d = 0;
            for (int k = 0; k < 8; k++) {
                int ny = y + StencilSolver.dy(k);
                int nx = col + StencilSolver.dx(k);
                if (ny < 0 || ny >= h || nx < 0 || nx >= w) {
                    continue;
                }
                double weight = WEIGHT[k];
                d += weight;
                int q = ny * w + nx;
                if (removed[q]) {
                    coef[9 * p + k] = -weight;
                } else {
                    for (int c = 0; c < 3; c++) {
                        b[3 * p + c] += weight * chw[c * plane + q];
                    }
                }
            }
            coef[9 * p + StencilSolver.CENTRE] = d;
            if (guess != null) {
                for (int c = 0; c < 3; c++) {
                    x[3 * p + c] = guess[c * plane + p];
                }
            }
        }
        StencilSolver.solve(h, w, removed, coef, b, x, tolerance);
        for (int p = 0; p < plane; p++) {
            if (removed[p]) {
                for (int c = 0; c < 3; c++) {
                    out[c * plane + p] = (float) x[3 * p + c];
                }
            }
        }
        return out;
    }
}
