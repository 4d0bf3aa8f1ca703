package io.neuromask.spark;

import io.neuromask.NeuroMask;
import ai.djl.Device;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.model.Devices;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.ModelOption;
import io.neuromask.options.ObjectiveOption;
import io.neuromask.options.ObjectiveSettings;
import io.neuromask.options.OutOption;
import io.neuromask.options.PresetOption;
import io.neuromask.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The Spark entry points, run by {@code ./neuromask spark-explain|spark-summary|spark-bench} on Spark's own class
 * path (local mode), and the main class of the job jar for {@code spark-submit} (cluster).
 */
@Command(name = "neuromask", mixinStandardHelpOptions = true,
        subcommands = {SparkMain.Explain.class, SparkMain.SummaryCommand.class, SparkMain.Bench.class},
        description = "NeuroMask on Apache Spark: explain and evaluate a whole data set.")
public final class SparkMain implements Callable<Integer> {

    /** Runs a command; exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkMain()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException
                    || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("neuromask: " + e.getMessage());
                return 2;
            }
            throw e;
        }).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static SparkSession session(String master, String app) {
        SparkSession.Builder b = SparkSession.builder().appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "8");
        if (master != null) {
            b.master(master);
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /** Input of a run: a data set of the store ({@code cifar10-test:200}) or a directory/URI of image files. */
    static Dataset<Row> input(SparkSession spark, String data) throws IOException {
        String name = data.contains(":") && !data.contains("/") ? data.substring(0, data.indexOf(':')) : data;
        if (List.of("cifar10-test", "imagenet-val-sample").contains(name)) {
            int count = data.equals(name) ? Integer.MAX_VALUE
                    : Integer.parseInt(data.substring(name.length() + 1));
            LabeledImages set = Datasets.open(name, ModelStore.fromEnvironment());
            return ImageTables.dataset(spark, name, Math.min(count, set.size()));
        }
        return ImageTables.files(spark, data);
    }

    /** {@code --method}: any registered method (a mask objective or gradient, Grad-CAM, RISE, ...). */
    static final class MethodOption {
        @Option(names = "--method", completionCandidates = MethodNames.class, description = "method: a mask objective "
                + "(as --objective) or another method, one of ${COMPLETION-CANDIDATES} (default: neuromask)")
        String method;

        /** The method given, else {@code neuromask}. */
        String name() {
            return method == null ? io.neuromask.Objectives.DEFAULT : method;
        }
    }

    /** The registered methods, for completion and the help. */
    static final class MethodNames extends ArrayList<String> {
        MethodNames() {
            super(Methods.names());
        }
    }

    /** {@code spark-explain}. */
    @Command(name = "spark-explain", mixinStandardHelpOptions = true, modelTransformer = Explain.Defaults.class,
            description = "Explains every image of a data set on Spark and writes a Parquet table, one row per image, "
                    + "to --out: a directory, local or any Hadoop URI (a local one is locked for the run, so a second "
                    + "job writing there is refused). Each row records the model, the method, its preset (with each "
                    + "--set) and the run's seed; a --resume with another model or seed is refused.")
    static final class Explain implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "DIR or URI of image files (any Hadoop file "
                + "system), or a data set of the store: cifar10-test[:N], imagenet-val-sample[:N]")
        String data;
        @Mixin
        ModelOption model;
        @Mixin
        MethodOption method;
        @Mixin
        ObjectiveOption objective;
        @Mixin
        PresetOption preset;
        @Mixin
        ObjectiveSettings settings;
        @Option(names = "--seed", defaultValue = "0", description = "seed (default ${DEFAULT-VALUE}); kept in the "
                + "table's run_seed column, and a --resume with another is refused")
        long seed;
        @Mixin
        BatchOption batch;
        @Mixin
        DeviceOption device;
        @Option(names = "--metrics", description = "also compute the metrics that run the model: deletion and "
                + "insertion AUC, ROAD MoRF/LeRF AUC and any such extension")
        boolean metrics;
        @Option(names = "--png", description = "also store each mask as a PNG")
        boolean png;
        @Option(names = "--tolerance", defaultValue = "15", description = "pointing-game tolerance in pixels of the "
                + "model's input, for images with boxes (default ${DEFAULT-VALUE}, as evaluate)")
        double tolerance;
        @Mixin
        OutOption output;
        @Option(names = "--resume", description = "continue the table at --out, skipping ids already in it")
        boolean resume;
        @Option(names = "--slices", defaultValue = "0", description = "write jobs (commit points); 0: about 16 images per task each")
        int slices;
        @Option(names = "--master", description = "Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
        String master;

        @Override
        public Integer call() throws IOException {
            String out = output.uri();
            ExplainSettings s = new ExplainSettings(model.name(), method(), preset.value(),
                    settings.iterations() == null ? 0 : settings.iterations(), seed, batch.size(),
                    device.nameOrNullForAuto(), new ExplainSettings.Outputs(metrics, png, tolerance), settings.settings());
            SparkSession spark = session(master != null ? master
                    : System.getProperty("spark.master") == null ? "local[*]" : null, "neuromask spark-explain");
            try {
                long start = System.nanoTime();
                ExplainJob.Result r = new ExplainJob(spark, s).slices(slices)
                        .log(line -> System.err.println("spark-explain: " + line)).run(input(spark, data), out, resume);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "explained %d image(s) (%d skipped as already in %s) in %.1f s: %.3f "
                        + "images/s; %d error row(s) in the table%n", r.explained(), r.skipped(), out, seconds,
                        r.explained() / seconds, r.errors());
                return 0;
            } finally {
                spark.stop();
            }
        }

        /** The method: --objective or --method (refused when both name different ones), else neuromask. */
        private String method() {
            String o = objective.value();
            if (o != null && method.method != null && !o.trim().equalsIgnoreCase(method.method.trim())) {
                throw new IllegalArgumentException("--objective " + o + " and --method " + method.method + " name two "
                        + "methods; give one of them");
            }
            return o != null ? o : method.name();
        }

        /** The batch is chosen per device ({@code auto}) unless given; executors load the model by name. */
        static final class Defaults implements IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                return BatchOption.defaultTo(ModelOption.namesOnly(spec), "auto");
            }
        }
    }

    /** {@code spark-summary}. */
    @Command(name = "spark-summary", mixinStandardHelpOptions = true, modelTransformer = SummaryCommand.Defaults.class,
            description = "Reads a spark-explain table and prints the metrics (means with 95 %% intervals) by method and by class.")
    static final class SummaryCommand implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "the Parquet table of spark-explain")
        String in;
        @Mixin
        ModelOption modelOption;
        @Option(names = "--master", defaultValue = "local[1]", description = "Spark master (default ${DEFAULT-VALUE})")
        String master;
        @Option(names = "--csv", description = "also write the per-image rows (mask included) as one CSV file")
        Path csv;

        @Override
        public Integer call() throws IOException {
            String model = modelOption.name();
            SparkSession spark = session(master, "neuromask spark-summary");
            try {
                List<String> labels = null;
                if (model != null) {
                    try (Classifier c = io.neuromask.model.Models.load(model, Devices.parse("cpu"))) {
                        labels = c.labels();
                    } catch (Exception e) {
                        throw new IllegalArgumentException("cannot load model " + model + ": " + e.getMessage(), e);
                    }
                }
                System.out.println(ResultsSummary.read(spark, in, model, labels));
                if (csv != null) {
                    long n = ResultsSummary.exportCsv(spark, in, csv);
                    System.out.println("wrote " + n + " rows to " + csv);
                }
                return 0;
            } finally {
                spark.stop();
            }
        }

        /** The model is optional: only for class names. */
        static final class Defaults implements IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                return ModelOption.optional(ModelOption.namesOnly(spec), "for class names, and then the one the table records; default: the "
                        + "table's, with class indices");
            }
        }
    }

    /** {@code spark-bench}. */
    @Command(name = "spark-bench", mixinStandardHelpOptions = true, modelTransformer = Bench.Defaults.class,
            description = "Measures images/s of the single-JVM path, of Spark local[1] and local[2] on the same images, "
                    + "and the per-image overhead of the Spark path.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--data", defaultValue = "cifar10-test", description = "data set (default ${DEFAULT-VALUE})")
        String data;
        @Option(names = "--images", defaultValue = "64", description = "images (default ${DEFAULT-VALUE})")
        int images;
        @Mixin
        ModelOption modelOption;
        @Mixin
        MethodOption methodOption;
        @Mixin
        PresetOption presetOption;
        @Mixin
        IterationsOption iterationsOption;
        @Mixin
        BatchOption batchOption;
        @Option(names = "--on-thread", description = "also time the single-JVM path on a fresh thread (a second "
                + "OpenMP pool in the process)")
        boolean onThread;
        @Option(names = "--rounds", defaultValue = "2", description = "rounds alternating the paths; the best counts (default ${DEFAULT-VALUE})")
        int rounds;

        @Override
        public Integer call() throws IOException {
            String model = modelOption.name();
            String method = methodOption.name();
            String preset = presetOption.value();
            int batchSize = batchOption.positive();
            ExplainSettings s = new ExplainSettings(model, method, preset,
                    iterationsOption.iterations() == null ? 0 : iterationsOption.iterations(), 0L, batchSize, "cpu",
                    false, false);
            LabeledImages set = Datasets.open(data, ModelStore.fromEnvironment());
            List<LabeledImage> list = new ArrayList<>();
            for (int i = 0; i < Math.min(images, set.size()); i++) {
                list.add(set.get(i));
            }
            // both paths on the engine thread of the Spark path (ExecutorModels), so that the process has one
            // OpenMP pool, as a single-JVM program and a Spark executor each have
            Device cpu = Devices.parse("cpu");
            Classifier m = ExecutorModels.onEngineThread(cpu, () -> ExecutorModels.model(model, cpu));
            List<RgbImage> pixels = list.stream().map(LabeledImage::image).toList();
            List<Target> targets = list.stream().map(li -> Target.index(li.label())).toList();
            // warm-up, then rounds alternating the three paths (the machine may be shared: the best round counts)
            singleJvm(cpu, s, m, pixels.subList(0, Math.min(4, pixels.size())),
                    targets.subList(0, Math.min(4, pixels.size())));
            // each path on all images and on the first 4: the difference is the cost of the marginal images, free of
            // the fixed cost of a job (counting ids, planning batches, Spark's scheduling, reading the output back)
            int small = Math.min(4, list.size() - 1);
            double[] single = {Double.MAX_VALUE, Double.MAX_VALUE};
            double[][] spark = {{Double.MAX_VALUE, Double.MAX_VALUE}, {Double.MAX_VALUE, Double.MAX_VALUE}};
            for (int round = 0; round < rounds; round++) {
                for (int size = 0; size < 2; size++) {
                    int count = size == 0 ? list.size() : small;
                    long t0 = System.nanoTime();
                    singleJvm(cpu, s, m, pixels.subList(0, count), targets.subList(0, count));
                    single[size] = Math.min(single[size], (System.nanoTime() - t0) / 1e9);
                }
                for (int cores = 1; cores <= 2; cores++) {
                    SparkSession session = session("local[" + cores + "]", "neuromask spark-bench");
                    try {
                        for (int size = 0; size < 2; size++) {
                            Path out = Files.createTempDirectory("neuromask-bench");
                            try {
                                Dataset<Row> table = ImageTables.of(session, size == 0 ? list : list.subList(0, small));
                                table.cache().count();
                                long t = System.nanoTime();
                                new ExplainJob(session, s).slices(1).run(table, out.resolve("t.parquet").toString(),
                                        false);
                                spark[cores - 1][size] = Math.min(spark[cores - 1][size], (System.nanoTime() - t) / 1e9);
                            } finally {
                                try (Stream<Path> walk = Files.walk(out)) {
                                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                                }
                            }
                        }
                    } finally {
                        session.stop();
                    }
                }
                System.err.printf(Locale.ROOT, "round %d: single %.2f/%.2f s, local[1] %.2f/%.2f s, local[2] %.2f/%.2f s "
                        + "(%d/%d images, best so far)%n", round + 1, single[0], single[1], spark[0][0], spark[0][1],
                        spark[1][0], spark[1][1], list.size(), small);
            }
            int n = list.size();
            int marginal = n - small;
            System.out.printf(Locale.ROOT, "%s on %d %s images, %s, batch %d, %d CPU core(s) visible, best of %d "
                    + "round(s)%n", method, n, data, preset != null ? preset : "method's preset", batchSize,
                    Runtime.getRuntime().availableProcessors(), rounds);
            String row = "%-28s %8.2f s  %6.3f images/s | marginal %6.3f s/image  %6.3f images/s | fixed %5.2f s%n";
            double singleMarginal = (single[0] - single[1]) / marginal;
            System.out.printf(Locale.ROOT, row, "single JVM (explain)", single[0], n / single[0], singleMarginal,
                    1 / singleMarginal, single[1] - small * singleMarginal);
            double[] sparkMarginal = new double[2];
            for (int c = 0; c < 2; c++) {
                sparkMarginal[c] = (spark[c][0] - spark[c][1]) / marginal;
                System.out.printf(Locale.ROOT, row, "Spark local[" + (c + 1) + "]", spark[c][0], n / spark[c][0],
                        sparkMarginal[c], 1 / sparkMarginal[c], spark[c][1] - small * sparkMarginal[c]);
            }
            if (onThread) {
                // the single-JVM path again, on a thread of its own like a Spark task: is the overhead the thread's?
                double[] threaded = new double[2];
                for (int size = 0; size < 2; size++) {
                    int count = size == 0 ? list.size() : small;
                    double[] took = new double[1];
                    Thread t = new Thread(() -> {
                        long t0 = System.nanoTime();
                        singleJvm(null, s, m, pixels.subList(0, count), targets.subList(0, count));
                        took[0] = (System.nanoTime() - t0) / 1e9;
                    });
                    t.start();
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 1;
                    }
                    threaded[size] = took[0];
                }
                double marg = (threaded[0] - threaded[1]) / marginal;
                System.out.printf(Locale.ROOT, row, "single JVM, new thread", threaded[0], n / threaded[0], marg,
                        1 / marg, threaded[1] - small * marg);
            }
            for (int c = 0; c < 2; c++) {
                System.out.printf(Locale.ROOT, "Spark per-image overhead (marginal, local[%d] vs single JVM): %+.1f %%; "
                        + "whole run of %d images: %+.1f %%%n", c + 1, 100 * (sparkMarginal[c] / singleMarginal - 1),
                        n, 100 * (spark[c][0] / single[0] - 1));
            }
            System.out.printf(Locale.ROOT, "images/s local[2] over local[1]: %.2fx (marginal %.2fx)%n",
                    spark[0][0] / spark[1][0], sparkMarginal[0] / sparkMarginal[1]);
            return 0;
        }

        /** The single-JVM path: on the engine thread of {@code device}, or on the calling thread when null. */
        private static void singleJvm(Device device, ExplainSettings s, Classifier m, List<RgbImage> images,
                List<Target> targets) {
            if (device != null) {
                ExecutorModels.onEngineThread(device, () -> {
                    singleJvm(null, s, m, images, targets);
                    return null;
                });
                return;
            }
            if (s.maskMethod()) {
                NeuroMask.builder().model(m).objective(s.objective(m)).seed(s.seed()).batchSize(s.batchSize()).build()
                        .explain(images, targets);
            } else {
                Methods.create(s.method(), m, io.neuromask.attribution.MethodConfig.defaults().seed(s.seed()).batchSize(s.batchSize()))
                        .attribute(images, targets);
            }
        }

        /** The CIFAR-10 ResNet-20 and batches of 16 in both paths unless told otherwise. */
        static final class Defaults implements IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                return BatchOption.numbersOnly(ModelOption.defaultTo(ModelOption.namesOnly(spec), "cifar10-resnet20"), "16");
            }
        }
    }
}
