package io.neuromask.spark;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.io.ImageFiles;
import io.neuromask.data.Box;
import io.neuromask.data.LabeledImage;
import io.neuromask.metrics.DeletionInsertion;
import io.neuromask.metrics.EnergyPointingGame;
import io.neuromask.metrics.MaxBoxAcc;
import io.neuromask.metrics.Metric;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.PointingGame;
import io.neuromask.metrics.Scorer;
import io.neuromask.metrics.SetMetric;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Explains the images of one partition: takes this JVM's model ({@link ExecutorModels}), reads the images, and
 * explains them in batches of the engine's batch size, one output row per input row ({@link ResultSchema}). An
 * image that cannot be read or explained gives a row with its {@code error} set; the partition goes on.
 *
 * <p><b>Out of memory.</b> A hostile or huge image (e.g. a small PNG that declares 10000×10000 pixels) can exhaust
 * the executor's heap while it is read, decoded or explained. An {@link OutOfMemoryError} there is caught narrowly,
 * around one image's read and decode and around one batch's work (then each image of the batch alone), and becomes
 * that image's error row naming it and the fix, instead of killing the task (and, after Spark's retries, the job);
 * the references to that image's bytes and pixels are dropped first so that the memory can be reclaimed. An
 * {@code OutOfMemoryError} anywhere else (Spark's own reading of the rows, loading the model) still fails the task.
 *
 * <p>The metrics are scored by the {@link Scorer} that {@code neuromask evaluate} uses, on the map at the model's
 * input size: every registered metric with a column ({@link ResultSchema#metrics()}), those that run the model
 * (deletion and insertion, an extension's) only when asked for ({@link ExplainSettings#deletionInsertion()}), without
 * the {@code _raster} variants. An image with boxes also gets the localisation metrics ({@link PointingGame} at the
 * settings' tolerance, {@link EnergyPointingGame}, {@link MaxBoxAcc}'s hit table), the boxes scaled with the image
 * ({@link LabeledImage#resized}'s rule).
 */
final class PartitionExplainer implements MapPartitionsFunction<Row, Row> {

    private final ExplainSettings settings;
    /** The driver's columns ({@link ResultSchema#SCHEMA}), the order of each row's cells. */
    private final List<String> columns;
    /** The driver's metrics with a column ({@link ResultSchema#metrics()}), by name, looked up on the executor. */
    private final List<String> metrics;

    PartitionExplainer(ExplainSettings settings) {
        this.settings = settings;
        this.columns = List.of(ResultSchema.SCHEMA.fieldNames());
        this.metrics = ResultSchema.metrics().stream().map(Metric::name).toList();
    }

    /** Decodes an image file's bytes ({@link ImageFiles#decode}'s contract). */
    interface Decoder {
        RgbImage decode(byte[] content, String id) throws IOException;
    }

    /**
     * Test hook: how the images are decoded, {@link ImageFiles#decode} unless a test replaced it. Tests in local mode
     * (the tasks run in the test's JVM) replace it to inject failures that no small fixture triggers deterministically,
     * such as an {@link OutOfMemoryError} while decoding; they restore it with {@link #resetTestHooks()}. Production
     * code never sets it.
     */
    static volatile Decoder decoder = ImageFiles::decode;

    /**
     * Test hook: called on the engine thread with the ids of each batch (or single image) before it is explained;
     * nothing unless a test replaced it (e.g. to throw an {@link OutOfMemoryError} for one image). Production code
     * never sets it.
     */
    static volatile java.util.function.Consumer<List<String>> beforeBatch = ids -> {};

    /** Restores the test hooks' production behaviour. */
    static void resetTestHooks() {
        decoder = ImageFiles::decode;
        beforeBatch = ids -> {};
    }

    /** MaxBoxAcc as evaluate runs it (100 thresholds, IoU 0.5). */
    private static final MaxBoxAcc MAX_BOX_ACC = new MaxBoxAcc();

    /**
     * One decoded input (or the reason it could not be decoded); boxes in the model's input pixels, null when the
     * image has none.
     */
    private record Input(String id, Integer label, RgbImage image, List<Box> boxes, String error, long group) {}

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Device device = ExecutorModels.device(settings.device());
        // every libtorch call on the device's engine thread (ExecutorModels: one OpenMP pool per JVM)
        Classifier model = ExecutorModels.onEngineThread(device, () -> ExecutorModels.model(settings.model(), device));
        MaskObjective<?> objective = settings.maskMethod() ? settings.objective(model) : null;
        int batch = settings.batchSize() > 0 ? settings.batchSize()
                : objective != null ? Math.min(MaskEngine.DEFAULT_BATCH_SIZE, ExecutorModels.onEngineThread(device,
                        () -> ExecutorModels.batchSize(model, objective)))
                : MaskEngine.DEFAULT_BATCH_SIZE;
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private Input pending;

            @Override
            public boolean hasNext() {
                // one batch group at a time (rows arrive sorted by group, then id)
                while (ready.isEmpty() && (pending != null || rows.hasNext())) {
                    List<Input> chunk = new ArrayList<>();
                    if (pending != null) {
                        chunk.add(pending);
                        pending = null;
                    }
                    while (rows.hasNext()) {
                        Input in = decode(rows.next(), model);
                        if (!chunk.isEmpty() && in.group() != chunk.get(0).group()) {
                            pending = in;
                            break;
                        }
                        chunk.add(in);
                    }
                    ready.addAll(ExecutorModels.onEngineThread(device, () -> explain(model, objective, batch, chunk)));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.removeFirst();
            }
        };
    }

    /** Reads a normalised input row (see {@link ImageTables#normalise}). */
    private static Input decode(Row row, Classifier model) {
        String id = row.getString(row.fieldIndex(ImageTables.ID));
        int li = row.fieldIndex(ImageTables.LABEL);
        Integer label = row.isNullAt(li) ? null : row.getInt(li);
        long group = row.getLong(row.fieldIndex(ImageTables.GROUP));
        int bi = row.fieldIndex(ImageTables.BOXES);
        List<Row> boxCells = row.isNullAt(bi) ? List.of() : row.getList(bi);
        byte[] content = null;
        RgbImage image = null;
        try {
            int ci = row.fieldIndex(ImageTables.CONTENT);
            content = row.isNullAt(ci) ? readPath(row.getString(row.fieldIndex(ImageTables.PATH)))
                    : (byte[]) row.get(ci);
            image = decoder.decode(content, id);
            content = null;
            List<Box> boxes = boxes(boxCells, image.width(), image.height());
            if (image.width() != model.inputWidth() || image.height() != model.inputHeight()) {
                double sx = (double) model.inputWidth() / image.width();
                double sy = (double) model.inputHeight() / image.height();
                if (boxes != null) {
                    boxes = boxes.stream().map(b -> b.scale(sx, sy)).toList();
                }
                image = image.resize(model.inputWidth(), model.inputHeight());
            }
            if (label != null && (label < 0 || label >= model.numClasses())) {
                return new Input(id, label, null, null, "label " + label + " is not a class of model " + model.name()
                        + " (0.." + (model.numClasses() - 1) + "); fix the input's target column", group);
            }
            return new Input(id, label, image, boxes, null, group);
        } catch (IOException | RuntimeException e) {
            return new Input(id, label, null, null, e.getMessage() != null ? e.getMessage() : e.toString(), group);
        } catch (OutOfMemoryError e) {
            // drop this image's bytes and pixels before anything else allocates
            content = null;
            image = null;
            return new Input(id, label, null, null, "image " + id + " is too large: reading and decoding it ran out "
                    + "of memory (" + e + "); shrink it (the model takes " + model.inputWidth() + "×"
                    + model.inputHeight() + "), or give the executors more memory (" + MORE_MEMORY + ")", group);
        }
    }

    /** Where a job gets more memory, for the messages of error rows. */
    private static final String MORE_MEMORY = "spark.executor.memory; in local mode the driver's, --driver-memory or "
            + "-Xmx";

    /** The error of an image whose explanation ran out of memory. */
    private static String outOfMemory(String id, OutOfMemoryError e) {
        return "explaining image " + id + " ran out of memory (" + e + "): the image is too large for this executor's "
                + "memory; give the executors more memory (" + MORE_MEMORY + "), or a smaller --batch";
    }

    /**
     * The boxes of a {@code boxes} cell in pixels of the image as given ({@code width}×{@code height}), or null when
     * there are none.
     *
     * @throws IllegalArgumentException naming the box when one has a null or non-finite coordinate, x1 &lt; x0 or
     *     y1 &lt; y0, or lies outside the image
     */
    static List<Box> boxes(List<Row> cells, int width, int height) {
        if (cells == null || cells.isEmpty()) {
            return null;
        }
        // a box edge may exceed the image by rounding (e.g. boxes scaled from an original size)
        double slack = 1e-6 * Math.max(width, height);
        List<Box> out = new ArrayList<>(cells.size());
        for (int k = 0; k < cells.size(); k++) {
            Row c = cells.get(k);
            String which = "box " + (k + 1) + " of " + cells.size();
            if (c == null || c.anyNull()) {
                throw new IllegalArgumentException(which + " " + c + " has a null coordinate; give x0, y0, x1, y1 in "
                        + "pixels of the image");
            }
            Box b;
            try {
                b = new Box(c.getDouble(0), c.getDouble(1), c.getDouble(2), c.getDouble(3));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(which + ": " + e.getMessage(), e);
            }
            if (b.x0() < -slack || b.y0() < -slack || b.x1() > width + slack || b.y1() > height + slack) {
                throw new IllegalArgumentException(which + " (" + b.x0() + ", " + b.y0() + ", " + b.x1() + ", "
                        + b.y1() + ") lies outside the " + width + "×" + height + " image; boxes are in pixels of "
                        + "the image as given: 0 ≤ x0 ≤ x1 ≤ " + width + ", 0 ≤ y0 ≤ y1 ≤ " + height);
            }
            out.add(b);
        }
        return List.copyOf(out);
    }

    private static byte[] readPath(String uri) throws IOException {
        if (uri == null) {
            throw new IOException("the row has neither content nor a path");
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = path.getFileSystem(new Configuration());
        try (InputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /**
     * The rows of one batch group. Consumes {@code chunk} (clears it), so that each image's pixels can be reclaimed
     * once its row is made.
     */
    private List<Row> explain(Classifier model, MaskObjective<?> objective, int batch, List<Input> chunk) {
        List<Row> out = new ArrayList<>(chunk.size());
        List<Input> ok = new ArrayList<>();
        for (Input in : chunk) {
            if (in.error() != null) {
                out.add(errorRow(in, settings.seedFor(in.id()), in.error()));
            } else {
                ok.add(in);
            }
        }
        chunk.clear();
        if (ok.isEmpty()) {
            return out;
        }
        boolean alone = !settings.batched();
        if (!alone) {
            try {
                out.addAll(explainTogether(model, objective, batch, ok, settings.seed()));
            } catch (java.util.concurrent.CancellationException e) {
                throw e; // Spark cancelled the task: no error rows, no retry image by image
            } catch (RuntimeException | OutOfMemoryError e) {
                // find the image that fails (the batch's arrays are unreachable now): the others still get their rows
                alone = true;
            }
        }
        if (alone) {
            for (int i = 0; i < ok.size(); i++) {
                out.addAll(explainAlone(model, objective, batch, ok.get(i)));
                ok.set(i, null);
            }
        }
        return out;
    }

    private List<Row> explainAlone(Classifier model, MaskObjective<?> objective, int batch, Input in) {
        long seed = settings.seedFor(in.id());
        try {
            return explainTogether(model, objective, batch, List.of(in), seed);
        } catch (java.util.concurrent.CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            return List.of(errorRow(in, seed, "explaining failed: " + e));
        } catch (OutOfMemoryError e) {
            return List.of(errorRow(in, seed, outOfMemory(in.id(), e)));
        }
    }

    private List<Row> explainTogether(Classifier model, MaskObjective<?> objective, int batch, List<Input> inputs,
            long seed) {
        long start = System.nanoTime();
        int n = inputs.size();
        beforeBatch.accept(inputs.stream().map(Input::id).toList());
        List<RgbImage> images = new ArrayList<>(n);
        List<Target> targets = new ArrayList<>(n);
        for (Input in : inputs) {
            images.add(in.image());
            targets.add(in.label() != null ? Target.index(in.label()) : Target.predicted());
        }
        int[] target = new int[n];
        int[] before = new int[n];
        double[] pBefore = new double[n];
        int[] after = new int[n];
        double[] pAfter = new double[n];
        List<SaliencyMap> maps = new ArrayList<>(n);
        if (objective != null) {
            MaskEngine engine = NeuroMask.builder().model(model).objective(objective).seed(seed).batchSize(batch)
                    .build();
            List<Explanation> ex = engine.explain(images, targets);
            for (int i = 0; i < n; i++) {
                Explanation e = ex.get(i);
                maps.add(e.map());
                target[i] = e.target();
                before[i] = e.predictedOriginal();
                pBefore[i] = e.probabilityOriginal();
                after[i] = e.predictedMasked();
                pAfter[i] = e.probabilityMasked();
            }
        } else {
            float[][] p = probabilities(model, images);
            for (int i = 0; i < n; i++) {
                before[i] = argmax(p[i]);
                target[i] = inputs.get(i).label() != null ? inputs.get(i).label() : before[i];
                pBefore[i] = p[i][target[i]];
            }
            List<Target> resolved = new ArrayList<>(n);
            for (int t : target) {
                resolved.add(Target.index(t));
            }
            maps.addAll(Methods.create(settings.method(), model,
                    io.neuromask.attribution.MethodConfig.defaults().seed(seed).batchSize(batch)).attribute(images, resolved));
            List<RgbImage> masked = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                masked.add(masked(images.get(i), maps.get(i).normalized().values()));
            }
            float[][] q = probabilities(model, masked);
            for (int i = 0; i < n; i++) {
                after[i] = argmax(q[i]);
                pAfter[i] = q[i][target[i]];
            }
        }
        // the metrics as evaluate scores them (one Scorer); those that run the model only when asked for
        List<Metric> chosen = new ArrayList<>();
        for (String name : metrics) {
            Metric m = Metrics.get(name);
            if (!m.needs().contains(Metric.Need.MODEL) || settings.deletionInsertion()) {
                chosen.add(m);
            }
        }
        List<List<Box>> boxes = new ArrayList<>(n);
        for (Input in : inputs) {
            boxes.add(in.boxes() == null ? List.of() : in.boxes());
        }
        Scorer.Scores scores = new Scorer(model, new DeletionInsertion(model),
                new PointingGame(settings.pointingTolerance()), MAX_BOX_ACC, batch).metrics(chosen).rasterVariants(false)
                .score(images, maps, target, boxes);
        double seconds = (System.nanoTime() - start) / 1e9 / n;
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SaliencyMap map = maps.get(i);
            Input in = inputs.get(i);
            Map<String, Object> cells = common(in, seed);
            cells.put("target", target[i]);
            cells.put("iterations", objective != null ? objective.iterations() : null);
            cells.put("predicted_before", before[i]);
            cells.put("probability_before", pBefore[i]);
            cells.put("predicted_after", after[i]);
            cells.put("probability_after", pAfter[i]);
            cells.put(ResultSchema.EXPLAINED, after[i] == target[i]);
            cells.put("height", map.height());
            cells.put("width", map.width());
            cells.put("mask", boxed(map.values()));
            cells.put("mask_png", settings.png() ? png(map) : null);
            for (Metric m : chosen) {
                if (m instanceof SetMetric set) {
                    cells.put(ResultSchema.column(m), scores.records().get(set.recordName())[i]);
                } else {
                    double v = scores.values().get(m.name())[i];
                    cells.put(m.name(), Double.isNaN(v) ? null : m.binary() ? (Object) (v == 1) : (Object) v);
                }
            }
            cells.put("pointing_tolerance", in.boxes() != null ? settings.pointingTolerance() : null);
            cells.put("seconds", seconds);
            cells.put("device", model.device().toString());
            out.add(row(cells));
        }
        return out;
    }

    /** The cells of every row, error rows too: the image, and the model, method and seeds that explained it. */
    private Map<String, Object> common(Input in, long seed) {
        Map<String, Object> cells = new HashMap<>();
        cells.put("id", in.id());
        cells.put("label", in.label());
        cells.put("model", settings.model());
        cells.put("method", settings.method());
        cells.put("preset", presetName());
        cells.put("seed", seed);
        // the model and the run's seed in every row, so that a resume can check them (ExplainJob)
        cells.put("run_seed", settings.seed());
        return cells;
    }

    /** A row of the cells in the driver's column order, null where a column has none. */
    private Row row(Map<String, Object> cells) {
        Object[] values = new Object[columns.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = cells.get(columns.get(k));
        }
        return RowFactory.create(values);
    }

    /** The table's preset column: the preset and its overrides for a mask method (error rows too), else null. */
    private String presetName() {
        return settings.maskMethod() ? settings.presetLabel() : null;
    }

    private Row errorRow(Input in, long seed, String error) {
        Map<String, Object> cells = common(in, seed);
        cells.put("target", in.label());
        cells.put("error", error);
        return row(cells);
    }

    private static Float[] boxed(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static RgbImage masked(RgbImage image, float[] mask) {
        float[] x = image.toChw();
        int plane = image.height() * image.width();
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < plane; k++) {
                x[c * plane + k] *= mask[k];
            }
        }
        return RgbImage.ofChw(x, 3, image.height(), image.width());
    }

    /** Softmax probabilities of each image, without gradients, in a closed manager. */
    private static float[][] probabilities(Classifier model, List<RgbImage> images) {
        int n = images.size();
        int h = model.inputHeight();
        int w = model.inputWidth();
        float[] all = new float[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.get(i).toChw(), 0, all, i * 3 * h * w, 3 * h * w);
        }
        int classes = model.numClasses();
        float[][] out = new float[n][classes];
        try (NDManager manager = NDManager.newBaseManager(model.device())) {
            NDArray x = manager.create(all, new Shape(n, 3, h, w));
            float[] p = model.logits(x).softmax(1).toFloatArray();
            for (int i = 0; i < n; i++) {
                System.arraycopy(p, i * classes, out[i], 0, classes);
            }
        }
        return out;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The min-max normalised map as an 8-bit grey PNG. */
    private static byte[] png(SaliencyMap map) {
        float[] v = map.normalized().values();
        BufferedImage img = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                int g = Math.round(Math.max(0f, Math.min(1f, v[y * map.width() + x])) * 255f);
                img.getRaster().setSample(x, y, 0, g);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

}
