package io.neuromask.spark;

import io.neuromask.engine.MaskEngine;
import io.neuromask.model.Models;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.lit;

/**
 * Explains every image of a table on Spark and appends one row per image to a Parquet table
 * ({@link ResultSchema}).
 *
 * <p><b>Batches.</b> The images, in id order, are cut into groups of the batch size ({@link ExplainSettings#batchSize()},
 * or {@value NeuroMask#DEFAULT_BATCH_SIZE} when chosen per device); a group is one task's batch (or, with a smaller
 * batch chosen for the device, its consecutive sub-batches). Which images share a batch therefore depends on the
 * ids and the batch size only, never on partitions, slices or resumes.
 *
 * <p><b>Commit protocol.</b> The groups still to do are dealt into slices; each slice is one
 * Spark write job: every task writes its partition's rows to a file of its own attempt, Spark commits only one
 * attempt per task (a retried or speculative task never duplicates rows), and the job commit moves the files into
 * the output directory, where readers see them. A killed run loses at most the slice in flight.
 *
 * <p>Before each slice the output's {@code _temporary} folder is deleted: a killed run leaves its attempts there, and
 * Hadoop's committer would otherwise move a dead attempt's committed task files into the output with the next
 * slice's (rows twice, or rows of other settings).
 *
 * <p><b>Resume.</b> With {@code resume} the ids already in the output are skipped (an anti-join), so a rerun after
 * a kill explains each remaining image once and the table holds every id exactly once. The settings must match
 * those of the rows already there: the model ({@code model} column), the run's seed ({@code run_seed}), the method,
 * the preset with its overrides and the pointing game's tolerance; a table that lacks one of these columns (written by
 * an earlier version) is refused, since it cannot say which model or settings wrote it.
 *
 * <p><b>One writer per output.</b> A run holds an exclusive lock on {@code _neuromask-explain.lock} inside the
 * output folder (created when missing) from before it looks at the output until it returns or fails
 * ({@link FileChannel#tryLock}: an operating-system lock, released when the run ends or its JVM dies). A second run
 * on the same output, in this JVM or another, is refused while the first one runs. The file itself stays (Spark's
 * readers skip names starting with {@code _}); a file left by an earlier or killed run holds no lock and blocks
 * nothing. The lock applies to outputs on the local file system: {@code file:} URIs, and paths without a scheme when
 * Hadoop's default file system is the local one (as in local mode). On a shared mount (NFS) it is as good as the
 * mount's {@code fcntl} locks. Outputs on other Hadoop file systems (HDFS, S3, ...) are not locked, since they offer
 * no such lock: there, keeping one writer per output is up to the user, and a second writer would also lose its
 * attempts when the first clears {@code _temporary}.
 *
 * <p><b>Reproducibility.</b> Masks depend on the image, the target, the settings and the seed of the image
 * ({@link ExplainSettings#seedFor}), never on the partitioning or batch, so they are bit-identical to
 * {@code NeuroMask.explain} in one JVM at the same seed and batch size on the images in id order (the engine's masks
 * agree across batch sizes only to about 1e-5, since libtorch's kernels are not bit-for-bit batch invariant).
 */
public final class ExplainJob {

    /** The lock file in the output folder (see the class comment). */
    static final String LOCK_FILE = "_neuromask-explain.lock";

    /**
     * What a run did: images explained now (errors included), images skipped as already in the output, rows with an
     * error in the whole output table, and the number of slices.
     */
    public record Result(long explained, long skipped, long errors, int slices) {}

    private final SparkSession spark;
    private final ExplainSettings settings;
    private int slices;
    private Consumer<String> log = m -> {};

    /** A job on a session with the given settings. */
    public ExplainJob(SparkSession spark, ExplainSettings settings) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The number of slices (write jobs); 0, the default, chooses about 16 images per task and slice. */
    public ExplainJob slices(int slices) {
        if (slices < 0) {
            throw new IllegalArgumentException("slices must be >= 0 (0: chosen from the number of images)");
        }
        this.slices = slices;
        return this;
    }

    /** Receives progress lines (one per slice). */
    public ExplainJob log(Consumer<String> log) {
        this.log = Objects.requireNonNull(log, "log");
        return this;
    }

    /**
     * Runs the job.
     *
     * @param images a table of images (see {@link ImageTables})
     * @param out the Parquet directory (any Hadoop file system URI)
     * @param resume whether to continue the table at {@code out}; without it an existing {@code out} is refused
     * @throws IllegalArgumentException for an unknown model, duplicate ids, an existing output without
     *     {@code resume}, or an output written with another model, seed or settings
     * @throws IOException when another job is writing to {@code out} (a local output whose lock is held), or the
     *     output cannot be read or written
     */
    public Result run(Dataset<Row> images, String out, boolean resume) throws IOException {
        if (!Models.names().contains(settings.model())) {
            throw new IllegalArgumentException("unknown model '" + settings.model() + "'; known models: "
                    + String.join(", ", Models.names()));
        }
        Dataset<Row> input = ImageTables.normalise(images);
        Dataset<Row> ids = input.select(ImageTables.ID);
        long total = ids.count();
        long distinct = ids.distinct().count();
        if (distinct != total) {
            throw new IllegalArgumentException("the image table has " + total + " rows but " + distinct
                    + " distinct ids; give each image its own id (ids identify rows in the output and on resume)");
        }
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(out);
        FileSystem fs = outPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (Closeable lock = lockOutput(fs, outPath, out)) {
            return run(input, ids, total, fs, outPath, out, resume);
        }
    }

    private Result run(Dataset<Row> input, Dataset<Row> ids, long total, FileSystem fs,
            org.apache.hadoop.fs.Path outPath, String out, boolean resume) throws IOException {
        Dataset<Row> todo = input;
        long skipped = 0;
        if (fs.exists(outPath) && hasData(fs, outPath)) {
            if (!resume) {
                throw new IllegalArgumentException("output " + out + " already holds results; use --resume to "
                        + "continue it, or give another --out");
            }
            Dataset<Row> done = spark.read().parquet(out);
            checkSameSettings(done, out);
            Dataset<Row> doneIds = done.select(ImageTables.ID).distinct();
            todo = input.join(doneIds, input.col(ImageTables.ID).equalTo(doneIds.col(ImageTables.ID)), "left_anti");
            skipped = total - todo.select(ImageTables.ID).count();
        }
        // Batches are runs of consecutive ids (in id order) fixed here, over all ids of the input, so that neither
        // the partitioning, nor the slices, nor a resume changes which images share a batch (libtorch's kernels are
        // not bit-for-bit batch invariant).
        int group = settings.batchSize() > 0 ? settings.batchSize() : MaskEngine.DEFAULT_BATCH_SIZE;
        Dataset<Row> groups = batchGroups(ids, group);
        todo = todo.join(groups, ImageTables.ID);
        long remaining = total - skipped;
        int parallelism = spark.sparkContext().defaultParallelism();
        int n = slices > 0 ? slices : (int) Math.max(1, Math.min(1000, (remaining + 16L * parallelism - 1)
                / (16L * parallelism)));
        log.accept(total + " images, " + skipped + " already in " + out + ", " + remaining + " to explain in "
                + n + " slice(s) of " + parallelism + " task(s)");
        Dataset<Row> sliced = todo.withColumn("_slice", pmod(col(ImageTables.GROUP), lit(n)));
        for (int k = 0; k < n && remaining > 0; k++) {
            // attempts of a killed run: Hadoop's job commit would move their committed task files into the output
            fs.delete(new org.apache.hadoop.fs.Path(outPath, "_temporary"), true);
            Dataset<Row> slice = sliced.where(col("_slice").equalTo(k)).drop("_slice")
                    .repartition(parallelism, col(ImageTables.GROUP))
                    .sortWithinPartitions(ImageTables.GROUP, ImageTables.ID);
            slice.mapPartitions(new PartitionExplainer(settings), Encoders.row(ResultSchema.SCHEMA))
                    .write().mode(SaveMode.Append)
                    .option("mapreduce.fileoutputcommitter.algorithm.version", "1")
                    .parquet(out);
            log.accept("slice " + (k + 1) + "/" + n + " committed");
        }
        long errors = 0;
        if (remaining > 0) {
            Dataset<Row> now = spark.read().option("mergeSchema", "true").parquet(out);
            errors = now.where(col("error").isNotNull()).count();
        }
        return new Result(remaining, skipped, errors, n);
    }

    /**
     * The batch group of every id: ids sorted (a distributed range sort), numbered with {@code zipWithIndex} (one
     * small job counting each partition's rows, no single-partition window), and cut into runs of {@code group}.
     */
    private Dataset<Row> batchGroups(Dataset<Row> ids, int group) {
        JavaRDD<Row> numbered = ids.sort(ImageTables.ID).javaRDD().zipWithIndex()
                .map(t -> RowFactory.create(t._1().getString(0), t._2() / group));
        StructType schema = new StructType().add(ImageTables.ID, DataTypes.StringType, false)
                .add(ImageTables.GROUP, DataTypes.LongType, false);
        return spark.createDataFrame(numbered, schema);
    }

    private static boolean hasData(FileSystem fs, org.apache.hadoop.fs.Path out) throws IOException {
        for (var status : fs.listStatus(out)) {
            String name = status.getPath().getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the output's lock for the run (see the class comment), or, for an output on another file system than
     * the local one, nothing.
     *
     * @throws IOException naming the folder when another job holds the lock
     */
    static Closeable lockOutput(FileSystem fs, org.apache.hadoop.fs.Path outPath, String out) throws IOException {
        java.net.URI uri = fs.makeQualified(outPath).toUri();
        if (!"file".equals(uri.getScheme())) {
            return () -> {};
        }
        java.nio.file.Path dir = java.nio.file.Path.of(uri);
        Files.createDirectories(dir);
        java.nio.file.Path file = dir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // a run in this JVM holds it
        } finally {
            if (lock == null) {
                channel.close();
            }
        }
        if (lock == null) {
            throw new IOException("another spark-explain job is writing to " + out + " (it holds the lock " + file
                    + "); wait for it to finish, or give another --out");
        }
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                channel.close();
            }
        };
    }

    private void checkSameSettings(Dataset<Row> done, String out) {
        List<String> columns = java.util.Arrays.asList(done.columns());
        if (!columns.contains("model") || !columns.contains("run_seed")) {
            throw new IllegalArgumentException(out + " was written by an earlier version of spark-explain, which did "
                    + "not record the model and the seed of each row, so it cannot say which model wrote it and "
                    + "its results cannot be joined with this run's (model " + settings.model() + ", seed "
                    + settings.seed() + "); give another --out");
        }
        if (!columns.contains("pointing_tolerance")) {
            throw new IllegalArgumentException(out + " was written by an earlier version of spark-explain, which did "
                    + "not record the pointing game's tolerance, so its results cannot be joined with this run's; "
                    + "give another --out");
        }
        for (Row r : done.select("pointing_tolerance").where(col("pointing_tolerance").isNotNull()).distinct()
                .limit(2).collectAsList()) {
            if (r.getDouble(0) != settings.pointingTolerance()) {
                throw new IllegalArgumentException(out + " holds pointing-game results at a tolerance of "
                        + r.getDouble(0) + " px; this run has " + settings.pointingTolerance() + " px; resume "
                        + "with --tolerance " + r.getDouble(0) + ", or give another --out");
            }
        }
        List<Row> kinds = done.select("method", "model", "run_seed", "preset").distinct().limit(2).collectAsList();
        for (Row r : kinds) {
            String method = r.getString(0);
            if (!method.equals(settings.method())) {
                throw new IllegalArgumentException(out + " holds results of method '" + method + "'; this run is '"
                        + settings.method() + "'; give another --out to keep methods apart");
            }
            String model = r.getString(1);
            if (!model.equals(settings.model())) {
                throw new IllegalArgumentException(out + " holds results of model '" + model + "'; this run has "
                        + "--model " + settings.model() + "; resume with --model " + model + ", or give another --out "
                        + "to keep models apart");
            }
            if (r.getLong(2) != settings.seed()) {
                throw new IllegalArgumentException(out + " holds results at --seed " + r.getLong(2) + "; this run has "
                        + "--seed " + settings.seed() + "; resume with --seed " + r.getLong(2) + ", or give another "
                        + "--out");
            }
            // every row (error rows too) names the preset and each --set of the run
            if (settings.maskMethod() && !r.isNullAt(3) && !r.getString(3).equals(settings.presetLabel())) {
                throw new IllegalArgumentException(out + " holds results of preset '" + r.getString(3) + "'; this "
                        + "run is '" + settings.presetLabel() + "'; resume with the same --preset and --set, or give "
                        + "another --out");
            }
        }
    }
}
