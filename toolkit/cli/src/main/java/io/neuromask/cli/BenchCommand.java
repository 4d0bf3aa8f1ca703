package io.neuromask.cli;

import io.neuromask.engine.AutoBatchSize;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.neuromask.Preset;
import io.neuromask.bench.Benchmark;
import io.neuromask.base.Classifier;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.JsonOption;
import io.neuromask.options.ModelOption;
import io.neuromask.options.PresetOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code neuromask bench}: NeuroMask's cost per iteration against the model's own forward+backward. */
@Command(name = "bench", mixinStandardHelpOptions = true, modelTransformer = BenchCommand.Defaults.class,
        description = "Times NeuroMask (a NeuroMask preset, by default the paper's for the model's input size) on a "
                + "batch of random images and, in the same process, the model's own forward+backward pass for the "
                + "same batch; prints the result.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    BatchOption batchOption;

    @Mixin
    IterationsOption iterationsOption;

    @Mixin
    PresetOption preset;

    @Mixin
    DeviceOption device;

    @Mixin
    JsonOption jsonOption;

    @Option(names = "--vs-batch1", description = "Also time batch 1 and report the per-image throughput ratio "
            + "(key throughput_vs_batch1).")
    boolean versusBatch1;

    @Override
    public Integer call() {
        int batch = batchOption.size();
        boolean auto = batch == 0;
        int iterations = iterationsOption.iterations();
        boolean json = jsonOption.on();
        if (iterations < 2) {
            throw new IllegalArgumentException("--iterations must be at least 2, got " + iterations);
        }
        try (Classifier classifier = model.load(device)) {
            NeuroMaskObjective hp = (preset.value() != null ? Preset.parse(preset.value()) : Preset.paperFor(classifier))
                    .neuroMask().withIterations(iterations);
            // batch 1 first: after a large batch, glibc's single arena (GLIBC_TUNABLES, see docs/performance.md)
            // keeps the large batch's memory in pieces and a later batch 1 runs slower (10.4 against 6.3 ms per
            // iteration on ResNet20), which would overstate the gain of batching
            Benchmark.Result one = versusBatch1
                    ? Benchmark.run(classifier, hp, 1, Benchmark.randomImages(classifier, 1, 1)) : null;
            AutoBatchSize.Choice choice = null;
            if (auto) {
                choice = AutoBatchSize.measure(classifier, hp, line -> System.err.println("bench: " + line));
                batch = choice.batchSize();
                System.err.println("bench: chose batch " + batch + " (" + choice.reason() + ")");
            }
            Benchmark.Result r = Benchmark.run(classifier, hp, batch, Benchmark.randomImages(classifier, batch, 1));
            // per-image time at batch 1 over per-image time at this batch
            double ratio = one == null ? Double.NaN : one.msPerIteration() / (r.msPerIteration() / batch);
            if (json) {
                JsonObject o = new JsonObject();
                o.addProperty("model", classifier.name());
                o.addProperty("device", classifier.device().toString());
                o.addProperty("batch", batch);
                if (choice != null) {
                    JsonObject tried = new JsonObject();
                    choice.msPerImage().forEach((b, ms) -> tried.addProperty(String.valueOf(b), ms));
                    o.add("auto_batch_ms_per_image", tried);
                    o.addProperty("auto_batch_reason", choice.reason());
                }
                o.addProperty("iterations", iterations);
                o.addProperty("ms_per_iteration", r.msPerIteration());
                if (Double.isFinite(r.cpuMsPerIteration())) {
                    o.addProperty("cpu_ms_per_iteration", r.cpuMsPerIteration());
                }
                o.addProperty("model_ms_per_iteration", r.modelMsPerIteration());
                o.addProperty("overhead", r.overhead());
                o.addProperty("explanations_per_second", r.explanationsPerSecond());
                if (one != null) {
                    o.addProperty("batch1_ms_per_iteration", one.msPerIteration());
                    o.addProperty("throughput_vs_batch1", ratio);
                }
                System.out.println(new GsonBuilder().create().toJson(o));
            } else {
                System.out.printf(Locale.ROOT, "model %s on %s, batch %d%s, %d iterations%n", classifier.name(),
                        classifier.device(), batch, choice != null ? " (auto: " + choice.reason() + ")" : "",
                        iterations);
                System.out.printf(Locale.ROOT, "  NeuroMask          %9.3f ms/iteration%n", r.msPerIteration());
                System.out.printf(Locale.ROOT, "  model fwd+bwd      %9.3f ms/iteration%n", r.modelMsPerIteration());
                System.out.printf(Locale.ROOT, "  overhead           %9.3f%n", r.overhead());
                System.out.printf(Locale.ROOT, "  explanations/s     %9.3f%n", r.explanationsPerSecond());
                if (one != null) {
                    System.out.printf(Locale.ROOT, "  batch 1            %9.3f ms/iteration%n", one.msPerIteration());
                    System.out.printf(Locale.ROOT, "  throughput vs b1   %9.2fx%n", ratio);
                }
            }
        }
        return 0;
    }

    /** A timing, not an explanation: 100 iterations unless told otherwise. */
    static final class Defaults implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return IterationsOption.defaultTo(spec, 100);
        }
    }
}
