package io.neuromask.viz;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Metric;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.ResultsFile;
import io.neuromask.metrics.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The metrics table of an evaluation report ({@link Evaluator.Report}, e.g. of a results file read back with
 * {@link ResultsFile}): per method its images, seconds per image, and the mean and 95 % t-interval of every
 * registered metric the report has values of, the best mean of each column marked, and the methods whose interval
 * overlaps the best's marked tied-best; beside it, when the report compares methods with {@code center} (the
 * localisation metrics, on images with boxes), the paired difference to {@code center}, marked where its interval
 * lies above 0. As Markdown ({@link #toMarkdown()}, what {@code neuromask results --markdown} prints and writes into
 * {@code docs/results.md}), plain text ({@link #toString()}) or HTML ({@link #toHtml()}, for notebooks).
 *
 * <p>A metric with no value anywhere is left out of the table and named under it: one that needs boxes when no image
 * has any, or one the results predate (registered after the file was written: resuming never computes it for the
 * images already recorded), or one its run did not compute ({@code evaluate --metrics}, see {@link #of(Evaluator.Report,
 * List)}). A method without a value in a column of the table shows "—". Means and bounds are
 * rounded to 3 decimals; the marks are decided on the exact values.
 *
 * <pre>{@code
 * Show.html(ResultsTable.read(Path.of("models/results/cifar10-resnet20-200.jsonl")).toHtml());
 * }</pre>
 */
public final class ResultsTable {

    /** How a cell compares with the best of its column. */
    public enum Mark {
        /** The best mean of the column (lowest for ↓, highest for ↑; every method at that mean). */
        BEST,
        /** Not the best, but its 95 % interval overlaps a best one's. */
        TIED_BEST,
        /** Neither, or no value. */
        NONE
    }

    private static final String MISSING = "—";

    private final Evaluator.Report report;
    private final List<String> columns;
    private final List<String> noBoxes;
    private final List<String> notRecorded;
    private final List<String> notSelected;
    private final List<String> selection;
    private final List<String> compared;

    private ResultsTable(Evaluator.Report report, List<String> selection) {
        this.selection = List.copyOf(selection);
        this.report = report;
        Set<String> keys = new LinkedHashSet<>();
        report.methods().forEach(m -> keys.addAll(m.metrics().keySet()));
        boolean anyBoxes = report.methods().stream().anyMatch(ResultsTable::hasBoxes);
        List<String> cols = new ArrayList<>();
        List<String> boxless = new ArrayList<>();
        List<String> unrecorded = new ArrayList<>();
        List<String> unselected = new ArrayList<>();
        for (String k : keys) {
            Optional<Metric> metric = Metrics.find(k);
            if (metric.isEmpty()) {
                continue; // a _raster column: the same maps without their tie-breaks
            }
            if (report.methods().stream().anyMatch(m -> value(m, k) != null)) {
                cols.add(k);
            } else if (!selection.isEmpty() && !selection.contains(k)) {
                unselected.add(k);
            } else if (!anyBoxes && needsBoxes(metric.get())) {
                boxless.add(k);
            } else {
                unrecorded.add(k);
            }
        }
        this.columns = List.copyOf(cols);
        this.noBoxes = List.copyOf(boxless);
        this.notRecorded = List.copyOf(unrecorded);
        this.notSelected = List.copyOf(unselected);
        List<String> vs = new ArrayList<>();
        for (String k : cols) {
            if (report.methods().stream().anyMatch(m -> difference(m, k) != null)) {
                vs.add(k);
            }
        }
        this.compared = List.copyOf(vs);
    }

    /** The table of a report. */
    public static ResultsTable of(Evaluator.Report report) {
        return of(report, List.of());
    }

    /**
     * The table of a report of a run restricted to some metrics ({@code evaluate --metrics},
     * {@link ResultsFile#metricSelection()}; empty: every metric): the metrics it left out are named as such.
     */
    public static ResultsTable of(Evaluator.Report report, List<String> selection) {
        return new ResultsTable(java.util.Objects.requireNonNull(report, "report"),
                java.util.Objects.requireNonNull(selection, "selection"));
    }

    /** The table of a results file: every method on every image it holds ({@link ResultsFile#report()}). */
    public static ResultsTable read(Path file) {
        ResultsFile f = ResultsFile.read(file);
        return of(f.report(), f.metricSelection());
    }

    /** The report shown. */
    public Evaluator.Report report() {
        return report;
    }

    /** The metric columns, in the report's order: the registered metrics some method has a value of. */
    public List<String> metrics() {
        return columns;
    }

    /** The metrics left out because no image has boxes (they need some). */
    public List<String> withoutBoxes() {
        return noBoxes;
    }

    /** The metrics left out because no method has a value of them: the results predate them. */
    public List<String> notRecorded() {
        return notRecorded;
    }

    /** The metrics left out because the run's selection ({@code evaluate --metrics}) did not compute them. */
    public List<String> notSelected() {
        return notSelected;
    }

    /** The localisation metrics of the difference to {@code center}: those compared with it that have values. */
    public List<String> versusCenter() {
        return compared;
    }

    /**
     * How {@code method}'s mean of {@code metric} compares with the column's best.
     *
     * @throws IllegalArgumentException when the table has no such method or column
     */
    public Mark mark(String method, String metric) {
        Evaluator.MethodReport row = row(method);
        if (!columns.contains(metric)) {
            throw new IllegalArgumentException("no column " + metric + " in this table; its columns are " + columns);
        }
        Summary s = value(row, metric);
        if (s == null) {
            return Mark.NONE;
        }
        Metric.Direction direction = Metrics.get(metric).direction();
        double best = Double.NaN;
        for (Evaluator.MethodReport m : report.methods()) {
            Summary o = value(m, metric);
            if (o != null && (Double.isNaN(best) || better(o.mean(), best, direction))) {
                best = o.mean();
            }
        }
        if (s.mean() == best) {
            return Mark.BEST;
        }
        for (Evaluator.MethodReport m : report.methods()) {
            Summary o = value(m, metric);
            if (o != null && o.mean() == best && overlaps(o, s)) {
                return Mark.TIED_BEST;
            }
        }
        return Mark.NONE;
    }

    /** Whether {@code method}'s difference to {@code center} on {@code metric} has its interval above 0. */
    public boolean beatsCenter(String method, String metric) {
        Summary d = difference(row(method), metric);
        return d != null && d.n() > 1 && d.low() > 0;
    }

    /** The table in Markdown: a caption, the table, what its marks mean, the difference to center, what is left out. */
    public String toMarkdown() {
        StringBuilder s = new StringBuilder();
        s.append(caption("**bold**", "\\*")).append("\n\n");
        List<String> head = new ArrayList<>(List.of("method", "images", "s/image"));
        columns.forEach(k -> head.add(Metrics.heading(k)));
        markdownRow(s, head);
        s.append("|---|---:|---:|").append("---|".repeat(columns.size())).append('\n');
        for (Evaluator.MethodReport r : report.methods()) {
            List<String> cells = new ArrayList<>(List.of(r.method(), Integer.toString(r.images()),
                    String.format(Locale.ROOT, "%.3f", r.secondsPerImage())));
            for (String k : columns) {
                String cell = cell(r, k);
                Mark mark = mark(r.method(), k);
                cell = mark == Mark.BEST ? "**" + cell + "**" : mark == Mark.TIED_BEST ? cell + " ≈" : cell;
                cells.add(beatsCenter(r.method(), k) ? cell + " \\*" : cell);
            }
            markdownRow(s, cells);
        }
        if (!compared.isEmpty()) {
            s.append('\n').append(centerCaption()).append("\n\n");
            List<String> vh = new ArrayList<>(List.of("method"));
            compared.forEach(k -> vh.add(Metrics.heading(k)));
            markdownRow(s, vh);
            s.append("|---|").append("---|".repeat(compared.size())).append('\n');
            for (Evaluator.MethodReport r : report.methods()) {
                if (r.versusCenter().isEmpty()) {
                    continue;
                }
                List<String> cells = new ArrayList<>(List.of(r.method()));
                for (String k : compared) {
                    cells.add(differenceCell(r, k) + (beatsCenter(r.method(), k) ? " \\*" : ""));
                }
                markdownRow(s, cells);
            }
        }
        String left = leftOut();
        if (!left.isEmpty()) {
            s.append('\n').append(left).append('\n');
        }
        return s.toString();
    }

    /** The table as aligned plain text, marks as in Markdown but the best as {@code ◆}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(caption("◆", "*").replace("`", "")).append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("method", "images", "s/image"));
        columns.forEach(k -> head.add(Metrics.heading(k)));
        rows.add(head);
        for (Evaluator.MethodReport r : report.methods()) {
            List<String> cells = new ArrayList<>(List.of(r.method(), Integer.toString(r.images()),
                    String.format(Locale.ROOT, "%.3f", r.secondsPerImage())));
            for (String k : columns) {
                Mark mark = mark(r.method(), k);
                cells.add(cell(r, k) + (mark == Mark.BEST ? " ◆" : mark == Mark.TIED_BEST ? " ≈" : "")
                        + (beatsCenter(r.method(), k) ? " *" : ""));
            }
            rows.add(cells);
        }
        aligned(s, rows);
        if (!compared.isEmpty()) {
            s.append('\n').append(centerCaption().replace("`", "")).append("\n\n");
            List<List<String>> vs = new ArrayList<>();
            List<String> vh = new ArrayList<>(List.of("method"));
            compared.forEach(k -> vh.add(Metrics.heading(k)));
            vs.add(vh);
            for (Evaluator.MethodReport r : report.methods()) {
                if (!r.versusCenter().isEmpty()) {
                    List<String> cells = new ArrayList<>(List.of(r.method()));
                    compared.forEach(k -> cells.add(differenceCell(r, k) + (beatsCenter(r.method(), k) ? " *" : "")));
                    vs.add(cells);
                }
            }
            aligned(s, vs);
        }
        String left = leftOut();
        if (!left.isEmpty()) {
            s.append('\n').append(left.replace("`", "")).append('\n');
        }
        return s.toString();
    }

    /** The metrics table as an HTML {@code <table>} (the best in bold), for notebooks. */
    public String toHtml() {
        StringBuilder s = new StringBuilder("<table class=\"neuromask-results\">\n<caption>")
                .append(HtmlTable.escape(caption("bold", "*").replace("`", ""))).append("</caption>\n<thead><tr>");
        List<String> head = new ArrayList<>(List.of("method", "images", "s/image"));
        columns.forEach(k -> head.add(Metrics.heading(k)));
        head.forEach(h -> s.append("<th>").append(HtmlTable.escape(h)).append("</th>"));
        s.append("</tr></thead>\n<tbody>\n");
        for (Evaluator.MethodReport r : report.methods()) {
            s.append("<tr><td>").append(HtmlTable.escape(r.method())).append("</td><td>").append(r.images())
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.3f", r.secondsPerImage()))
                    .append("</td>");
            for (String k : columns) {
                Mark mark = mark(r.method(), k);
                String cell = HtmlTable.escape(cell(r, k));
                s.append("<td>").append(mark == Mark.BEST ? "<b>" + cell + "</b>" : mark == Mark.TIED_BEST
                        ? cell + " ≈" : cell).append(beatsCenter(r.method(), k) ? " *" : "").append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</tbody>\n</table>").toString();
    }

    /** What the table shows and what its marks mean. */
    private String caption(String best, String star) {
        return "`" + report.model() + "` on `" + report.data() + "`, " + report.images() + " images: per method the "
                + "mean [95 % t-interval] over its images; " + best + ": the best mean of its column (↓ lower is "
                + "better, ↑ higher), ≈: tied-best (its interval overlaps the best's)" + (compared.isEmpty() ? ""
                : ", " + star + ": the interval of the paired difference to `center` lies above 0") + ".";
    }

    private static String centerCaption() {
        return "Difference to `center` on the images both have (paired, mean [95 % t-interval]); a method localises "
                + "better than the fixed centre map only where the interval lies above 0:";
    }

    private String leftOut() {
        List<String> lines = new ArrayList<>();
        if (!noBoxes.isEmpty()) {
            lines.add("No image has boxes, so no " + names(noBoxes) + ".");
        }
        if (!notSelected.isEmpty()) {
            lines.add("Not computed (the run's evaluate --metrics selected " + names(selection) + " only): "
                    + names(notSelected) + ".");
        }
        if (!notRecorded.isEmpty()) {
            lines.add("Not in the results (they predate " + (notRecorded.size() == 1 ? "it" : "them")
                    + "; resuming never computes a metric for the images already recorded): " + names(notRecorded)
                    + ".");
        }
        List<String> cells = new ArrayList<>();
        for (String k : columns) {
            for (Evaluator.MethodReport r : report.methods()) {
                if (value(r, k) == null) {
                    cells.add(r.method() + " " + k + (needsBoxes(Metrics.get(k)) && !hasBoxes(r) ? " (no boxes)"
                            : " (not recorded)"));
                }
            }
        }
        if (!cells.isEmpty()) {
            lines.add(MISSING + ": no value, " + String.join(", ", cells) + ".");
        }
        return String.join("\n", lines);
    }

    private static String names(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "`" + k + "`").toList());
    }

    private Evaluator.MethodReport row(String method) {
        return report.methods().stream().filter(m -> m.method().equals(method)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no method " + method + " in this table; its methods "
                        + "are " + report.methods().stream().map(Evaluator.MethodReport::method).toList()));
    }

    /** A method's summary of a metric, null where it has no value. */
    private static Summary value(Evaluator.MethodReport m, String metric) {
        Summary s = m.metrics().get(metric);
        return s == null || s.n() == 0 ? null : s;
    }

    private static Summary difference(Evaluator.MethodReport m, String metric) {
        Summary s = m.versusCenter().get(metric);
        return s == null || s.n() == 0 ? null : s;
    }

    /** Whether some image of the method has boxes: MaxBoxAcc, scored on every image with boxes, has values. */
    private static boolean hasBoxes(Evaluator.MethodReport m) {
        return value(m, Metrics.MAX_BOX_ACC) != null;
    }

    private static boolean needsBoxes(Metric m) {
        return m.needs().contains(Metric.Need.BOXES);
    }

    private static boolean better(double a, double b, Metric.Direction direction) {
        return direction == Metric.Direction.LOWER_IS_BETTER ? a < b : a > b;
    }

    /** Whether two intervals share a point; an undefined one (one value) overlaps nothing. */
    private static boolean overlaps(Summary a, Summary b) {
        return a.n() > 1 && b.n() > 1 && a.low() <= b.high() && b.low() <= a.high();
    }

    private static String cell(Evaluator.MethodReport r, String metric) {
        return format(value(r, metric));
    }

    private static String differenceCell(Evaluator.MethodReport r, String metric) {
        return format(difference(r, metric));
    }

    private static String format(Summary s) {
        if (s == null) {
            return MISSING;
        }
        return s.n() > 1 ? number(s.mean()) + " [" + number(s.low()) + ", " + number(s.high()) + "]"
                : number(s.mean());
    }

    /** Three decimals; a value that rounds to zero is 0.000, whatever its sign. */
    private static String number(double v) {
        String text = String.format(Locale.ROOT, "%.3f", v);
        return text.equals("-0.000") ? "0.000" : text;
    }

    private static void markdownRow(StringBuilder s, List<String> cells) {
        s.append('|');
        cells.forEach(c -> s.append(' ').append(c.replace("|", "\\|")).append(" |"));
        s.append('\n');
    }

    private static void aligned(StringBuilder s, List<List<String>> rows) {
        int[] width = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                line.append(i == 0 ? c + " ".repeat(width[i] - c.length())
                        : "  " + " ".repeat(width[i] - c.length()) + c);
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
