package io.neuromask.spark;

import io.neuromask.metrics.EnergyPointingGame;
import io.neuromask.metrics.MaxBoxAcc;
import io.neuromask.metrics.Metric;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.PointingGame;
import io.neuromask.metrics.SetMetric;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the job's Parquet table, one row per image. A row whose image could not be read or explained
 * has its {@code error} set and the result columns null.
 *
 * <table>
 *   <caption>columns</caption>
 *   <tr><td>{@code id}</td><td>the image's id (the input's {@code id}, else its path or origin)</td></tr>
 *   <tr><td>{@code label}</td><td>the input's target label, null when none was given</td></tr>
 *   <tr><td>{@code target}</td><td>the explained class (the label, else the predicted class)</td></tr>
 *   <tr><td>{@code model}</td><td>the model that explained it: its registered name ({@code Models.names()}: a
 *     manifest name such as {@code cifar10-resnet20}, or a built-in test model's), the only kind of model the job
 *     takes, so a stable identifier of its weights (the store verifies them by their checksum); every row, error rows
 *     too. A resume with another {@code --model} is refused, and so is one into a table without this column</td></tr>
 *   <tr><td>{@code method}, {@code preset}, {@code iterations}, {@code seed}</td><td>what explained it; for a mask
 *     method {@code preset} is the preset's name (the method's when the model chose it) followed by each
 *     {@link ExplainSettings#overrides()} entry as {@code name=value}, e.g. {@code fast-cifar10 temperature=0.3};
 *     {@code seed} is the seed the image was explained with ({@link ExplainSettings#seedFor}: the run's for the
 *     batched methods, one mixed from the run's and the id for the others)</td></tr>
 *   <tr><td>{@code run_seed}</td><td>the run's {@code --seed} ({@link ExplainSettings#seed()}), the same in every
 *     row of every method, error rows too; a resume with another seed is refused</td></tr>
 *   <tr><td>{@code predicted_before}, {@code probability_before}</td><td>prediction on the image; softmax
 *     probability of the target</td></tr>
 *   <tr><td>{@code predicted_after}, {@code probability_after}, {@code class_preserved}</td><td>the same on the
 *     masked image {@code x ⊙ m} (m the min-max normalised map for methods other than the mask methods)</td></tr>
 *   <tr><td>{@code height}, {@code width}, {@code mask}</td><td>the map, row-major floats</td></tr>
 *   <tr><td>{@code mask_png}</td><td>the normalised map as an 8-bit grey PNG, when asked for</td></tr>
 *   <tr><td>{@code mask_area}, {@code gini}</td><td>mean of the normalised map; Gini index of the map</td></tr>
 *   <tr><td>{@code deletion_auc}, {@code insertion_auc}</td><td>when asked for</td></tr>
 *   <tr><td>{@code pointing_game}, {@code energy_pointing_game}, {@code max_box_acc_hits}</td><td>the localisation
 *     metrics of {@code neuromask evaluate}, for images with boxes ({@link ImageTables}; null otherwise), the boxes
 *     scaled with the image to the model's input: whether the map's maximum lies within
 *     the settings' tolerance ({@link ExplainSettings#pointingTolerance()}, default
 *     {@value io.neuromask.metrics.PointingGame#DEFAULT_TOLERANCE} px) of a box ({@link PointingGame}); the share of
 *     the map's positive mass inside the boxes ({@link EnergyPointingGame}); and MaxBoxAcc's hit at each of its 100
 *     thresholds as a string of {@code 0}/{@code 1} ({@link MaxBoxAcc#hitTable}, the encoding of evaluate's results
 *     file), since MaxBoxAcc picks its threshold over a whole set ({@link ResultsSummary} does)</td></tr>
 *   <tr><td>a column per other registered metric ({@link Metrics}: an extension's, e.g.)</td><td>its value per
 *     image ({@link Metric#name()}; a {@link SetMetric}'s record under its {@link SetMetric#recordName()}), computed
 *     by the {@link io.neuromask.metrics.Scorer} as {@code neuromask evaluate} computes it: null where it does not
 *     apply (no boxes), and, for a metric that runs the model ({@link Metric.Need#MODEL}), unless asked for as
 *     deletion and insertion are</td></tr>
 *   <tr><td>{@code pointing_tolerance}</td><td>the pointing game's tolerance in pixels, for images with boxes (a
 *     resume with another {@code --tolerance} is refused, so that one table never mixes two)</td></tr>
 *   <tr><td>{@code seconds}</td><td>the batch's wall time divided by its images (with several tasks in one JVM
 *     this includes waiting for the process-wide autograd lock)</td></tr>
 *   <tr><td>{@code device}</td><td>where it ran</td></tr>
 *   <tr><td>{@code error}</td><td>why the image has no result (e.g. a corrupt file), else null</td></tr>
 * </table>
 */
public final class ResultSchema {

    private ResultSchema() {}

    /**
     * The metric columns of the tables written before the registry, in their order; every other registered metric
     * follows them ({@link #metrics()}). Never extended: the layout of existing tables.
     */
    private static final List<String> FIRST_METRICS = List.of("mask_area", "gini", "deletion_auc", "insertion_auc",
            "pointing_game", "energy_pointing_game", "max_box_acc");

    /**
     * The metric whose column the explanation fills: whether the model keeps the class on the masked image
     * ({@code predicted_after == target}), with the image's own mask for the mask methods.
     */
    static final String EXPLAINED = "class_preserved";

    /** The schema of the output table (the metrics registered when this class was loaded). */
    public static final StructType SCHEMA = schema();

    /**
     * The metrics with a column of their own, in the table's order: those of the first tables, then every other
     * registered metric ({@link Metrics#all()}) in the registry's order; not {@value #EXPLAINED}, which the
     * explanation gives.
     */
    static List<Metric> metrics() {
        List<Metric> all = Metrics.all();
        List<Metric> out = new ArrayList<>();
        for (String name : FIRST_METRICS) {
            all.stream().filter(m -> m.name().equals(name)).forEach(out::add);
        }
        for (Metric m : all) {
            if (!FIRST_METRICS.contains(m.name()) && !m.name().equals(EXPLAINED)) {
                out.add(m);
            }
        }
        return out;
    }

    /** A metric's column: its name, or a {@link SetMetric}'s record key (e.g. {@code max_box_acc_hits}). */
    static String column(Metric m) {
        return m instanceof SetMetric s ? s.recordName() : m.name();
    }

    /** A metric's column type: a record's string, a {@link Metric#binary()} metric's boolean, else a double. */
    static DataType type(Metric m) {
        return m instanceof SetMetric ? DataTypes.StringType : m.binary() ? DataTypes.BooleanType
                : DataTypes.DoubleType;
    }

    private static StructType schema() {
        StructType t = new StructType()
                .add("id", DataTypes.StringType, false)
                .add("label", DataTypes.IntegerType, true)
                .add("target", DataTypes.IntegerType, true)
                .add("model", DataTypes.StringType, false)
                .add("method", DataTypes.StringType, false)
                .add("preset", DataTypes.StringType, true)
                .add("iterations", DataTypes.IntegerType, true)
                .add("seed", DataTypes.LongType, false)
                .add("run_seed", DataTypes.LongType, false)
                .add("predicted_before", DataTypes.IntegerType, true)
                .add("probability_before", DataTypes.DoubleType, true)
                .add("predicted_after", DataTypes.IntegerType, true)
                .add("probability_after", DataTypes.DoubleType, true)
                .add(EXPLAINED, DataTypes.BooleanType, true)
                .add("height", DataTypes.IntegerType, true)
                .add("width", DataTypes.IntegerType, true)
                .add("mask", DataTypes.createArrayType(DataTypes.FloatType, false), true)
                .add("mask_png", DataTypes.BinaryType, true);
        StructType tail = new StructType()
                .add("pointing_tolerance", DataTypes.DoubleType, true)
                .add("seconds", DataTypes.DoubleType, true)
                .add("device", DataTypes.StringType, true)
                .add("error", DataTypes.StringType, true);
        List<String> fixed = new ArrayList<>(List.of(t.fieldNames()));
        fixed.addAll(List.of(tail.fieldNames()));
        for (Metric m : metrics()) {
            if (fixed.contains(column(m))) {
                throw new IllegalStateException("metric " + m.name() + " (" + m.getClass().getName() + ") has the "
                        + "column " + column(m) + ", which spark-explain's table has for itself; rename the metric");
            }
            t = t.add(column(m), type(m), true);
        }
        for (var f : tail.fields()) {
            t = t.add(f);
        }
        return t;
    }
}
