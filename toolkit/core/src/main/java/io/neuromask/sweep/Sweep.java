package io.neuromask.sweep;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.SettingSpec;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A grid of objective settings on one image (NeuroMask's λ_sparse × λ_smooth × T, or any numeric setting of any
 * objective), run as <b>one</b> batched optimisation ({@link MaskEngine#explain(List, List, List)}; batching never changes a mask).
 *
 * <pre>{@code
 * SweepResult r = Sweep.over(image)
 *         .lambdaSparse(0.1, 0.35, 1)
 *         .lambdaSmooth(0.05, 0.15, 0.5)
 *         .temperature(0.3, 1, 3)
 *         .run(neuroMask);            // every other setting: the explainer's objective()
 * Show.sweep(r);                       // or r.save(dir), r.table()
 * }</pre>
 *
 * <p>Any numeric setting of any objective is an axis too ({@link #axis}, named as its {@link SettingSpec}):
 * <pre>{@code
 * Sweep.over(image).axis("areas", ...)            // not numeric: refused
 * Sweep.over(image).axis("step", 3, 5, 7).axis("sigma", 10, 21).run(extremalExplainer);
 * }</pre>
 *
 * <p>An axis that is not given holds the explainer's own value. The grid is the product of the axes, the last
 * varying fastest ({@link SweepResult#explanations()}): for NeuroMask's objective λ_sparse, λ_smooth and T always
 * come first (each at the explainer's value unless given), then the other axes in the order given.
 */
public final class Sweep {

    private final RgbImage image;
    private Target target = Target.predicted();
    private double[] lambdaSparse;
    private double[] lambdaSmooth;
    private double[] temperature;
    private final Map<String, double[]> settings = new LinkedHashMap<>();

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

    /**
     * Values to try of any numeric setting of the explainer's objective, named as {@code --set} and
     * explanation.json name it ({@link SettingSpec#name()}); checked against the objective when the sweep runs.
     *
     * @throws IllegalArgumentException for no values, a value twice or a non-finite value
     */
    public Sweep axis(String setting, double... values) {
        Objects.requireNonNull(setting, "setting");
        Set<Double> seen = new HashSet<>();
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("axis " + setting + " needs at least one value");
        }
        for (double v : values) {
            if (!Double.isFinite(v) || !seen.add(v)) {
                throw new IllegalArgumentException("axis " + setting + ": values must be finite and distinct, got " + v);
            }
        }
        settings.put(setting.trim(), values.clone());
        return this;
    }

    /** Number of cells of the grid so far (an axis not given counts as one value). */
    public int size() {
        int n = length(lambdaSparse) * length(lambdaSmooth) * length(temperature);
        for (double[] v : settings.values()) {
            n *= v.length;
        }
        return n;
    }

    private static int length(double[] v) {
        return v == null ? 1 : v.length;
    }

    /**
     * Runs the grid with {@code explainer}'s model, seed, iterations and other settings, in batches of its batch
     * size.
     *
     * @throws IllegalStateException when λ_sparse, λ_smooth or T are given and the explainer's objective is not
     *     NeuroMask's
     * @throws IllegalArgumentException when an {@link #axis} is not a numeric setting of the objective, or a value is
     *     out of its range
     */
    public SweepResult run(MaskEngine explainer) {
        Objects.requireNonNull(explainer, "explainer");
        MaskObjective<?> objective = explainer.objective();
        List<SweepResult.Axis> axes = new ArrayList<>();
        List<MaskObjective<?>> cells = new ArrayList<>();
        if (objective instanceof NeuroMaskObjective base) {
            double[] s = lambdaSparse != null ? lambdaSparse : new double[] {base.lambdaSparsity()};
            double[] k = lambdaSmooth != null ? lambdaSmooth : new double[] {base.lambdaSmoothness()};
            double[] t = temperature != null ? temperature : new double[] {base.temperature()};
            axes.addAll(List.of(new SweepResult.Axis(SweepResult.LAMBDA_SPARSE, s),
                    new SweepResult.Axis(SweepResult.LAMBDA_SMOOTH, k),
                    new SweepResult.Axis(SweepResult.TEMPERATURE, t)));
            for (double a : s) {
                for (double b : k) {
                    for (double c : t) {
                        cells.add(base.withLambdaSparsity(a).withLambdaSmoothness(b).withTemperature(c));
                    }
                }
            }
        } else if (lambdaSparse != null || lambdaSmooth != null || temperature != null) {
            throw new IllegalStateException("λ_sparse, λ_smooth and T are NeuroMask's; the explainer's objective is "
                    + objective.name() + ": sweep its settings with axis(name, values)");
        } else {
            cells.add(objective);
        }
        Map<String, SettingSpec> specs = new LinkedHashMap<>();
        for (SettingSpec spec : SettingSpec.of(objective)) {
            specs.put(spec.name(), spec);
        }
        for (Map.Entry<String, double[]> axis : settings.entrySet()) {
            SettingSpec spec = specs.get(axis.getKey());
            if (spec == null || !(spec.type().equals("number") || spec.type().equals("integer"))) {
                throw new IllegalArgumentException("axis " + axis.getKey() + " is not a numeric setting of the "
                        + objective.name() + " objective; its numeric settings are " + String.join(", ",
                        specs.values().stream().filter(x -> x.type().equals("number") || x.type().equals("integer"))
                                .map(SettingSpec::name).toList()));
            }
            axes.add(new SweepResult.Axis(axis.getKey(), axis.getValue()));
            List<MaskObjective<?>> next = new ArrayList<>();
            for (MaskObjective<?> cell : cells) {
                for (double v : axis.getValue()) {
                    next.add(cell.withSetting(axis.getKey(), text(spec, v)));
                }
            }
            cells = next;
        }
        List<Explanation> out = explainer.explain(Collections.nCopies(cells.size(), image),
                Collections.nCopies(cells.size(), target), cells);
        return new SweepResult(axes, out);
    }

    private static String text(SettingSpec spec, double v) {
        if (spec.type().equals("integer")) {
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException("axis " + spec.name() + " takes integers, got " + v);
            }
            return Long.toString((long) v);
        }
        return Double.toString(v);
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
