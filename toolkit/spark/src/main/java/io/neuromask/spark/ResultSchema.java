package io.neuromask.spark;

import io.neuromask.metrics.EnergyPointingGame;
import io.neuromask.metrics.MaxBoxAcc;
import io.neuromask.metrics.PointingGame;
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

    /** The schema of the output table. */
    public static final StructType SCHEMA = new StructType()
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
            .add("class_preserved", DataTypes.BooleanType, true)
            .add("height", DataTypes.IntegerType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("mask", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("mask_png", DataTypes.BinaryType, true)
            .add("mask_area", DataTypes.DoubleType, true)
            .add("gini", DataTypes.DoubleType, true)
            .add("deletion_auc", DataTypes.DoubleType, true)
            .add("insertion_auc", DataTypes.DoubleType, true)
            .add("pointing_game", DataTypes.BooleanType, true)
            .add("energy_pointing_game", DataTypes.DoubleType, true)
            .add("max_box_acc_hits", DataTypes.StringType, true)
            .add("pointing_tolerance", DataTypes.DoubleType, true)
            .add("seconds", DataTypes.DoubleType, true)
            .add("device", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);
}
