package io.neuromask.sweep;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.neuromask.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The masks of a {@link Sweep}: one {@link Explanation} per grid cell, the last axis varying fastest. Show it with
 * {@code Show.sweep(result)} in a notebook, tabulate it with {@link #table()}, write it with {@link #save(Path)}.
 */
public final class SweepResult {

    /** Axis name of the sparsity weight. */
    public static final String LAMBDA_SPARSE = "lambdaSparse";
    /** Axis name of the smoothness weight. */
    public static final String LAMBDA_SMOOTH = "lambdaSmooth";
    /** Axis name of the temperature. */
    public static final String TEMPERATURE = "temperature";

    /** The files {@link #save(Path)} writes. */
    public static final List<String> FILES = List.of("sweep.html", "sweep.json");

    /**
     * One swept hyperparameter.
     *
     * @param name {@link #LAMBDA_SPARSE}, {@link #LAMBDA_SMOOTH} or {@link #TEMPERATURE}
     * @param values the values tried, in order (a copy)
     */
    public record Axis(String name, List<Double> values) {
        Axis(String name, double[] values) {
            this(name, Arrays.stream(values).boxed().toList());
        }

        public Axis {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }

        /** The label pages and tables show: λ_sparse, λ_smooth, T. */
        public String label() {
            return switch (name) {
                case LAMBDA_SPARSE -> "λ_sparse";
                case LAMBDA_SMOOTH -> "λ_smooth";
                case TEMPERATURE -> "T";
                default -> name;
            };
        }
    }

    private final List<Axis> axes;
    private final List<Explanation> explanations;

    /**
     * A result from its axes and one explanation per cell (built by {@link Sweep#run}).
     *
     * @throws IllegalArgumentException when the number of explanations is not the product of the axis lengths
     */
    public SweepResult(List<Axis> axes, List<Explanation> explanations) {
        this.axes = List.copyOf(axes);
        this.explanations = List.copyOf(explanations);
        int cells = 1;
        for (Axis a : this.axes) {
            cells *= a.values().size();
        }
        if (cells != this.explanations.size()) {
            throw new IllegalArgumentException("a grid of " + cells + " cells needs " + cells + " explanations, got "
                    + this.explanations.size());
        }
    }

    /** The axes: λ_sparse, λ_smooth, T (single-valued ones included). */
    public List<Axis> axes() {
        return axes;
    }

    /** One explanation per cell, row-major: the last axis varies fastest. */
    public List<Explanation> explanations() {
        return explanations;
    }

    /** Number of cells. */
    public int size() {
        return explanations.size();
    }

    /**
     * The explanation at one index per axis.
     *
     * @throws IllegalArgumentException for the wrong number of indices or one out of range
     */
    public Explanation cell(int... index) {
        return explanations.get(flatIndex(index));
    }

    /** The row-major position of a cell in {@link #explanations()}. */
    public int flatIndex(int... index) {
        if (index.length != axes.size()) {
            throw new IllegalArgumentException("give one index per axis (" + axes.size() + "), got " + index.length);
        }
        int flat = 0;
        for (int a = 0; a < axes.size(); a++) {
            int n = axes.get(a).values().size();
            if (index[a] < 0 || index[a] >= n) {
                throw new IllegalArgumentException(axes.get(a).name() + " index " + index[a] + " is outside [0, "
                        + (n - 1) + "]");
            }
            flat = flat * n + index[a];
        }
        return flat;
    }

    /** The value of axis {@code axis} at cell {@code flat}. */
    public double value(int flat, int axis) {
        int stride = 1;
        for (int a = axes.size() - 1; a > axis; a--) {
            stride *= axes.get(a).values().size();
        }
        List<Double> v = axes.get(axis).values();
        return v.get((flat / stride) % v.size());
    }

    /** The last recorded loss of a cell (its terms and total). */
    static LossRecord finalLoss(Explanation e) {
        List<LossRecord> h = e.lossHistory();
        return h.get(h.size() - 1);
    }

    /**
     * A Tablesaw table, one row per cell: the axes, {@code mask area} (the mask mean), {@code p(target) masked},
     * {@code class kept}, the final {@code loss} and each final loss term by name.
     */
    public Table table() {
        Table t = Table.create("sweep");
        for (int a = 0; a < axes.size(); a++) {
            DoubleColumn c = DoubleColumn.create(axes.get(a).label());
            for (int i = 0; i < size(); i++) {
                c.append(value(i, a));
            }
            t.addColumns(c);
        }
        DoubleColumn area = DoubleColumn.create("mask area");
        DoubleColumn prob = DoubleColumn.create("p(target) masked");
        BooleanColumn kept = BooleanColumn.create("class kept");
        IntColumn iterations = IntColumn.create("iterations");
        DoubleColumn loss = DoubleColumn.create("loss");
        List<String> terms = explanations.get(0).objective().termNames();
        List<DoubleColumn> termColumns = new ArrayList<>();
        for (String name : terms) {
            termColumns.add(DoubleColumn.create(name));
        }
        for (Explanation e : explanations) {
            area.append(e.maskMean());
            prob.append(e.probabilityMasked());
            kept.append(e.classPreserved());
            iterations.append(e.iterations());
            LossRecord last = finalLoss(e);
            loss.append(last.total());
            for (int j = 0; j < terms.size(); j++) {
                termColumns.get(j).append(last.term(terms.get(j)));
            }
        }
        t.addColumns(area, prob, kept, iterations, loss);
        termColumns.forEach(t::addColumns);
        return t;
    }

    /** The interactive explorer: one self-contained HTML fragment ({@link SweepPage#fragment}). */
    public String toHtml() {
        return SweepPage.fragment(this);
    }

    /**
     * The numbers of every cell as JSON: the axes, and per cell its index, values, mask area, masked target
     * probability, whether the class is kept, the final loss and terms, and the SHA-256 of the mask image the
     * explorer embeds for it ({@code maskSha256}, over its {@code data:} URI; {@code maskLevels}: its colour
     * levels, see {@link SweepPage#masks}).
     */
    public String toJson() {
        return toJson(SweepPage.masks(this));
    }

    String toJson(SweepPage.Masks masks) {
        JsonObject o = new JsonObject();
        JsonArray ax = new JsonArray();
        for (Axis a : axes) {
            JsonObject j = new JsonObject();
            j.addProperty("name", a.name());
            j.addProperty("label", a.label());
            JsonArray values = new JsonArray();
            a.values().forEach(values::add);
            j.add("values", values);
            ax.add(j);
        }
        o.add("axes", ax);
        Explanation first = explanations.get(0);
        o.addProperty("model", first.model());
        o.addProperty("target", first.target());
        o.addProperty("targetLabel", first.targetLabel());
        o.addProperty("iterations", first.iterations());
        o.addProperty("seed", first.seed());
        o.addProperty("maskLevels", masks.levels());
        JsonArray cells = new JsonArray();
        for (int i = 0; i < size(); i++) {
            Explanation e = explanations.get(i);
            JsonObject c = new JsonObject();
            c.addProperty("index", i);
            JsonObject values = new JsonObject();
            for (int a = 0; a < axes.size(); a++) {
                values.addProperty(axes.get(a).name(), value(i, a));
            }
            c.add("values", values);
            c.addProperty("maskArea", e.maskMean());
            c.addProperty("probabilityMasked", e.probabilityMasked());
            c.addProperty("classKept", e.classPreserved());
            c.addProperty("predictedMasked", e.predictedMasked());
            LossRecord last = finalLoss(e);
            c.addProperty("loss", last.total());
            JsonObject terms = new JsonObject();
            last.terms().forEach(terms::addProperty);
            c.add("terms", terms);
            c.addProperty("maskSha256", SweepPage.sha256(masks.uris().get(i)));
            cells.add(c);
        }
        o.add("cells", cells);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o);
    }

    /**
     * Writes {@link #FILES} into {@code dir}: {@code sweep.html} (the explorer as a standalone page) and
     * {@code sweep.json} ({@link #toJson()}); each file atomically.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        SweepPage.Masks masks = SweepPage.masks(this);
        write(dir.resolve("sweep.json"), toJson(masks));
        write(dir.resolve("sweep.html"), SweepPage.standalone(this, masks));
    }

    static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        });
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SweepResult[").append(size()).append(" cells");
        for (Axis a : axes) {
            s.append(", ").append(a.label()).append(' ').append(a.values());
        }
        return s.append(']').toString();
    }
}
