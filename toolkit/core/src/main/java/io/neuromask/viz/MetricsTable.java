package io.neuromask.viz;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.Summary;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The result of {@link Evaluator#evaluate} as a table: one row per method, the mean of every metric and
 * the half-width of its 95 % interval, and the seconds per image; the metrics in the registry's order
 * ({@link Metrics#columns()}), and in HTML with their direction.
 */
public final class MetricsTable {

    private final Table table;

    private MetricsTable(Table table) {
        this.table = table;
    }

    /** Builds the table; metrics without values (e.g. localisation without boxes) are left out. */
    public static MetricsTable of(Evaluator.Report report) {
        Table t = Table.create(report.model() + " on " + report.data());
        StringColumn method = StringColumn.create("method");
        DoubleColumn seconds = DoubleColumn.create("time (s/image)");
        List<String> metrics = new ArrayList<>();
        // the registry's order, then any other metric of the report (e.g. one no longer registered)
        java.util.Set<String> known = new java.util.LinkedHashSet<>(Metrics.columns());
        report.methods().forEach(m -> known.addAll(m.metrics().keySet()));
        for (String key : known) {
            boolean any = report.methods().stream()
                    .anyMatch(m -> m.metrics().containsKey(key) && m.metrics().get(key).n() > 0);
            if (any) {
                metrics.add(key);
            }
        }
        List<DoubleColumn> means = new ArrayList<>();
        List<DoubleColumn> halves = new ArrayList<>();
        for (String m : metrics) {
            means.add(DoubleColumn.create(m));
            halves.add(DoubleColumn.create(m + " ±95%"));
        }
        for (Evaluator.MethodReport r : report.methods()) {
            method.append(r.method());
            seconds.append(r.secondsPerImage());
            for (int i = 0; i < metrics.size(); i++) {
                Summary s = r.metrics().get(metrics.get(i));
                means.get(i).append(s == null ? Double.NaN : s.mean());
                halves.get(i).append(s == null ? Double.NaN : s.halfWidth());
            }
        }
        t.addColumns(method, seconds);
        for (int i = 0; i < metrics.size(); i++) {
            t.addColumns(means.get(i), halves.get(i));
        }
        return new MetricsTable(t);
    }

    /** The Tablesaw table (a copy). */
    public Table table() {
        return table.copy();
    }

    /** An HTML {@code <table>}, each metric's heading with its direction ({@link Metrics#heading}: ↓ or ↑). */
    public String toHtml() {
        return HtmlTable.render(table, "neuromask-metrics", MetricsTable::heading);
    }

    /** {@code deletion_auc ↓} for {@code deletion_auc}, {@code deletion_auc ↓ ±95%} for its interval column. */
    private static String heading(String column) {
        String interval = " ±95%";
        return column.endsWith(interval)
                ? Metrics.heading(column.substring(0, column.length() - interval.length())) + interval
                : Metrics.heading(column);
    }

    @Override
    public String toString() {
        return table.print();
    }
}
