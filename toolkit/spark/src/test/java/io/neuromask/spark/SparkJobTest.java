package io.neuromask.spark;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.neuromask.Preset;
import io.neuromask.TestMirror;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.attribution.CenterBaseline;
import io.neuromask.data.Box;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.metrics.EnergyPointingGame;
import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Summary;
import io.neuromask.metrics.TopDecileMass;
import io.neuromask.model.Devices;
import io.neuromask.store.ModelStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local mode against the single-JVM engine, kill and resume, a corrupt file, and the localisation
 * metrics of images with boxes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkJobTest {

    private static final String MODEL = "cifar10-resnet20";
    /** Few iterations keep the test short; bit-identity is what is tested, not mask quality. */
    private static final int ITERATIONS = 15;

    private SparkSession spark;

    @BeforeAll
    void start() {
        TestMirror.path();
        spark = SparkMain.session("local[2]", "SparkJobTest");
    }

    @AfterAll
    void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static List<LabeledImage> cifar(int count) throws Exception {
        LabeledImages set = Datasets.open("cifar10-test", ModelStore.fromEnvironment());
        List<LabeledImage> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(set.get(i));
        }
        return out;
    }

    private static Map<String, Row> byId(List<Row> rows) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : rows) {
            assertNull(m.put(r.getString(r.fieldIndex("id")), r), "id " + r.getString(0) + " twice");
        }
        return m;
    }

    private static float[] mask(Row r) {
        List<Float> list = r.getList(r.fieldIndex("mask"));
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    @Test
    void hundredImagesInLocal2GiveTheMasksOfOneJvm(@TempDir Path dir) throws Exception {
        List<LabeledImage> images = cifar(100);
        ExplainSettings settings = new ExplainSettings(MODEL, "neuromask", "fast-cifar10", ITERATIONS, 0L, 16,
                "cpu", false, true);
        String out = dir.resolve("masks.parquet").toString();
        ExplainJob.Result result = new ExplainJob(spark, settings).slices(2).run(ImageTables.of(spark, images), out,
                false);
        assertEquals(100, result.explained());
        assertEquals(0, result.errors());

        // the single-JVM reference: one call on the images in id order at the same batch size, images straight from
        // the data set (not through PNG)
        images = new ArrayList<>(images);
        images.sort(java.util.Comparator.comparing(LabeledImage::id));
        Classifier model = ExecutorModels.model(MODEL, Devices.parse("cpu"));
        List<RgbImage> pixels = images.stream().map(LabeledImage::image).toList();
        List<Target> targets = images.stream().map(li -> Target.index(li.label())).toList();
        List<Explanation> reference = NeuroMask.builder().model(model)
                .objective(Preset.FAST_CIFAR10.objective().withIterations(ITERATIONS)).seed(0L).batchSize(16).build()
                .explain(pixels, targets);

        Map<String, Row> rows = byId(spark.read().parquet(out).collectAsList());
        assertEquals(100, rows.size());
        int nonFlat = 0;
        for (int i = 0; i < images.size(); i++) {
            Row r = rows.get(images.get(i).id());
            assertNotNull(r, "no row for " + images.get(i).id());
            Explanation e = reference.get(i);
            float[] m = mask(r);
            assertArrayEquals(e.mask(), m, 0f, "mask of " + images.get(i).id());
            for (int k = 0; k < m.length; k++) {
                assertEquals(Float.floatToRawIntBits(e.mask()[k]), Float.floatToRawIntBits(m[k]),
                        "bits of " + images.get(i).id() + " at " + k);
            }
            assertEquals(e.target(), r.getInt(r.fieldIndex("target")));
            assertEquals(e.predictedOriginal(), r.getInt(r.fieldIndex("predicted_before")));
            assertEquals(e.predictedMasked(), r.getInt(r.fieldIndex("predicted_after")));
            assertEquals(e.probabilityMasked(), r.getDouble(r.fieldIndex("probability_after")));
            assertEquals(0L, r.getLong(r.fieldIndex("seed")));
            assertEquals("cpu()", r.getString(r.fieldIndex("device")).toLowerCase());
            byte[] png = (byte[]) r.get(r.fieldIndex("mask_png"));
            assertEquals(32, ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth());
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : m) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max - min > 0.05f) {
                nonFlat++;
            }
        }
        assertTrue(nonFlat > 50, "the masks should have learned something; only " + nonFlat + " are not flat");

        // the summary step: the Parquet read back into evaluate's report
        ResultsSummary summary = ResultsSummary.read(spark, out, MODEL, model.labels());
        Summary area = summary.byMethod().methods().get(0).metrics().get("mask_area");
        assertEquals(100, area.n());
        assertTrue(area.low() < area.mean() && area.mean() < area.high());
        assertEquals(10, summary.byClass().methods().size(), "one row per CIFAR-10 class");
        assertTrue(summary.toString().contains("neuromask / cat"), summary.toString());
    }

    @Test
    void objectiveOverridesReachTheExecutorsAndAResumeWithOthersIsRefused(@TempDir Path dir) throws Exception {
        List<LabeledImage> images = cifar(4);
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        overrides.put("lambdaSparsity", "1.0");
        overrides.put("temperature", "0.3");
        ExplainSettings settings = new ExplainSettings(MODEL, "neuromask", "fast-cifar10", ITERATIONS, 0L, 4, "cpu",
                false, false).withOverrides(overrides);
        String out = dir.resolve("set.parquet").toString();
        new ExplainJob(spark, settings).slices(1).run(ImageTables.of(spark, images), out, false);

        images = new ArrayList<>(images);
        images.sort(java.util.Comparator.comparing(LabeledImage::id));
        Classifier model = ExecutorModels.model(MODEL, Devices.parse("cpu"));
        List<RgbImage> pixels = images.stream().map(LabeledImage::image).toList();
        List<Target> targets = images.stream().map(li -> Target.index(li.label())).toList();
        MaskEngine.Builder engine = NeuroMask.builder().model(model).seed(0L).batchSize(4);
        List<Explanation> changed = engine.objective(Preset.FAST_CIFAR10.objective().withSetting("lambdaSparsity",
                "1.0").withSetting("temperature", "0.3").withIterations(ITERATIONS)).build().explain(pixels, targets);
        List<Explanation> preset = engine.objective(Preset.FAST_CIFAR10.objective().withIterations(ITERATIONS))
                .build().explain(pixels, targets);
        Map<String, Row> rows = byId(spark.read().parquet(out).collectAsList());
        for (int i = 0; i < images.size(); i++) {
            Row r = rows.get(images.get(i).id());
            assertArrayEquals(changed.get(i).mask(), mask(r), 0f, "mask of " + images.get(i).id());
            assertTrue(!java.util.Arrays.equals(preset.get(i).mask(), mask(r)),
                    "the overrides should change the mask of " + images.get(i).id());
            assertEquals("fast-cifar10 lambdaSparsity=1.0 temperature=0.3", r.getString(r.fieldIndex("preset")));
        }

        // resuming into that table with other settings would mix two objectives in one table
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ExplainJob(spark, settings.withOverrides(Map.of("temperature", "0.3"))).run(
                        ImageTables.of(spark, cifar(6)), out, true));
        assertTrue(e.getMessage().contains("holds results of preset 'fast-cifar10 lambdaSparsity=1.0 "
                + "temperature=0.3'; this run is 'fast-cifar10 temperature=0.3'"), e.getMessage());
        ExplainJob.Result same = new ExplainJob(spark, settings).run(ImageTables.of(spark, cifar(6)), out, true);
        assertEquals(4, same.skipped());
        assertEquals(2, same.explained());
    }

    /**
     * Every row records the model and the run's seed, also for a method explained one image at a time with a seed
     * of its own (SmoothGrad); a resume with another model or seed, or into a table without the model column, is
     * refused, naming both values and the fix; spark-summary names the table's model and refuses another's labels.
     */
    @Test
    void theTableRecordsModelAndSeedAndAResumeWithOthersIsRefused(@TempDir Path dir) throws Exception {
        List<LabeledImage> c = cifar(2);
        Dataset<Row> both = ImageTables.of(spark, c);
        ExplainSettings settings = new ExplainSettings(MODEL, "smoothgrad", null, 0, 7L, 0, "cpu", false, false);
        String out = dir.resolve("smooth.parquet").toString();
        new ExplainJob(spark, settings).slices(1).run(ImageTables.of(spark, c.subList(0, 1)), out, false);
        Row first = spark.read().parquet(out).first();
        assertEquals(MODEL, first.getString(first.fieldIndex("model")));
        assertEquals(7L, first.getLong(first.fieldIndex("run_seed")));
        long imageSeed = first.getLong(first.fieldIndex("seed"));
        assertEquals(settings.seedFor(c.get(0).id()), imageSeed);
        assertTrue(imageSeed != 7L, "SmoothGrad's image seed is mixed from the run's and the id");

        IllegalArgumentException model = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ExplainJob(spark, new ExplainSettings("test-cnn32",
                        "smoothgrad", null, 0, 7L, 0, "cpu", false, false)).run(both, out, true));
        assertTrue(model.getMessage().contains("holds results of model '" + MODEL + "'; this run has --model "
                + "test-cnn32; resume with --model " + MODEL + ", or give another --out"), model.getMessage());
        IllegalArgumentException seed = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ExplainJob(spark, new ExplainSettings(MODEL, "smoothgrad",
                        null, 0, 8L, 0, "cpu", false, false)).run(both, out, true));
        assertTrue(seed.getMessage().contains("holds results at --seed 7; this run has --seed 8; resume with --seed 7, "
                + "or give another --out"), seed.getMessage());
        ExplainJob.Result same = new ExplainJob(spark, settings).slices(1).run(both, out, true);
        assertEquals(1, same.skipped());
        assertEquals(1, same.explained());
        for (Row r : spark.read().parquet(out).collectAsList()) {
            assertEquals(MODEL, r.getString(r.fieldIndex("model")));
            assertEquals(7L, r.getLong(r.fieldIndex("run_seed")));
        }

        assertEquals(MODEL, ResultsSummary.read(spark, out, null, null).byMethod().model());
        IllegalArgumentException labels = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> ResultsSummary.read(spark, out, "test-cnn32", null));
        assertTrue(labels.getMessage().contains("holds results of model " + MODEL + ", not test-cnn32"),
                labels.getMessage());
        Path csv = dir.resolve("smooth.csv");
        assertEquals(2, ResultsSummary.exportCsv(spark, out, csv));
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            assertEquals(MODEL, cells[header.indexOf("model")], line);
            assertEquals("7", cells[header.indexOf("run_seed")], line);
        }

        // a table written before the model was recorded cannot say which model wrote it
        String old = dir.resolve("old.parquet").toString();
        spark.read().parquet(out).drop("model").write().parquet(old);
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ExplainJob(spark, settings).run(both, old, true));
        assertTrue(unknown.getMessage().contains("cannot say which model wrote it")
                && unknown.getMessage().contains("give another --out"), unknown.getMessage());
    }

    /**
     * A second job on the same output is refused while the first holds the output's lock, from another process
     * (a JVM holding the lock file's lock) or from this JVM; a lock file left behind by a dead process blocks nothing,
     * and a run that fails releases its lock.
     */
    @Test
    void aSecondWriterToTheSameOutputIsRefusedButAStaleLockFileIsNot(@TempDir Path dir) throws Exception {
        Dataset<Row> input = ImageTables.of(spark, cifar(1));
        ExplainSettings settings = ExplainSettings.of(MODEL, "center");
        Path out = dir.resolve("locked.parquet");
        Path lockFile = out.resolve(ExplainJob.LOCK_FILE);
        Path holder = dir.resolve("HoldLock.java");
        Files.writeString(holder, String.join("\n",
                "import java.nio.channels.FileChannel;",
                "import java.nio.file.*;",
                "public class HoldLock {",
                "    public static void main(String[] args) throws Exception {",
                "        Path p = Path.of(args[0]);",
                "        Files.createDirectories(p.getParent());",
                "        try (FileChannel c = FileChannel.open(p, StandardOpenOption.CREATE,",
                "                StandardOpenOption.WRITE);",
                "                var lock = c.lock()) {",
                "            System.out.println(\"locked\");",
                "            System.out.flush();",
                "            System.in.read();",
                "        }",
                "    }",
                "}"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), lockFile.toString()).redirectError(dir.resolve("holder.log").toFile()).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))
                    .readLine();
            assertEquals("locked", line, "the lock holder: " + Files.readString(dir.resolve("holder.log")));
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> new ExplainJob(spark, settings).run(input, out.toString(), false));
            assertTrue(e.getMessage().contains("another spark-explain job is writing to " + out)
                    && e.getMessage().contains("give another --out"), e.getMessage());
            assertTrue(!Files.exists(out.resolve("_SUCCESS")), "the refused run wrote nothing");
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(lockFile), "the dead holder's lock file stays");
        assertEquals(1, new ExplainJob(spark, settings).run(input, out.toString(), false).explained(),
                "a lock file whose lock no process holds does not block");

        // a run that fails (an existing output without --resume) releases the lock
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ExplainJob(spark, settings).run(input, out.toString(), false));
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock lock = channel.tryLock()) {
            assertNotNull(lock, "the failed run released the lock");
            // while this JVM holds it, a run here is refused too
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> new ExplainJob(spark, settings).run(input, out.toString(), true));
            assertTrue(e.getMessage().contains("another spark-explain job is writing to " + out), e.getMessage());
        }
        assertEquals(1, new ExplainJob(spark, settings).run(input, out.toString(), true).skipped());
    }

    /**
     * A killed run leaves its task attempts under {@code _temporary}; Hadoop's job commit would move a committed
     * attempt's files into the output with the next slice. The job clears the folder first: the dead attempt's row
     * never reaches the table.
     */
    @Test
    void attemptsLeftInTemporaryByAKilledRunAreNotCommitted(@TempDir Path dir) throws Exception {
        List<LabeledImage> c = cifar(2);
        ExplainSettings settings = ExplainSettings.of(MODEL, "center");
        String out = dir.resolve("temporary.parquet").toString();
        new ExplainJob(spark, settings).slices(1).run(ImageTables.of(spark, c.subList(0, 1)), out, false);
        // a committed task attempt as FileOutputCommitter (algorithm 1) leaves it: a Parquet file with a row "ghost"
        String ghost = dir.resolve("ghost.parquet").toString();
        spark.read().parquet(out).withColumn("id", org.apache.spark.sql.functions.lit("ghost")).coalesce(1).write()
                .parquet(ghost);
        Path part;
        try (Stream<Path> files = Files.list(Path.of(ghost))) {
            part = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
        }
        Path task = Path.of(out, "_temporary", "0", "task_202401010000_0007_m_000000");
        Files.createDirectories(task);
        Files.copy(part, task.resolve(part.getFileName()));

        ExplainJob.Result r = new ExplainJob(spark, settings).slices(1).run(ImageTables.of(spark, c), out, true);
        assertEquals(1, r.skipped());
        assertEquals(1, r.explained());
        Map<String, Row> rows = byId(spark.read().parquet(out).collectAsList());
        assertEquals(java.util.Set.of(c.get(0).id(), c.get(1).id()), rows.keySet(), "no row of the dead attempt");
        assertTrue(!Files.exists(Path.of(out, "_temporary")));
    }

    /**
     * An {@link OutOfMemoryError} while decoding one image, or while explaining the batch holding another, becomes
     * that image's error row naming it and the fix; the task survives and the other image of the batch gets its
     * result. The errors are injected through {@link PartitionExplainer}'s test hooks (the tasks of local mode run in
     * this JVM): a real one depends on the heap size and on how the image reader copes with huge images.
     */
    @Test
    void runningOutOfMemoryOnOneImageGivesItsErrorRow(@TempDir Path dir) throws Exception {
        List<LabeledImage> c = cifar(3);
        Dataset<Row> input = ImageTables.of(spark, List.of(
                new LabeledImage("a-fine", c.get(0).image(), c.get(0).label(), List.of()),
                new LabeledImage("b-huge", c.get(1).image(), c.get(1).label(), List.of()),
                new LabeledImage("c-heavy", c.get(2).image(), c.get(2).label(), List.of())));
        ExplainSettings settings = new ExplainSettings(MODEL, "center", null, 0, 3L, 0, "cpu", false, false);
        String out = dir.resolve("oom.parquet").toString();
        PartitionExplainer.decoder = (content, id) -> {
            if (id.equals("b-huge")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return io.neuromask.io.ImageFiles.decode(content, id);
        };
        PartitionExplainer.beforeBatch = ids -> {
            if (ids.contains("c-heavy")) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        ExplainJob.Result result;
        try {
            result = new ExplainJob(spark, settings).slices(1).run(input, out, false);
        } finally {
            PartitionExplainer.resetTestHooks();
        }
        assertEquals(3, result.explained());
        assertEquals(2, result.errors());
        Map<String, Row> rows = byId(spark.read().parquet(out).collectAsList());
        Row fine = rows.get("a-fine");
        assertNull(fine.get(fine.fieldIndex("error")));
        assertEquals(32 * 32, mask(fine).length, "the image batched with c-heavy still gets its map");
        String huge = rows.get("b-huge").getString(rows.get("b-huge").fieldIndex("error"));
        assertTrue(huge != null && huge.contains("image b-huge is too large") && huge.contains("ran out of memory")
                && huge.contains("give the executors more memory"), huge);
        String heavy = rows.get("c-heavy").getString(rows.get("c-heavy").fieldIndex("error"));
        assertTrue(heavy != null && heavy.contains("explaining image c-heavy ran out of memory")
                && heavy.contains("too large") && heavy.contains("give the executors more memory"), heavy);
        for (String id : new String[] {"b-huge", "c-heavy"}) {
            Row r = rows.get(id);
            assertNull(r.get(r.fieldIndex("mask")), id);
            assertEquals(MODEL, r.getString(r.fieldIndex("model")), "error rows record the model too");
            assertEquals(3L, r.getLong(r.fieldIndex("run_seed")), "error rows record the run's seed too");
        }
    }

    /** The images as PNG files named {@code good-<label>-<id>.png} in a new folder {@code folder}. */
    private static Path pngs(Path folder, List<LabeledImage> images) throws Exception {
        Files.createDirectories(folder);
        for (LabeledImage li : images) {
            ImageIO.write(li.image().toBufferedImage(), "png", folder.resolve("good-" + li.label() + "-"
                    + li.id().replaceAll("[^A-Za-z0-9]", "_") + ".png").toFile());
        }
        return folder;
    }

    @Test
    void anOverriddenTableWithAnErrorRowResumesWithItsOwnSettingsOnly(@TempDir Path dir) throws Exception {
        Path images = pngs(dir.resolve("images"), cifar(2));
        Files.write(images.resolve("broken.png"), "not a png".getBytes());
        ExplainSettings settings = new ExplainSettings(MODEL, "neuromask", "fast-cifar10", ITERATIONS, 0L, 2, "cpu",
                false, false).withOverrides(Map.of("temperature", "0.3"));
        String out = dir.resolve("set.parquet").toString();
        String uri = images.toUri().toString();
        assertEquals(1, new ExplainJob(spark, settings).run(ImageTables.files(spark, uri), out, false).errors());
        for (Row r : spark.read().parquet(out).collectAsList()) {
            assertEquals("fast-cifar10 temperature=0.3", r.getString(r.fieldIndex("preset")),
                    "every row, the error row too, names the preset and the --set: " + r);
        }

        ExplainJob.Result same = new ExplainJob(spark, settings).run(ImageTables.files(spark, uri), out, true);
        assertEquals(3, same.skipped(), "the error row counts as done");
        assertEquals(0, same.explained());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ExplainJob(spark, settings.withOverrides(Map.of())).run(ImageTables.files(spark, uri), out,
                        true));
        assertTrue(e.getMessage().contains("this run is 'fast-cifar10'"), e.getMessage());
    }

    @Test
    void killedHalfwayAndResumedHoldsEachIdOnce(@TempDir Path dir) throws Exception {
        int count = 32;
        String out = dir.resolve("resume.parquet").toString();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g"));
        for (String opt : System.getProperty("neuromask.test.sparkOptions", "").split(" ")) {
            if (!opt.isBlank()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-Dneuromask.mirror=" + TestMirror.path(), "-cp", System.getProperty("java.class.path"),
                SparkMain.class.getName(), "spark-explain", "--data", "cifar10-test:" + count, "--model", MODEL,
                "--preset", "fast-cifar10", "--iterations", "30", "--batch", "4", "--slices", "4", "--device",
                "cpu", "--out", out, "--master", "local[2]"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        boolean committed = false;
        while (System.nanoTime() < deadline && child.isAlive() && !committed) {
            Thread.sleep(100);
            File[] parts = new File(out).listFiles((d, name) -> name.startsWith("part-") && name.endsWith(".parquet"));
            committed = parts != null && parts.length > 0;
        }
        boolean finishedEarly = !child.isAlive();
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        if (!committed || finishedEarly) {
            fail("the child job should be killed after its first slice and before its last (committed " + committed
                    + ", finished " + finishedEarly + "): " + Files.readString(dir.resolve("child.log")));
        }

        ExplainSettings settings = new ExplainSettings(MODEL, "neuromask", "fast-cifar10", 30, 0L, 4, "cpu", false,
                false);
        Dataset<Row> input = ImageTables.dataset(spark, "cifar10-test", count);
        ExplainJob.Result resumed = new ExplainJob(spark, settings).slices(3).run(input, out, true);
        assertTrue(resumed.skipped() > 0 && resumed.skipped() < count,
                "the killed run committed some but not all images: skipped " + resumed.skipped());
        assertEquals(count, resumed.skipped() + resumed.explained());

        List<Row> rows = spark.read().parquet(out).collectAsList();
        assertEquals(count, rows.size(), "each id exactly once");
        Map<String, Row> ids = byId(rows);
        for (LabeledImage li : cifar(count)) {
            assertTrue(ids.containsKey(li.id()), "missing " + li.id());
            assertNull(ids.get(li.id()).get(ids.get(li.id()).fieldIndex("error")));
        }
        // a second resume has nothing left to do
        ExplainJob.Result again = new ExplainJob(spark, settings).run(input, out, true);
        assertEquals(0, again.explained());
        assertEquals(count, again.skipped());
    }

    @Test
    void corruptFileGivesAnErrorRowNotAFailedJob(@TempDir Path dir) throws Exception {
        Path images = pngs(dir.resolve("images"), cifar(3));
        byte[] png = Files.readAllBytes(Files.list(images).findFirst().orElseThrow());
        Files.write(images.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 3));
        Files.write(images.resolve("noise.jpg"), "this is not an image".getBytes());
        String out = dir.resolve("errors.parquet").toString();
        ExplainJob.Result r = new ExplainJob(spark, ExplainSettings.of(MODEL, "gradient"))
                .run(ImageTables.files(spark, images.toUri().toString()), out, false);
        assertEquals(5, r.explained());
        assertEquals(2, r.errors());
        List<Row> rows = spark.read().parquet(out).collectAsList();
        assertEquals(5, rows.size());
        for (Row row : rows) {
            String id = row.getString(row.fieldIndex("id"));
            String error = row.getString(row.fieldIndex("error"));
            if (id.endsWith("truncated.png") || id.endsWith("noise.jpg")) {
                assertNotNull(error, id);
                assertTrue(error.contains(id.substring(id.lastIndexOf('/') + 1)), "the error names the file: " + error);
                assertNull(row.get(row.fieldIndex("mask")));
            } else {
                assertNull(error, id + ": " + error);
                assertEquals(32 * 32, mask(row).length);
                assertNull(row.get(row.fieldIndex("label")));
            }
            // a table without a boxes column: no localisation
            for (String c : new String[] {"pointing_game", "energy_pointing_game", "max_box_acc_hits"}) {
                assertTrue(row.isNullAt(row.fieldIndex(c)), id + ": " + c);
            }
        }
        try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(out.startsWith("/") ? "file://" + out : out)))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("_SUCCESS")), "the write job committed");
        }
    }

    private static Row box(double x0, double y0, double x1, double y1) {
        return RowFactory.create(x0, y0, x1, y1);
    }

    private static byte[] png(RgbImage image) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(image.toBufferedImage(), "png", bytes);
        return bytes.toByteArray();
    }

    /**
     * The pointing-game tolerance is the one given: {@code center}'s maximum at pixel (15, 15) is about 7 px from a box
     * at (20, 20)–(24, 24), a hit at the default 15 px and a miss at 2 px; a negative or NaN tolerance is refused.
     */
    @Test
    void thePointingGameUsesTheGivenTolerance(@TempDir Path dir) throws Exception {
        List<LabeledImage> c = cifar(1);
        Dataset<Row> input = ImageTables.of(spark, List.of(
                new LabeledImage("near", c.get(0).image(), c.get(0).label(), List.of(new Box(20, 20, 24, 24)))));
        Map<String, Boolean> hit = new HashMap<>();
        for (double tolerance : new double[] {15, 2}) {
            String out = dir.resolve("t" + (int) tolerance + ".parquet").toString();
            new ExplainJob(spark, ExplainSettings.of(MODEL, "center").withPointingTolerance(tolerance)).slices(1)
                    .run(input, out, false);
            Row r = spark.read().parquet(out).first();
            hit.put("" + (int) tolerance, (Boolean) r.get(r.fieldIndex("pointing_game")));
            assertEquals(tolerance, r.getDouble(r.fieldIndex("pointing_tolerance")));
        }
        assertEquals(Map.of("15", true, "2", false), hit);
        // a resume at another tolerance would mix two pointing games in one table
        Dataset<Row> more = ImageTables.of(spark, List.of(new LabeledImage("near", c.get(0).image(), c.get(0).label(),
                List.of(new Box(20, 20, 24, 24))), new LabeledImage("far", c.get(0).image(), c.get(0).label(),
                List.of(new Box(0, 0, 3, 3)))));
        String t2 = dir.resolve("t2.parquet").toString();
        IllegalArgumentException mixed = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ExplainJob(spark, ExplainSettings.of(MODEL, "center")).run(more, t2, true));
        assertTrue(mixed.getMessage().contains("at a tolerance of 2.0 px; this run has 15.0 px"), mixed.getMessage());
        ExplainJob.Result same = new ExplainJob(spark, ExplainSettings.of(MODEL, "center").withPointingTolerance(2))
                .run(more, t2, true);
        assertEquals(1, same.skipped());
        assertEquals(1, same.explained());
        // a table written before the tolerance was recorded cannot say which pointing game it holds
        String old = dir.resolve("old.parquet").toString();
        spark.read().parquet(dir.resolve("t15.parquet").toString()).drop("pointing_tolerance").write().parquet(old);
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new ExplainJob(spark, ExplainSettings.of(MODEL, "center"))
                        .run(more, old, true));
        assertTrue(unknown.getMessage().contains("did not record the pointing game's tolerance")
                && unknown.getMessage().contains("give another --out"), unknown.getMessage());
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ExplainSettings.of(MODEL, "center").withPointingTolerance(bad));
            assertTrue(e.getMessage().contains("tolerance") && e.getMessage().contains("15"), e.getMessage());
        }
    }

    /**
     * With {@code center} (the same centred Gaussian for every image, maximum at pixel (15, 15) of 32×32) the expected
     * localisation is known: a box around the centre is a pointing-game hit, a corner box a miss; boxes of an image
     * larger than the model's input are scaled with it; bad boxes give error rows; no boxes give null columns.
     */
    @Test
    void boxesGiveTheLocalisationMetricsOfEvaluate(@TempDir Path dir) throws Exception {
        List<LabeledImage> c = cifar(4);
        RgbImage big = c.get(3).image().resize(64, 64);
        Dataset<Row> given = ImageTables.of(spark, List.of(
                new LabeledImage("a-centre", c.get(0).image(), c.get(0).label(), List.of(new Box(12, 12, 20, 20))),
                new LabeledImage("b-corner", c.get(1).image(), c.get(1).label(),
                        List.of(new Box(0, 0, 4, 4), new Box(28, 0, 32, 4))),
                new LabeledImage("c-none", c.get(2).image(), c.get(2).label(), List.of()),
                // (0, 0, 8, 8) of 64×64 is (0, 0, 4, 4) on the model's 32×32: a miss; unscaled it would be a hit
                new LabeledImage("d-scaled", big, c.get(3).label(), List.of(new Box(0, 0, 8, 8))),
                new LabeledImage("f-outside", c.get(0).image(), c.get(0).label(), List.of(new Box(0, 0, 40, 40)))));
        Row first = given.where("id = 'b-corner'").first();
        assertEquals(List.of(box(0, 0, 4, 4), box(28, 0, 32, 4)), first.getList(first.fieldIndex("boxes")),
                "ImageTables.of keeps the boxes");
        // a table of its own with integer boxes, one with x1 < x0, one with a null coordinate, one empty array
        org.apache.spark.sql.types.StructType intBoxes = new org.apache.spark.sql.types.StructType()
                .add("id", "string").add("content", "binary")
                .add("boxes", org.apache.spark.sql.types.DataTypes.createArrayType(new org.apache.spark.sql.types
                        .StructType().add("x0", "int").add("y0", "int").add("x1", "int").add("y1", "int")));
        Dataset<Row> own = spark.createDataFrame(List.of(
                RowFactory.create("e-flipped", png(c.get(1).image()), List.of(RowFactory.create(20, 20, 10, 30))),
                RowFactory.create("g-empty", png(c.get(2).image()), List.of()),
                RowFactory.create("h-null", png(c.get(2).image()),
                        List.of(RowFactory.create(1, 1, 5, 5), RowFactory.create(1, null, 5, 5)))), intBoxes);
        Dataset<Row> input = ImageTables.normalise(own).unionByName(ImageTables.normalise(given));

        String out = dir.resolve("boxes.parquet").toString();
        ExplainJob.Result result = new ExplainJob(spark, ExplainSettings.of(MODEL, "center")).slices(1)
                .run(input, out, false);
        assertEquals(8, result.explained());
        assertEquals(3, result.errors());
        Map<String, Row> rows = byId(spark.read().parquet(out).collectAsList());

        SaliencyMap gaussian = CenterBaseline.gaussian(32, 32, 0.25);
        Row a = rows.get("a-centre");
        assertEquals(Boolean.TRUE, a.get(a.fieldIndex("pointing_game")));
        assertEquals(EnergyPointingGame.score(gaussian, List.of(new Box(12, 12, 20, 20))),
                a.getDouble(a.fieldIndex("energy_pointing_game")), 1e-12);
        String aHits = a.getString(a.fieldIndex("max_box_acc_hits"));
        assertEquals(100, aHits.length());
        assertTrue(aHits.contains("1") && aHits.contains("0"), aHits);
        Row b = rows.get("b-corner");
        assertEquals(Boolean.FALSE, b.get(b.fieldIndex("pointing_game")));
        assertEquals("0".repeat(100), b.getString(b.fieldIndex("max_box_acc_hits")));
        double bEnergy = b.getDouble(b.fieldIndex("energy_pointing_game"));
        assertEquals(EnergyPointingGame.score(gaussian, List.of(new Box(0, 0, 4, 4), new Box(28, 0, 32, 4))),
                bEnergy, 1e-12);
        assertTrue(bEnergy < a.getDouble(a.fieldIndex("energy_pointing_game")) / 10, "corners hold little mass");
        Row d = rows.get("d-scaled");
        assertNull(d.get(d.fieldIndex("error")));
        assertEquals(Boolean.FALSE, d.get(d.fieldIndex("pointing_game")), "the box is scaled to the model's input");
        assertEquals(bEnergy / 2, d.getDouble(d.fieldIndex("energy_pointing_game")), 1e-12,
                "one of b's two symmetric corners");
        for (String id : new String[] {"c-none", "g-empty"}) {
            Row r = rows.get(id);
            assertNull(r.get(r.fieldIndex("error")), id);
            assertNotNull(r.get(r.fieldIndex("mask_area")), id);
            for (String col : new String[] {"pointing_game", "energy_pointing_game", "max_box_acc_hits"}) {
                assertTrue(r.isNullAt(r.fieldIndex(col)), id + ": " + col);
            }
        }
        String flipped = rows.get("e-flipped").getString(rows.get("e-flipped").fieldIndex("error"));
        assertTrue(flipped != null && flipped.contains("box 1 of 1") && flipped.contains("x1 < x0"), flipped);
        String outside = rows.get("f-outside").getString(rows.get("f-outside").fieldIndex("error"));
        assertTrue(outside != null && outside.contains("outside the 32×32 image"), outside);
        String nul = rows.get("h-null").getString(rows.get("h-null").fieldIndex("error"));
        assertTrue(nul != null && nul.contains("box 2 of 2") && nul.contains("null"), nul);

        // the summary: localisation over the 3 images with boxes; MaxBoxAcc at the best threshold (only a hits)
        ResultsSummary summary = ResultsSummary.read(spark, out, MODEL, null);
        assertEquals(3, summary.errors());
        Evaluator.MethodReport center = summary.byMethod().methods().get(0);
        assertEquals(5, center.metrics().get("mask_area").n());
        for (String k : new String[] {"pointing_game", "max_box_acc"}) {
            assertEquals(3, center.metrics().get(k).n(), k);
            assertEquals(1.0 / 3, center.metrics().get(k).mean(), 1e-12, k);
        }
        assertEquals(aHits.indexOf('1') / 100.0, center.maxBoxAccThreshold(), 1e-12);
        assertEquals((a.getDouble(a.fieldIndex("energy_pointing_game")) + bEnergy * 1.5) / 3,
                center.metrics().get("energy_pointing_game").mean(), 1e-12);
        double classHits = 0;
        int classN = 0;
        for (Evaluator.MethodReport r : summary.byClass().methods()) {
            Summary pg = r.metrics().get("max_box_acc");
            classHits += pg.n() == 0 ? 0 : pg.mean() * pg.n();
            classN += pg.n();
        }
        assertEquals(3, classN);
        assertEquals(1, classHits, 1e-12, "by class, at the method's threshold");
        assertTrue(summary.toString().contains("energy_pointing_game"), summary.toString());

        // the CSV export carries the pointing game and the energy pointing game, empty without boxes
        Path csv = dir.resolve("boxes.csv");
        assertEquals(8, ResultsSummary.exportCsv(spark, out, csv));
        List<String> lines = java.nio.file.Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        int pg = header.indexOf("pointing_game");
        int energy = header.indexOf("energy_pointing_game");
        Map<String, String[]> csvRows = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            csvRows.put(cells[0], cells);
        }
        assertEquals("true", csvRows.get("a-centre")[pg]);
        assertEquals(a.getDouble(a.fieldIndex("energy_pointing_game")), Double.parseDouble(csvRows.get("a-centre")[energy]));
        assertEquals("false", csvRows.get("d-scaled")[pg]);
        assertEquals("", csvRows.get("c-none")[pg]);
        assertEquals("", csvRows.get("c-none")[energy]);

        // a boxes column of another type is refused up front, naming the expected type
        Dataset<Row> wrong = spark.createDataFrame(List.of(RowFactory.create("x", new byte[0], "1 2 3 4")),
                new org.apache.spark.sql.types.StructType().add("id", "string").add("content", "binary")
                        .add("boxes", "string"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ImageTables.normalise(wrong));
        assertTrue(e.getMessage().contains("x0:double"), e.getMessage());
    }

    @Test
    void imageNetSampleBringsItsBoxes() throws Exception {
        LabeledImages set = Datasets.open("imagenet-val-sample", ModelStore.fromEnvironment());
        List<Row> rows = ImageTables.dataset(spark, "imagenet-val-sample", 2).collectAsList();
        assertEquals(2, rows.size());
        for (int i = 0; i < 2; i++) {
            LabeledImage li = set.get(i);
            assertTrue(!li.boxes().isEmpty());
            Row r = rows.get(i);
            assertEquals(li.id(), r.getString(r.fieldIndex("id")));
            assertEquals(ImageTables.boxRows(li.boxes()), r.getList(r.fieldIndex("boxes")));
        }
    }

    /**
     * One scoring path: the job scores the maps with evaluate's {@link io.neuromask.metrics.Scorer}, so that every
     * metric of a row (deletion and insertion asked for; boxes on two images of three) equals evaluate's value of the
     * same image and map, bit for bit; a metric of core's test sources ({@link TopDecileMass}, found by
     * {@link java.util.ServiceLoader}) gets a column of its own, equal to its value computed here from the row's mask,
     * and spark-summary and the CSV export carry it.
     */
    @Test
    void theJobScoresAsEvaluateDoesAndAMetricOfTheTestSourcesGetsAColumn(@TempDir Path dir) throws Exception {
        List<LabeledImage> c = cifar(3);
        List<LabeledImage> images = List.of(
                new LabeledImage("a", c.get(0).image(), c.get(0).label(), List.of(new Box(12, 12, 20, 20))),
                new LabeledImage("b", c.get(1).image(), c.get(1).label(), List.of(new Box(0, 0, 6, 6))),
                new LabeledImage("c", c.get(2).image(), c.get(2).label(), List.of()));
        String out = dir.resolve("gradient.parquet").toString();
        ExplainSettings settings = new ExplainSettings(MODEL, "gradient", null, 0, 0L, 16, "cpu", true, false);
        assertEquals(3, new ExplainJob(spark, settings).slices(1).run(ImageTables.of(spark, images), out, false)
                .explained());
        assertTrue(List.of(ResultSchema.SCHEMA.fieldNames()).contains(TopDecileMass.NAME));
        Map<String, Row> rows = byId(spark.read().parquet(out).collectAsList());

        // evaluate scores the rows' own maps (id order, one chunk) with the job's settings: one scoring path. (The
        // maps themselves are not recomputed here: the number of libtorch threads adapts to the machine's load, and
        // a gradient computed with another count differs in the last bits.)
        Classifier model = ExecutorModels.model(MODEL, Devices.parse("cpu"));
        List<io.neuromask.base.SaliencyMap> rowMaps = new java.util.ArrayList<>();
        for (LabeledImage li : images) {
            Row r = rows.get(li.id());
            rowMaps.add(io.neuromask.base.SaliencyMap.of(mask(r), r.getInt(r.fieldIndex("height")),
                    r.getInt(r.fieldIndex("width"))));
        }
        int[] served = {0};
        io.neuromask.base.Attribution theRows = new io.neuromask.base.Attribution() {
            @Override
            public String name() {
                return "gradient";
            }

            @Override
            public List<io.neuromask.base.SaliencyMap> attribute(List<io.neuromask.base.RgbImage> in,
                    List<io.neuromask.base.Target> targets) {
                List<io.neuromask.base.SaliencyMap> out = rowMaps.subList(served[0], served[0] + in.size());
                served[0] += in.size();
                return out;
            }
        };
        Evaluator.MethodReport evaluated = new Evaluator(model, new io.neuromask.metrics.DeletionInsertion(model),
                new io.neuromask.metrics.PointingGame(settings.pointingTolerance()), new io.neuromask.metrics.MaxBoxAcc(),
                16, 16).evaluate("three", images, List.of(theRows), true, s -> {}).methods().get(0);
        assertEquals(images.size(), served[0], "one chunk, every row's map scored once");
        for (int i = 0; i < images.size(); i++) {
            Row r = rows.get(images.get(i).id());
            assertNull(r.get(r.fieldIndex("error")));
            for (String k : List.of("deletion_auc", "insertion_auc", "energy_pointing_game", "gini", "mask_area",
                    TopDecileMass.NAME)) {
                double want = evaluated.perImage().get(k)[i];
                if (Double.isNaN(want)) {
                    assertTrue(r.isNullAt(r.fieldIndex(k)), images.get(i).id() + " " + k);
                } else {
                    // metrics of the map alone are bit-identical; those that run the model (deletion/insertion) may
                    // differ in the last bits when libtorch runs with another number of threads
                    double tolerance = io.neuromask.metrics.Metrics.get(k).needs()
                            .contains(io.neuromask.metrics.Metric.Need.MODEL) ? 1e-6 : 0;
                    assertEquals(want, r.getDouble(r.fieldIndex(k)), tolerance, images.get(i).id() + " " + k);
                }
            }
            double hit = evaluated.perImage().get("pointing_game")[i];
            assertEquals(Double.isNaN(hit) ? null : hit == 1, r.get(r.fieldIndex("pointing_game")),
                    images.get(i).id());
            // the extension, computed here from the row's mask: the largest tenth of the positive mass
            float[] m = mask(r);
            Float[] sorted = new Float[m.length];
            for (int k = 0; k < m.length; k++) {
                sorted[k] = Math.max(0f, m[k]);
            }
            java.util.Arrays.sort(sorted, java.util.Collections.reverseOrder());
            double top = 0;
            double total = 0;
            for (int k = 0; k < sorted.length; k++) {
                total += sorted[k];
                top += k < Math.ceil(m.length / 10.0) ? sorted[k] : 0;
            }
            assertEquals(top / total, r.getDouble(r.fieldIndex(TopDecileMass.NAME)), 1e-12, images.get(i).id());
        }
        assertTrue(rows.get("c").isNullAt(rows.get("c").fieldIndex("max_box_acc_hits")));

        // the summary reports it as evaluate does, and the CSV carries it
        ResultsSummary summary = ResultsSummary.read(spark, out, MODEL, null);
        Evaluator.MethodReport summarised = summary.byMethod().methods().get(0);
        for (String k : List.of("deletion_auc", "insertion_auc", "pointing_game", "energy_pointing_game",
                "max_box_acc", "gini", "mask_area", TopDecileMass.NAME)) {
            assertEquals(evaluated.metrics().get(k).n(), summarised.metrics().get(k).n(), k);
            assertEquals(evaluated.metrics().get(k).mean(), summarised.metrics().get(k).mean(), 1e-6, k);
        }
        assertEquals(evaluated.maxBoxAccThreshold(), summarised.maxBoxAccThreshold(), 0);
        assertTrue(summary.toString().contains("top_decile_mass ↑"), summary.toString());
        Path csv = dir.resolve("gradient.csv");
        assertEquals(3, ResultsSummary.exportCsv(spark, out, csv));
        List<String> lines = Files.readAllLines(csv);
        int column = List.of(lines.get(0).split(",")).indexOf(TopDecileMass.NAME);
        assertTrue(column > 0, lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Row r = rows.get(cells[0]);
            assertEquals(r.getDouble(r.fieldIndex(TopDecileMass.NAME)), Double.parseDouble(cells[column]), 0, line);
        }
    }
}
