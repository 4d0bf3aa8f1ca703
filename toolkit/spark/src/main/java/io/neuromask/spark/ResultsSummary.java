package io.neuromask.spark;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Metric;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.SetMetric;
import io.neuromask.metrics.Summary;
import io.neuromask.viz.MetricsTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The metrics of a job's Parquet table as {@code evaluate} reports them: per method (and per method and class),
 * the mean of each per-image metric with its 95 % t interval ({@link Summary}), in an {@link Evaluator.Report}
 * that {@link MetricsTable} prints: every registered metric ({@link Metrics#all()}), in evaluate's order. Rows with
 * an error are counted and left out.
 *
 * <p>The localisation metrics ({@code pointing_game}, {@code energy_pointing_game}, {@code max_box_acc}) cover the
 * images with boxes and are absent (n = 0, not printed) when none has any. As in {@code evaluate}, MaxBoxAcc's
 * threshold is chosen per method over all its images with boxes (the first of the thresholds with the most hits),
 * and each image counts 0/1 by its hit at that threshold, also in the table by class ({@link SetMetric#reduce}).
 * A metric whose column a table lacks (written before the metric existed, e.g. the localisation metrics, or without
 * an extension) has no values there (n = 0): missing, never invented.
 */
public final class ResultsSummary {

    private final Evaluator.Report byMethod;
    private final Evaluator.Report byClass;
    private final long errors;

    private ResultsSummary(Evaluator.Report byMethod, Evaluator.Report byClass, long errors) {
        this.byMethod = byMethod;
        this.byClass = byClass;
        this.errors = errors;
    }

    /**
     * Reads a job's table.
     *
     * @param model the model that wrote it, or null for the one its {@code model} column records ({@code ?} for a
     *     table written before that column existed)
     * @param labels class names by index (e.g. the model's labels), or null to print class indices
     * @throws IllegalArgumentException when the table holds no explained image, or records another model than
     *     {@code model} (whose labels would name its classes wrongly)
     */
    public static ResultsSummary read(SparkSession spark, String parquet, String model, List<String> labels) {
        Dataset<Row> all = spark.read().option("mergeSchema", "true").parquet(parquet);
        model = recordedModel(all, parquet, model);
        long errors = all.where(col("error").isNotNull()).count();
        Set<String> present = Set.of(all.columns());
        // every registered metric, in evaluate's order; a column the table lacks (a metric it predates) is null
        List<Metric> metrics = Metrics.all();
        List<Column> select = new ArrayList<>(List.of(col("method"), col("target"), col("seconds")));
        for (Metric m : metrics) {
            String c = column(m);
            select.add(present.contains(c) ? col(c) : lit(null).cast(type(m)).as(c));
        }
        List<Row> rows = all.where(col("error").isNull()).select(select.toArray(Column[]::new)).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(parquet + " holds no explained image (" + errors + " error rows)");
        }
        Map<String, List<Integer>> methods = new TreeMap<>();
        Map<String, List<Integer>> classes = new TreeMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String method = r.getString(0);
            int target = r.getInt(1);
            String cls = labels != null && target < labels.size() ? labels.get(target) : Integer.toString(target);
            methods.computeIfAbsent(method, k -> new ArrayList<>()).add(i);
            classes.computeIfAbsent(method + " / " + String.format("%04d", target) + " " + cls,
                    k -> new ArrayList<>()).add(i);
        }
        // each image's value of each metric; a set metric's (MaxBoxAcc's) chosen per method over all its images,
        // as evaluate chooses it, also in the table by class
        double[][] values = new double[rows.size()][metrics.size()];
        Map<String, Double> thresholds = new TreeMap<>();
        for (int k = 0; k < metrics.size(); k++) {
            Metric m = metrics.get(k);
            int c = 3 + k;
            if (m instanceof SetMetric set) {
                for (var e : methods.entrySet()) {
                    List<String> records = new ArrayList<>();
                    for (int i : e.getValue()) {
                        records.add(rows.get(i).isNullAt(c) ? null : rows.get(i).getString(c));
                    }
                    SetMetric.Reduction red;
                    try {
                        red = set.reduce(records);
                    } catch (IllegalArgumentException x) {
                        throw new IllegalArgumentException(parquet + ", method " + e.getKey() + ": " + x.getMessage(),
                                x);
                    }
                    for (int j = 0; j < records.size(); j++) {
                        values[e.getValue().get(j)][k] = red.values()[j];
                    }
                    if (m.name().equals(Metrics.MAX_BOX_ACC)) {
                        thresholds.put(e.getKey(), red.setting());
                    }
                }
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                values[i][k] = r.isNullAt(c) ? Double.NaN : r.get(c) instanceof Boolean b ? (b ? 1 : 0)
                        : ((Number) r.get(c)).doubleValue();
            }
        }
        return new ResultsSummary(report(model, parquet, rows, metrics, values, methods, thresholds, false),
                report(model, parquet, rows, metrics, values, classes, thresholds, true), errors);
    }

    /** A metric's column in the table ({@link ResultSchema#column}; {@code class_preserved} the explanation's). */
    private static String column(Metric m) {
        return ResultSchema.column(m);
    }

    private static org.apache.spark.sql.types.DataType type(Metric m) {
        return ResultSchema.type(m);
    }

    /**
     * The model of a table: the one its {@code model} column records (models joined by {@code ", "} if a table
     * assembled by hand holds several), checked against {@code given} when that is not null.
     */
    private static String recordedModel(Dataset<Row> all, String parquet, String given) {
        if (!Set.of(all.columns()).contains("model")) {
            return given != null ? given : "?";
        }
        List<String> recorded = new ArrayList<>();
        for (Row r : all.select("model").where(col("model").isNotNull()).distinct().orderBy("model")
                .collectAsList()) {
            recorded.add(r.getString(0));
        }
        if (given == null) {
            return recorded.isEmpty() ? "?" : String.join(", ", recorded);
        }
        if (!recorded.isEmpty() && !recorded.equals(List.of(given))) {
            throw new IllegalArgumentException(parquet + " holds results of model " + String.join(", ", recorded)
                    + ", not " + given + " (whose class names would label its rows wrongly); give --model "
                    + recorded.get(0) + ", or leave --model out");
        }
        return given;
    }

    private static Evaluator.Report report(String model, String data, List<Row> rows, List<Metric> metrics,
            double[][] values, Map<String, List<Integer>> groups, Map<String, Double> thresholds, boolean byClass) {
        List<Evaluator.MethodReport> reports = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            String method = rows.get(members.get(0)).getString(0);
            Map<String, Summary> summaries = new LinkedHashMap<>();
            Map<String, double[]> perImage = new LinkedHashMap<>();
            for (int k = 0; k < metrics.size(); k++) {
                double[] v = new double[members.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = values[members.get(i)][k];
                }
                summaries.put(metrics.get(k).name(), Summary.of(v));
                perImage.put(metrics.get(k).name(), v);
            }
            double seconds = 0;
            for (int i : members) {
                seconds += rows.get(i).getDouble(2);
            }
            String name = byClass ? g.getKey().replaceFirst(" / \\d{4} ", " / ") : g.getKey();
            reports.add(new Evaluator.MethodReport(name, seconds / members.size(), summaries, Map.of(),
                    thresholds.getOrDefault(method, Double.NaN), perImage));
        }
        return new Evaluator.Report(model, data, rows.size(), reports);
    }

    /**
     * The scalar columns of {@link #exportCsv}, then {@code mask} (space-separated floats, row-major): the image's
     * and the explanation's, every metric with a value column ({@link ResultSchema#metrics()}, not the records), then
     * the timing, device, error and the map's size.
     */
    static final List<String> CSV_COLUMNS = csvColumns();

    private static List<String> csvColumns() {
        List<String> out = new ArrayList<>(List.of("id", "label", "target", "model", "method", "run_seed",
                "predicted_before", "probability_before", "predicted_after", "probability_after",
                ResultSchema.EXPLAINED));
        for (Metric m : ResultSchema.metrics()) {
            if (!(m instanceof SetMetric)) {
                out.add(m.name());
            }
        }
        out.addAll(List.of("seconds", "device", "error", "height", "width"));
        return List.copyOf(out);
    }

    /**
     * Writes a job's table as one CSV file (written atomically), one line per image, for tools without a Parquet
     * reader (e.g. Tablesaw in a notebook kernel, whose class path holds no Hadoop): the columns
     * {@link #CSV_COLUMNS} and the mask as space-separated floats; empty cells for nulls (the localisation columns of
     * images without boxes, and of tables written before the job had them). MaxBoxAcc's per-threshold hits stay in
     * the table: its threshold is chosen over the whole set ({@link #read}).
     *
     * @return the number of rows written
     */
    public static long exportCsv(SparkSession spark, String parquet, java.nio.file.Path csv)
            throws java.io.IOException {
        List<String> columns = new ArrayList<>(CSV_COLUMNS);
        columns.add("mask");
        Dataset<Row> table = spark.read().option("mergeSchema", "true").parquet(parquet);
        java.util.Set<String> present = java.util.Set.of(table.columns());
        List<String> select = new ArrayList<>();
        for (String c : columns) {
            // a table of an older job has no localisation columns: null cells, as for images without boxes
            select.add(present.contains(c) ? c : "CAST(NULL AS STRING) AS " + c);
        }
        List<Row> rows = table.selectExpr(select.toArray(String[]::new)).orderBy("id").collectAsList();
        io.neuromask.io.AtomicFiles.write(csv, out -> {
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out,
                    java.nio.charset.StandardCharsets.UTF_8));
            w.write(String.join(",", columns));
            w.write('\n');
            for (Row r : rows) {
                for (int c = 0; c < columns.size(); c++) {
                    if (c > 0) {
                        w.write(',');
                    }
                    if (r.isNullAt(c)) {
                        continue;
                    }
                    if (columns.get(c).equals("mask")) {
                        List<Float> m = r.getList(c);
                        StringBuilder b = new StringBuilder(m.size() * 11);
                        for (int k = 0; k < m.size(); k++) {
                            b.append(k == 0 ? "" : " ").append(m.get(k));
                        }
                        w.write(b.toString());
                    } else {
                        String v = String.valueOf(r.get(c));
                        w.write(v.contains(",") || v.contains("\"") || v.contains("\n")
                                ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
                    }
                }
                w.write('\n');
            }
            w.flush();
        });
        return rows.size();
    }

    /** Per method. */
    public Evaluator.Report byMethod() {
        return byMethod;
    }

    /** Per method and explained class ({@code "neuromask / cat"}). */
    public Evaluator.Report byClass() {
        return byClass;
    }

    /** Rows with an error, left out of the reports. */
    public long errors() {
        return errors;
    }

    /**
     * Both tables as text in the layout of {@code neuromask evaluate}: one line per method (or method and class),
     * each metric as mean ± half-width of its 95 % t interval. {@link MetricsTable#of} gives them as tables.
     */
    @Override
    public String toString() {
        return "model " + byMethod.model() + ", data " + byMethod.data() + ", " + byMethod.images()
                + " images; mean ± 95% t half-width\n" + text(byMethod) + "\nby class:\n" + text(byClass)
                + (errors > 0 ? "\n" + errors + " image(s) with an error left out (see the error column)\n" : "");
    }

    /** A metric column's width: its heading's (with the arrow), at least 20. */
    private static int width(String metric) {
        return Math.max(20, Metrics.heading(metric).length());
    }

    private static String text(Evaluator.Report report) {
        StringBuilder out = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (String k : report.methods().get(0).metrics().keySet()) {
            if (report.methods().stream().anyMatch(m -> m.metrics().get(k).n() > 0)) {
                keys.add(k);
            }
        }
        int width = 6;
        for (Evaluator.MethodReport r : report.methods()) {
            width = Math.max(width, r.method().length());
        }
        String nameFormat = "%-" + width + "s %9";
        out.append(String.format(Locale.ROOT, nameFormat + "s %5s", "method", "s/image", "n"));
        for (String k : keys) {
            out.append(String.format(Locale.ROOT, " %" + width(k) + "s", Metrics.heading(k)));
        }
        out.append('\n');
        for (Evaluator.MethodReport r : report.methods()) {
            out.append(String.format(Locale.ROOT, nameFormat + ".3f %5d", r.method(), r.secondsPerImage(),
                    r.metrics().get("mask_area").n()));
            for (String k : keys) {
                Summary s = r.metrics().get(k);
                String cell = s.n() == 0 ? "-" : Double.isNaN(s.halfWidth())
                        ? String.format(Locale.ROOT, "%.3f", s.mean())
                        : String.format(Locale.ROOT, "%.3f±%.3f", s.mean(), s.halfWidth());
                out.append(String.format(Locale.ROOT, " %" + width(k) + "s", cell));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
