package io.neuromask.metrics;

import java.util.Locale;
import java.util.Set;

/**
 * A per-image metric of saliency maps: its column name, which way is better, what it measures, what it needs, and
 * how it scores a batch of maps. {@link Evaluator} ({@code neuromask evaluate}), its results file, Spark's explain
 * job and summary, and the tables and charts of {@code viz} take every metric of the registry ({@link Metrics}), so
 * that a new metric is one class and one line: a {@code META-INF/services/io.neuromask.metrics.Metric} line (or a
 * {@code provides} clause of a module), or {@link Metrics#register} in a notebook.
 *
 * <p>{@link #score} gets a {@link MetricBatch}: one method's maps of a chunk of images (at the model's input size)
 * with the images, the explained classes, the ground-truth boxes, the classifier and the run's settings, and returns
 * one value per image, NaN where the metric does not apply. A metric that {@link #needs} {@link Need#BOXES} is given
 * only the images with boxes, and the others get NaN. As in Quantus (a metric called on {@code x_batch},
 * {@code y_batch} and {@code a_batch}, with its {@code score_direction} and {@code evaluation_category}), the
 * registry, not the metric, decides where it is reported; a value is summarised per method as mean and 95 % t
 * interval ({@link Summary}).
 *
 * <p>Implementations must be thread-safe and stateless between calls (Spark scores partitions in parallel), and, to
 * be found by {@link java.util.ServiceLoader}, public with a public no-argument constructor.
 */
public interface Metric {

    /** Which values are better. */
    enum Direction {
        /** Lower values are better (e.g. deletion AUC). */
        LOWER_IS_BETTER("↓"),
        /** Higher values are better (e.g. insertion AUC, the pointing game). */
        HIGHER_IS_BETTER("↑");

        private final String arrow;

        Direction(String arrow) {
            this.arrow = arrow;
        }

        /** {@code ↓} or {@code ↑}, as the tables and charts mark their columns. */
        public String arrow() {
            return arrow;
        }
    }

    /** What a metric measures (Quantus's evaluation categories, randomisation tests called sanity checks). */
    enum Category {
        /** Whether the map points at what the model uses (deletion/insertion, class preservation). */
        FAITHFULNESS,
        /** Whether the map points at the object (boxes: pointing game, MaxBoxAcc). */
        LOCALISATION,
        /** How concise the map is (Gini sparseness, mask area). */
        COMPLEXITY,
        /** How stable the map is under small changes of the input. */
        ROBUSTNESS,
        /** Whether the map depends on the model and the data at all (randomisation tests). */
        SANITY;

        /** The lower-case name, e.g. {@code faithfulness}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a metric needs besides the maps. */
    enum Need {
        /**
         * Ground-truth boxes: scored on the images that have some, NaN on the others (and compared with the
         * {@code center} baseline, see {@link #comparedToCenter()}).
         */
        BOXES,
        /** Runs the classifier (forward passes): costly, and skipped by Spark unless asked for. */
        MODEL
    }

    /**
     * The column name: lower-case letters, digits and {@code _}, starting with a letter (e.g.
     * {@code deletion_auc}); the key in the results file, the JSON report and the Spark table.
     */
    String name();

    /** Which values are better. */
    Direction direction();

    /** What it measures. */
    Category category();

    /** What it needs besides the maps; the images, classes and classifier are always given. */
    Set<Need> needs();

    /** One line for help texts and tables; the name by default. */
    default String description() {
        return name();
    }

    /**
     * Whether it ranks pixels (by {@link io.neuromask.base.SaliencyMap#ranking()} or
     * {@link io.neuromask.base.SaliencyMap#argmax()}), so that a map's tie-break changes it. Such a metric is also
     * scored on the maps without their tie-breaks, as {@code <name>_raster}, when a run ranks by tie-breaks and a
     * map has one ({@link Evaluator#ties}).
     */
    default boolean ranksPixels() {
        return false;
    }

    /**
     * Whether each method is also compared with the {@code center} baseline on it (the paired difference and whether
     * its interval lies above 0): by default the metrics that need boxes.
     */
    default boolean comparedToCenter() {
        return needs().contains(Need.BOXES);
    }

    /**
     * The group of metrics that come from one computation, which they share through {@link MetricBatch#shared}:
     * {@code deletion-insertion} for {@code deletion_auc} and {@code insertion_auc}, {@code road-morf-lerf} for ROAD's
     * {@code road_morf_auc} and {@code road_lerf_auc}. A selection of metrics ({@link Metrics#select},
     * {@code evaluate --metrics}) computes and records a group whole when any of it is asked for, since the others
     * cost nothing more, and leaves it out only when none is. By default its own name: it shares nothing.
     */
    default String group() {
        return name();
    }

    /** Whether its values are 0 or 1 (a hit): Spark's table keeps them as booleans. */
    default boolean binary() {
        return false;
    }

    /**
     * Scores the maps of a batch.
     *
     * @return one value per image of the batch, NaN where the metric does not apply
     */
    double[] score(MetricBatch batch);

    /** The {@code <name>_raster} column of a metric that {@link #ranksPixels()}. */
    static String rasterName(String name) {
        return name + "_raster";
    }
}
