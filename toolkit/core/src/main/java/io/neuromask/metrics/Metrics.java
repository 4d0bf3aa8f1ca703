package io.neuromask.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The registry of {@link Metric}s: what {@code neuromask evaluate}, its results file, Spark's explain job and
 * summary, and the tables and charts of {@code viz} report, in this order:
 *
 * <ol>
 *   <li>the built-ins ({@link #builtIns()}): {@code deletion_auc}, {@code insertion_auc}, {@code road_morf_auc},
 *     {@code road_lerf_auc}, {@code pointing_game}, {@code energy_pointing_game}, {@code max_box_acc},
 *     {@code max_box_acc_v2}, {@code gini}, {@code class_preserved}, {@code mask_area};</li>
 *   <li>extensions found by {@link ServiceLoader}, by name: a {@code provides io.neuromask.metrics.Metric with ...}
 *     clause of a module on the module path, or a line naming the class in
 *     {@code META-INF/services/io.neuromask.metrics.Metric} on the class path (the class loader of this class and
 *     the thread's context class loader, e.g. a notebook kernel's);</li>
 *   <li>metrics {@link #register registered} by the program (a notebook), in the order registered.</li>
 * </ol>
 *
 * <p>Names are unique across all of them, including the {@code _raster} columns of the metrics that rank pixels
 * and the record keys of {@link SetMetric}s. Extensions are loaded once, on first use; a broken or clashing
 * extension fails that use with an {@link IllegalStateException} naming its class.
 */
public final class Metrics {

    private Metrics() {}

    /** MaxBoxAcc's name: {@link Evaluator.MethodReport#maxBoxAccThreshold()} is the threshold it chose. */
    public static final String MAX_BOX_ACC = "max_box_acc";

    /** A name: lower-case letters, digits and underscores, starting with a letter. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /** Keys a results line uses for itself. */
    private static final Set<String> RESERVED = Set.of("type", "method", "image", "id", "class", "seconds");

    private static List<Metric> extensions;
    private static final List<Metric> REGISTERED = new ArrayList<>();

    /** The built-in metrics, in the order of evaluate's columns. */
    public static List<Metric> builtIns() {
        return BuiltInMetrics.ALL;
    }

    /** Every metric: the built-ins, the extensions found by {@link ServiceLoader}, then the registered ones. */
    public static synchronized List<Metric> all() {
        List<Metric> out = new ArrayList<>(builtIns());
        out.addAll(extensions());
        out.addAll(REGISTERED);
        return List.copyOf(out);
    }

    /** The names of {@link #all()}, in order. */
    public static List<String> names() {
        return all().stream().map(Metric::name).toList();
    }

    /** The metric of that name, if there is one. */
    public static Optional<Metric> find(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * The metric of that name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Metric get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown metric '" + name + "'; known "
                + "metrics: " + String.join(", ", names())));
    }

    /**
     * The metrics a selection asks for, with the rest of their {@link Metric#group() groups} (metrics computed
     * together, e.g. {@code deletion_auc} brings {@code insertion_auc}), in the registry's order ({@link #all()}).
     * Names are trimmed and lower-cased; repeats are ignored.
     *
     * @param names metric names ({@link #names()}), e.g. {@code List.of("deletion_auc", "pointing_game")}
     * @throws IllegalArgumentException when the selection is empty or names an unknown metric (a {@code _raster}
     *     column or a {@link SetMetric}'s record key is named as such, with the metric to select instead), listing
     *     the known ones
     */
    public static List<Metric> select(java.util.Collection<String> names) {
        List<Metric> all = all();
        Set<String> groups = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw == null ? "" : raw.trim().toLowerCase(java.util.Locale.ROOT);
            Metric m = all.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (m == null) {
                throw new IllegalArgumentException(unknown(raw, name, all));
            }
            groups.add(m.group());
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no metric selected; name at least one of: "
                    + String.join(", ", all.stream().map(Metric::name).toList()));
        }
        return all.stream().filter(m -> groups.contains(m.group())).toList();
    }

    /** Why {@code name} selects no metric, and which names do. */
    private static String unknown(String raw, String name, List<Metric> all) {
        String known = "; choose from " + String.join(", ", all.stream().map(Metric::name).toList());
        for (Metric m : all) {
            if (m.ranksPixels() && !(m instanceof SetMetric) && Metric.rasterName(m.name()).equals(name)) {
                return "'" + raw + "' is not a metric but the _raster column of " + m.name() + " (reported beside it "
                        + "when ranking by tie-breaks): select " + m.name() + known;
            }
            if (m instanceof SetMetric s && s.recordName().equals(name)) {
                return "'" + raw + "' is not a metric but the per-image record of " + m.name() + ": select "
                        + m.name() + known;
            }
        }
        return "unknown metric '" + raw + "'" + known;
    }

    /**
     * The columns of a report ({@link Evaluator.MethodReport#metrics()}) in order: every metric's name, then the
     * {@code _raster} column of each that {@link Metric#ranksPixels() ranks pixels}.
     */
    public static List<String> columns() {
        List<String> out = new ArrayList<>();
        List<Metric> all = all();
        all.forEach(m -> out.add(m.name()));
        for (Metric m : all) {
            if (m.ranksPixels() && !(m instanceof SetMetric)) {
                out.add(Metric.rasterName(m.name()));
            }
        }
        return out;
    }

    /** The metric of a report column: the metric of that name, or whose {@code _raster} column it is. */
    public static Optional<Metric> ofColumn(String column) {
        for (Metric m : all()) {
            if (m.name().equals(column) || (m.ranksPixels() && !(m instanceof SetMetric)
                    && Metric.rasterName(m.name()).equals(column))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * A column's heading: its name and its metric's {@link Metric.Direction#arrow() arrow}, e.g.
     * {@code deletion_auc ↓}; the name alone for a column of no registered metric.
     */
    public static String heading(String column) {
        return ofColumn(column).map(m -> column + " " + m.direction().arrow()).orElse(column);
    }

    /**
     * Adds a metric for the rest of this JVM's life (or until {@link #unregister}), after the built-ins and the
     * extensions; evaluations started afterwards report it.
     *
     * @throws IllegalArgumentException when its name (or its {@code _raster} column, or its record key) is not a
     *     valid name or is taken, naming the one that has it
     */
    public static synchronized void register(Metric metric) {
        List<Metric> now = new ArrayList<>(all());
        check(metric, now, "registered");
        REGISTERED.add(metric);
    }

    /**
     * Removes a metric that {@link #register} added.
     *
     * @return whether there was one of that name
     * @throws IllegalArgumentException for a built-in or an extension, which cannot be removed
     */
    public static synchronized boolean unregister(String name) {
        if (builtIns().stream().anyMatch(m -> m.name().equals(name))
                || extensions().stream().anyMatch(m -> m.name().equals(name))) {
            throw new IllegalArgumentException("metric '" + name + "' is " + (builtIns().stream()
                    .anyMatch(m -> m.name().equals(name)) ? "built in" : "an extension found on the class or module "
                    + "path") + "; only metrics added with Metrics.register can be removed");
        }
        return REGISTERED.removeIf(m -> m.name().equals(name));
    }

    /** The extensions, loaded on first use. */
    private static synchronized List<Metric> extensions() {
        if (extensions == null) {
            List<Metric> found = new ArrayList<>(io.neuromask.internal.Registry.load(Metric.class));
            found.sort(Comparator.comparing(Metric::name));
            List<Metric> known = new ArrayList<>(builtIns());
            for (Metric m : found) {
                try {
                    check(m, known, "an extension");
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("metric extension " + m.getClass().getName() + ": "
                            + e.getMessage(), e);
                }
                known.add(m);
            }
            extensions = List.copyOf(found);
        }
        return extensions;
    }

    /** The columns a metric takes: its name, its {@code _raster} column, its record key. */
    private static List<String> columns(Metric m) {
        List<String> out = new ArrayList<>();
        out.add(m.name());
        if (m.ranksPixels() && !(m instanceof SetMetric)) {
            out.add(Metric.rasterName(m.name()));
        }
        if (m instanceof SetMetric s) {
            out.add(s.recordName());
        }
        return out;
    }

    private static void check(Metric metric, List<Metric> known, String what) {
        if (metric == null || metric.name() == null) {
            throw new IllegalArgumentException("a metric needs a name");
        }
        for (String c : columns(metric)) {
            if (c == null || !NAME.matcher(c).matches()) {
                throw new IllegalArgumentException("metric name '" + c + "' is not valid: use lower-case letters, "
                        + "digits and _, starting with a letter (e.g. deletion_auc)");
            }
            if (RESERVED.contains(c)) {
                throw new IllegalArgumentException("metric name '" + c + "' is a key of every results line ("
                        + String.join(", ", new LinkedHashSet<>(RESERVED)) + "); choose another");
            }
            for (Metric k : known) {
                if (columns(k).contains(c)) {
                    throw new IllegalArgumentException("metric name '" + c + "' of the " + what + " metric "
                            + metric.getClass().getName() + " is taken by " + (builtIns().contains(k) ? "the built-in"
                            : "the") + " metric " + k.name() + " (" + k.getClass().getName() + "); choose another");
                }
            }
        }
        if (metric.direction() == null || metric.category() == null || metric.needs() == null) {
            throw new IllegalArgumentException("metric " + metric.name() + " must give its direction, category and "
                    + "needs");
        }
    }
}
