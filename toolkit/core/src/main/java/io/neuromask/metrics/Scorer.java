package io.neuromask.metrics;

import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.data.Box;
import io.neuromask.internal.Inputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one scoring path: scores one method's maps of a batch of images with a list of {@link Metric}s (by default
 * every registered one, {@link Metrics#all()}) at a run's settings. {@link Evaluator} ({@code neuromask evaluate})
 * and Spark's explain job both call it, so that a metric is computed the same way in both.
 *
 * <p>A metric that needs boxes ({@link Metric.Need#BOXES}) is scored on the images with boxes only (NaN, or a null
 * record, on the others). A metric that {@link Metric#ranksPixels() ranks pixels} is also scored on the same maps
 * without their tie-breaks, as {@code <name>_raster}, when {@link #rasterVariants} is on and some map of the batch
 * has a tie-break; the maps without one get NaN there (they rank identically either way).
 */
public final class Scorer {

    /** The per-image values of each value column and the records of each {@link SetMetric}, by name. */
    public record Scores(Map<String, double[]> values, Map<String, String[]> records) {}

    private final Classifier model;
    private final DeletionInsertion deletionInsertion;
    private final PointingGame pointingGame;
    private final MaxBoxAcc maxBoxAcc;
    private final int batchSize;
    private final List<Metric> metrics;
    private final boolean rasterVariants;

    /**
     * A scorer of every registered metric, with the {@code _raster} variants.
     *
     * @param batchSize inputs per forward pass of the metrics that run the model (class preservation; deletion and
     *     insertion have their own)
     */
    public Scorer(Classifier model, DeletionInsertion deletionInsertion, PointingGame pointingGame,
            MaxBoxAcc maxBoxAcc, int batchSize) {
        this(Objects.requireNonNull(model, "model"), Objects.requireNonNull(deletionInsertion, "deletionInsertion"),
                Objects.requireNonNull(pointingGame, "pointingGame"), Objects.requireNonNull(maxBoxAcc, "maxBoxAcc"),
                Inputs.positive("batchSize", batchSize, "inputs per forward pass"), Metrics.all(), true);
    }

    private Scorer(Classifier model, DeletionInsertion deletionInsertion, PointingGame pointingGame,
            MaxBoxAcc maxBoxAcc, int batchSize, List<Metric> metrics, boolean rasterVariants) {
        this.model = model;
        this.deletionInsertion = deletionInsertion;
        this.pointingGame = pointingGame;
        this.maxBoxAcc = maxBoxAcc;
        this.batchSize = batchSize;
        this.metrics = List.copyOf(metrics);
        this.rasterVariants = rasterVariants;
    }

    /** Settings only, to read results files: MaxBoxAcc's records are checked against its thresholds. */
    static Scorer layout(MaxBoxAcc maxBoxAcc) {
        return new Scorer(null, null, null, maxBoxAcc, 1, Metrics.all(), true);
    }

    /** This scorer with other metrics, in the given order. */
    public Scorer metrics(List<Metric> metrics) {
        return new Scorer(model, deletionInsertion, pointingGame, maxBoxAcc, batchSize, metrics, rasterVariants);
    }

    /** This scorer with or without the {@code _raster} variants (default with). */
    public Scorer rasterVariants(boolean on) {
        return new Scorer(model, deletionInsertion, pointingGame, maxBoxAcc, batchSize, metrics, on);
    }

    /** The metrics, in order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * The per-image value columns: each metric's but a {@link SetMetric}'s, then the {@code _raster} column of each
     * that ranks pixels (with {@link #rasterVariants}).
     */
    public List<String> valueColumns() {
        List<String> out = new ArrayList<>();
        for (Metric m : metrics) {
            if (!(m instanceof SetMetric)) {
                out.add(m.name());
            }
        }
        out.addAll(rasterColumns());
        return out;
    }

    /** The {@code _raster} columns, in order (none without {@link #rasterVariants}). */
    public List<String> rasterColumns() {
        List<String> out = new ArrayList<>();
        if (rasterVariants) {
            for (Metric m : metrics) {
                if (m.ranksPixels() && !(m instanceof SetMetric)) {
                    out.add(Metric.rasterName(m.name()));
                }
            }
        }
        return out;
    }

    /** The metrics whose value is chosen over a set. */
    public List<SetMetric> setMetrics() {
        List<SetMetric> out = new ArrayList<>();
        for (Metric m : metrics) {
            if (m instanceof SetMetric s) {
                out.add(s);
            }
        }
        return out;
    }

    public Classifier model() {
        return model;
    }

    public DeletionInsertion deletionInsertion() {
        return deletionInsertion;
    }

    public PointingGame pointingGame() {
        return pointingGame;
    }

    public MaxBoxAcc maxBoxAcc() {
        return maxBoxAcc;
    }

    public int batchSize() {
        return batchSize;
    }

    /**
     * Scores one method's maps of a batch of images.
     *
     * @param images at the model's input size
     * @param maps one per image, at the model's input size
     * @param classes the explained class of each image
     * @param boxes the ground-truth boxes of each image in the model's input pixels, empty (or null) where it has none
     * @return every {@link #valueColumns()} column and every {@link SetMetric}'s records, one entry per image
     * @throws IllegalStateException when a metric returns another number of values than images
     */
    public Scores score(List<RgbImage> images, List<SaliencyMap> maps, int[] classes, List<List<Box>> boxes) {
        if (model == null) {
            throw new IllegalStateException("this scorer only describes a results file's columns");
        }
        MetricBatch all = new MetricBatch(this, images, maps, classes, boxes);
        int n = all.size();
        int[] boxed = java.util.stream.IntStream.range(0, n).filter(i -> !all.boxes().get(i).isEmpty()).toArray();
        boolean raster = rasterVariants && maps.stream().anyMatch(SaliencyMap::hasTieBreak);
        MetricBatch[] on = {all, null, null, null}; // all, boxed, raster all, raster boxed: made when first needed
        Map<String, double[]> values = new LinkedHashMap<>();
        Map<String, String[]> records = new LinkedHashMap<>();
        Map<String, double[]> rasterValues = new LinkedHashMap<>();
        for (Metric m : metrics) {
            boolean needsBoxes = m.needs().contains(Metric.Need.BOXES);
            if (m instanceof SetMetric s) {
                String[] r = new String[n];
                if (n > 0 && (!needsBoxes || boxed.length > 0)) {
                    String[] got = s.records(batch(on, 0, needsBoxes, boxed, maps));
                    check(m, got.length, needsBoxes ? boxed.length : n);
                    for (int k = 0; k < got.length; k++) {
                        r[needsBoxes ? boxed[k] : k] = got[k];
                    }
                }
                records.put(s.recordName(), r);
                continue;
            }
            values.put(m.name(), scoreOn(m, on, 0, needsBoxes, boxed, maps, n));
            if (rasterVariants && m.ranksPixels()) {
                double[] v = new double[n];
                Arrays.fill(v, Double.NaN);
                if (raster) {
                    double[] got = scoreOn(m, on, 2, needsBoxes, boxed, maps, n);
                    for (int j = 0; j < n; j++) {
                        if (maps.get(j).hasTieBreak()) {
                            v[j] = got[j];
                        }
                    }
                }
                rasterValues.put(Metric.rasterName(m.name()), v);
            }
        }
        values.putAll(rasterValues);
        return new Scores(values, records);
    }

    /** A metric's values on the batch {@code on[base]} (all, or the raster maps), boxed images only if it needs. */
    private double[] scoreOn(Metric m, MetricBatch[] on, int base, boolean needsBoxes, int[] boxed,
            List<SaliencyMap> maps, int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        if (n == 0 || (needsBoxes && boxed.length == 0)) {
            return v;
        }
        double[] got = m.score(batch(on, base, needsBoxes, boxed, maps));
        check(m, got.length, needsBoxes ? boxed.length : n);
        for (int k = 0; k < got.length; k++) {
            v[needsBoxes ? boxed[k] : k] = got[k];
        }
        return v;
    }

    /** The batch a metric gets, made once per kind so that metrics computed together share their work. */
    private static MetricBatch batch(MetricBatch[] on, int base, boolean needsBoxes, int[] boxed,
            List<SaliencyMap> maps) {
        if (on[base] == null) { // the raster maps
            on[base] = on[0].withMaps(maps.stream().map(SaliencyMap::withoutTieBreak).toList());
        }
        if (!needsBoxes) {
            return on[base];
        }
        if (on[base + 1] == null) {
            on[base + 1] = on[base].subset(boxed);
        }
        return on[base + 1];
    }

    private static void check(Metric m, int got, int want) {
        if (got != want) {
            throw new IllegalStateException("metric " + m.name() + " (" + m.getClass().getName() + ") returned "
                    + got + " values for " + want + " images");
        }
    }
}
