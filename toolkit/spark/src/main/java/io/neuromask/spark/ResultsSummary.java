package io.neuromask.spark;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.MaxBoxAcc;
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
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The metrics of a job's Parquet table as {@code evaluate} reports them: per method (and per method and class),
 * the mean of each per-image metric with its 95 % t interval ({@link Summary}), in an {@link Evaluator.Report}
 * that {@link MetricsTable} prints. Rows with an error are counted and left out.
 *
 * <p>The localisation metrics ({@code pointing_game}, {@code energy_pointing_game}, {@code max_box_acc}) cover the
 * images with boxes and are absent (n = 0, not printed) when none has any. As in {@code evaluate}, MaxBoxAcc's
 * threshold is chosen per method over all its images with boxes (the first of the thresholds with the most hits),
 * and each image counts 0/1 by its hit at that threshold, also in the table by class. Tables written before these
 * columns existed are read as having no boxes.
 */
public final class ResultsSummary {

    /** The per-image metrics of the table, in {@link Evaluator#METRICS} order (those the job computes). */
    static final List<String> METRICS = List.of("deletion_auc", "insertion_auc", "pointing_game",
            "energy_pointing_game", "max_box_acc", "gini", "class_preserved", "mask_area");

    /** The column of each of {@link #METRICS} ({@code max_box_acc}: its per-threshold hits). */
    private static final List<String> COLUMNS = List.of("deletion_auc", "insertion_auc", "pointing_game",
            "energy_pointing_game", "max_box_acc_hits", "gini", "class_preserved", "mask_area");

    /** Columns added after the first tables were written: read as null when a table lacks them. */
    private static final Map<String, DataType> LATER = Map.of("pointing_game", DataTypes.BooleanType,
            "energy_pointing_game", DataTypes.DoubleType, "max_box_acc_hits", DataTypes.StringType);

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
        List<Column> select = new ArrayList<>(List.of(col("method"), col("target"), col("seconds")));
        for (String c : COLUMNS) {
            select.add(present.contains(c) || !LATER.containsKey(c) ? col(c) : lit(null).cast(LATER.get(c)).as(c));
        }
        List<Row> rows = all.where(col("error").isNull()).select(select.toArray(Column[]::new)).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(parquet + " holds no explained image (" + errors + " error rows)");
        }
        Map<String, List<Row>> methods = new TreeMap<>();
        Map<String, List<Row>> classes = new TreeMap<>();
        for (Row r : rows) {
            String method = r.getString(0);
            int target = r.getInt(1);
            String cls = labels != null && target < labels.size() ? labels.get(target) : Integer.toString(target);
            methods.computeIfAbsent(method, k -> new ArrayList<>()).add(r);
            classes.computeIfAbsent(method + " / " + String.format("%04d", target) + " " + cls,
                    k -> new ArrayList<>()).add(r);
        }
        Map<String, Threshold> best = new TreeMap<>();
        for (var m : methods.entrySet()) {
            best.put(m.getKey(), bestThreshold(m.getValue()));
        }
        return new ResultsSummary(report(model, parquet, rows.size(), methods, best, false),
                report(model, parquet, rows.size(), classes, best, true), errors);
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

    /** Index in the row of the MaxBoxAcc hits. */
    private static final int HITS = 3 + COLUMNS.indexOf("max_box_acc_hits");

    /** MaxBoxAcc's threshold chosen for a method: its index (-1 when no image has boxes) and value. */
    private record Threshold(int index, double value) {}

    /**
     * MaxBoxAcc's best threshold over one method's rows, as {@link Evaluator} picks it: the first with the most hits
     * among the images with boxes.
     */
    private static Threshold bestThreshold(List<Row> rows) {
        int[] hits = null;
        for (Row r : rows) {
            if (r.isNullAt(HITS)) {
                continue;
            }
            String h = r.getString(HITS);
            if (hits == null) {
                hits = new int[h.length()];
            } else if (h.length() != hits.length) {
                throw new IllegalArgumentException("max_box_acc_hits of " + r.getString(0) + " have " + h.length()
                        + " and " + hits.length + " thresholds; the table mixes MaxBoxAcc settings");
            }
            for (int k = 0; k < h.length(); k++) {
                hits[k] += h.charAt(k) == '1' ? 1 : 0;
            }
        }
        if (hits == null) {
            return new Threshold(-1, Double.NaN);
        }
        int best = 0;
        for (int k = 1; k < hits.length; k++) {
            if (hits[k] > hits[best]) {
                best = k;
            }
        }
        return new Threshold(best, new MaxBoxAcc(hits.length, 0.5).thresholdValues()[best]);
    }

    private static Evaluator.Report report(String model, String data, int images, Map<String, List<Row>> groups,
            Map<String, Threshold> best, boolean byClass) {
        List<Evaluator.MethodReport> reports = new ArrayList<>();
        for (var g : groups.entrySet()) {
            List<Row> rows = g.getValue();
            String method = rows.get(0).getString(0);
            int threshold = best.get(method).index();
            Map<String, Summary> metrics = new LinkedHashMap<>();
            Map<String, double[]> perImage = new LinkedHashMap<>();
            for (int m = 0; m < METRICS.size(); m++) {
                double[] v = new double[rows.size()];
                for (int i = 0; i < v.length; i++) {
                    Row r = rows.get(i);
                    int c = 3 + m;
                    String metric = METRICS.get(m);
                    v[i] = r.isNullAt(c) ? Double.NaN
                            : metric.equals("max_box_acc") ? (r.getString(c).charAt(threshold) == '1' ? 1 : 0)
                            : metric.equals("class_preserved") || metric.equals("pointing_game")
                                    ? (r.getBoolean(c) ? 1 : 0)
                            : r.getDouble(c);
                }
                metrics.put(METRICS.get(m), Summary.of(v));
                perImage.put(METRICS.get(m), v);
            }
            double seconds = 0;
            for (Row r : rows) {
                seconds += r.getDouble(2);
            }
            String name = byClass ? g.getKey().replaceFirst(" / \\d{4} ", " / ") : g.getKey();
            reports.add(new Evaluator.MethodReport(name, seconds / rows.size(), metrics, Map.of(), best.get(method).value(),
                    perImage));
        }
        return new Evaluator.Report(model, data, images, reports);
    }

    /** The scalar columns of {@link #exportCsv}, then {@code mask} (space-separated floats, row-major). */
    static final List<String> CSV_COLUMNS = List.of("id", "label", "target", "model", "method", "run_seed",
            "predicted_before", "probability_before", "predicted_after", "probability_after", "class_preserved",
            "mask_area", "gini", "deletion_auc", "insertion_auc", "pointing_game", "energy_pointing_game", "seconds",
            "device", "error", "height", "width");

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
            out.append(String.format(Locale.ROOT, " %20s", k));
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
                out.append(String.format(Locale.ROOT, " %20s", cell));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
