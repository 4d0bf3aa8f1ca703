package io.neuromask.cli;

import io.neuromask.NeuroMask;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.neuromask.Preset;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.Models;
import io.neuromask.model.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.JsonOption;
import io.neuromask.options.ModelOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code neuromask bench-shared}: NeuroMask's time per iteration on the CPU alone, beside one busy process (a shell
 * spin loop) and beside a second copy of itself (a child JVM explaining the same batch without pause), at each
 * batch size. The fair slowdown beside one other CPU-bound process on a machine of {@code n} cores is about
 * {@code 2} when {@code n} is 1 or 2.
 */
@Command(name = "bench-shared", mixinStandardHelpOptions = true,
        modelTransformer = SharedCpuBenchCommand.Defaults.class,
        description = "Times NeuroMask's iteration on the CPU alone, beside one busy process and beside a second copy "
                + "of itself, at each batch size, --iterations per scenario; prints ms per iteration (median) and the "
                + "slowdown against alone.")
final class SharedCpuBenchCommand implements Callable<Integer> {

    @Mixin
    ModelOption modelOption;

    @Option(names = "--batches", defaultValue = "1,64", split = ",",
            description = "Batch sizes, comma-separated (default ${DEFAULT-VALUE}).")
    int[] batches;

    @Mixin
    IterationsOption iterationsOption;

    @Option(names = "--threads", description = "libtorch intra-op threads (default: the toolkit's choice, see docs/performance.md).")
    Integer threads;

    @Mixin
    JsonOption jsonOption;

    @Option(names = "--background-load", hidden = true,
            description = "Internal: explain batches of this size without end (the second copy).")
    int backgroundLoad;

    @Override
    public Integer call() throws Exception {
        String model = modelOption.name();
        int iterations = iterationsOption.iterations();
        boolean json = jsonOption.on();
        if (iterations < 5) {
            throw new IllegalArgumentException("--iterations must be at least 5, got " + iterations);
        }
        for (int b : batches) {
            if (b < 1) {
                throw new IllegalArgumentException("--batches must be positive, got " + Arrays.toString(batches));
            }
        }
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            System.setProperty("neuromask.threads", String.valueOf(threads));
        }
        int inForce = Threads.configure();
        try (Classifier classifier = Models.load(model, Device.cpu())) {
            NeuroMaskObjective hp = Preset.paperFor(classifier).neuroMask().withIterations(iterations);
            if (backgroundLoad > 0) {
                List<RgbImage> images = Benchmark.randomImages(classifier, backgroundLoad, 2);
                MaskEngine nm = NeuroMask.builder().model(classifier).objective(hp).batchSize(backgroundLoad)
                        .progress(p -> {
                            if (p.iteration() == 2) {
                                System.out.println("ready");
                                System.out.flush();
                            }
                        }).build();
                while (true) {
                    nm.explain(images);
                }
            }
            JsonArray rows = new JsonArray();
            if (!json) {
                System.out.printf(Locale.ROOT, "model %s on the CPU, %d intra-op threads (%d available), %d iterations"
                        + " per scenario%n", classifier.name(), Threads.inForce(), Threads.available(), iterations);
                System.out.printf(Locale.ROOT, "%-22s %6s %12s %10s%n", "scenario", "batch", "ms/iteration", "vs alone");
            }
            for (int batch : batches) {
                List<RgbImage> images = Benchmark.randomImages(classifier, batch, 1);
                time(classifier, hp.withIterations(5), batch, images); // warm-up
                double alone = time(classifier, hp, batch, images);
                double busy;
                Process spin = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
                try {
                    Thread.sleep(500);
                    busy = time(classifier, hp, batch, images);
                } finally {
                    spin.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                double copy;
                Process other = startCopy(batch);
                try {
                    copy = time(classifier, hp, batch, images);
                } finally {
                    other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (Object[] row : new Object[][] {{"alone", alone}, {"beside a busy process", busy},
                        {"beside a second copy", copy}}) {
                    double ms = (Double) row[1];
                    if (json) {
                        JsonObject o = new JsonObject();
                        o.addProperty("scenario", (String) row[0]);
                        o.addProperty("batch", batch);
                        o.addProperty("ms_per_iteration", ms);
                        o.addProperty("vs_alone", ms / alone);
                        rows.add(o);
                    } else {
                        System.out.printf(Locale.ROOT, "%-22s %6d %12.2f %9.2fx%n", row[0], batch, ms, ms / alone);
                    }
                }
            }
            if (json) {
                JsonObject o = new JsonObject();
                o.addProperty("model", classifier.name());
                o.addProperty("intra_op_threads", Threads.inForce());
                o.addProperty("threads_configured", inForce);
                o.addProperty("available_processors", Threads.available());
                o.addProperty("iterations", iterations);
                o.addProperty("omp_wait_policy", System.getenv("OMP_WAIT_POLICY"));
                o.addProperty("gomp_spincount", System.getenv("GOMP_SPINCOUNT"));
                o.add("rows", rows);
                System.out.println(new GsonBuilder().create().toJson(o));
            }
        }
        return 0;
    }

    /** The median time of one iteration (iterations 2 to the last) of NeuroMask on {@code images}. */
    private static double time(Classifier classifier, NeuroMaskObjective hp, int batch, List<RgbImage> images) {
        long[] marks = new long[hp.iterations() + 1];
        NeuroMask.builder().model(classifier).objective(hp).batchSize(batch)
                .progress(p -> marks[p.iteration()] = System.nanoTime()).build().explain(images);
        double[] ms = new double[hp.iterations() - 1];
        for (int i = 2; i <= hp.iterations(); i++) {
            ms[i - 2] = (marks[i] - marks[i - 1]) / 1e6;
        }
        Arrays.sort(ms);
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    /** Starts a second copy of this command explaining {@code batch} images without end; returns once it runs. */
    private Process startCopy(int batch) throws IOException, InterruptedException {
        String model = modelOption.name();
        List<String> cmd = new ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench-shared", "--model", model,
                "--iterations", "1000000", "--background-load", String.valueOf(batch)));
        if (threads != null) {
            cmd.addAll(List.of("--threads", String.valueOf(threads)));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("ready")) {
                return p;
            }
        }
        throw new IOException("the second copy (" + String.join(" ", cmd) + ") exited with " + p.waitFor()
                + " before it started");
    }

    /** The CIFAR-10 ResNet-20 and 60 iterations per scenario unless told otherwise. */
    static final class Defaults implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            // the model is loaded by name in a second JVM too: no --model-file
            return IterationsOption.defaultTo(ModelOption.defaultTo(ModelOption.namesOnly(spec), "cifar10-resnet20"),
                    60);
        }
    }
}
