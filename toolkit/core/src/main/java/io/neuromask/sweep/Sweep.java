package io.neuromask.sweep;

import io.neuromask.Explanation;
import io.neuromask.Hyperparameters;
import io.neuromask.NeuroMask;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A grid of NeuroMask hyperparameters on one image: λ_sparse × λ_smooth × T, run as <b>one</b> batched
 * optimisation ({@link NeuroMask#explain(List, List, List)}; batching never changes a mask).
 *
 * <pre>{@code
 * SweepResult r = Sweep.over(image)
 *         .lambdaSparse(0.1, 0.35, 1)
 *         .lambdaSmooth(0.05, 0.15, 0.5)
 *         .temperature(0.3, 1, 3)
 *         .run(neuroMask);            // every other setting: neuroMask.hyperparameters()
 * Show.sweep(r);                       // or r.save(dir), r.table()
 * }</pre>
 *
 * <p>An axis that is not given holds the explainer's own value. The grid is the product of the axes in the order
 * λ_sparse, λ_smooth, T, the last varying fastest ({@link SweepResult#explanations()}).
 */
public final class Sweep {

    private final RgbImage image;
    private Target target = Target.predicted();
    private double[] lambdaSparse;
    private double[] lambdaSmooth;
    private double[] temperature;

    private Sweep(RgbImage image) {
        this.image = Objects.requireNonNull(image, "image");
    }

    /** Starts a sweep on one image (at the model's input size). */
    public static Sweep over(RgbImage image) {
        return new Sweep(image);
    }

    /** The class to explain (default: the one the model predicts). */
    public Sweep target(Target target) {
        this.target = Objects.requireNonNull(target, "target");
        return this;
    }

    /** The sparsity weights λ_sparse to try. */
    public Sweep lambdaSparse(double... values) {
        this.lambdaSparse = check(SweepResult.LAMBDA_SPARSE, values, false);
        return this;
    }

    /** The smoothness weights λ_smooth to try. */
    public Sweep lambdaSmooth(double... values) {
        this.lambdaSmooth = check(SweepResult.LAMBDA_SMOOTH, values, false);
        return this;
    }

    /** The sigmoid temperatures T to try. */
    public Sweep temperature(double... values) {
        this.temperature = check(SweepResult.TEMPERATURE, values, true);
        return this;
    }

    /** Number of cells of the grid so far (an axis not given counts as one value). */
    public int size() {
        return length(lambdaSparse) * length(lambdaSmooth) * length(temperature);
    }

    private static int length(double[] v) {
        return v == null ? 1 : v.length;
    }

    /**
     * Runs the grid with {@code explainer}'s model, seed, iterations and other settings, in batches of its batch
     * size.
     *
     * @throws IllegalStateException when the explainer's objective is not NeuroMask's
     */
    public SweepResult run(NeuroMask explainer) {
        Objects.requireNonNull(explainer, "explainer");
        Hyperparameters base = explainer.hyperparameters();
        double[] s = lambdaSparse != null ? lambdaSparse : new double[] {base.lambdaSparsity()};
        double[] k = lambdaSmooth != null ? lambdaSmooth : new double[] {base.lambdaSmoothness()};
        double[] t = temperature != null ? temperature : new double[] {base.temperature()};
        List<SweepResult.Axis> axes = List.of(new SweepResult.Axis(SweepResult.LAMBDA_SPARSE, s),
                new SweepResult.Axis(SweepResult.LAMBDA_SMOOTH, k), new SweepResult.Axis(SweepResult.TEMPERATURE, t));
        List<Hyperparameters> cells = new ArrayList<>(s.length * k.length * t.length);
        for (double a : s) {
            for (double b : k) {
                for (double c : t) {
                    cells.add(base.withLambdaSparsity(a).withLambdaSmoothness(b).withTemperature(c));
                }
            }
        }
        List<Explanation> out = explainer.explain(Collections.nCopies(cells.size(), image),
                Collections.nCopies(cells.size(), target), cells);
        return new SweepResult(axes, out);
    }

    private static double[] check(String axis, double[] values, boolean positive) {
        Objects.requireNonNull(values, axis);
        if (values.length == 0) {
            throw new IllegalArgumentException(axis + " needs at least one value; give e.g. " + axis + "(0.1, 0.35, 1)");
        }
        Set<Double> seen = new HashSet<>();
        for (double v : values) {
            if (!Double.isFinite(v) || v < 0 || (positive && v == 0)) {
                throw new IllegalArgumentException(axis + " values must be finite numbers " + (positive ? "> 0" : ">= 0")
                        + ", got " + v);
            }
            if (!seen.add(v)) {
                throw new IllegalArgumentException(axis + " lists " + v + " twice; give each value once");
            }
        }
        return values.clone();
    }
}
