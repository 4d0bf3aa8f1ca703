package io.neuromask.cli;

import io.neuromask.Objectives;
import io.neuromask.engine.AutoBatchSize;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.neuromask.Preset;
import io.neuromask.bench.Benchmark;
import io.neuromask.base.Classifier;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.JsonOption;
import io.neuromask.options.ModelOption;
import io.neuromask.options.ObjectiveOption;
import io.neuromask.options.PresetOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code neuromask bench}: a mask objective's cost per iteration against the model's own forward+backward. Without
 * {@code --objective}, NeuroMask at one preset (the paper's for the model's input size unless {@code --preset});
 * with it, each objective named ({@code all}: every registered one) at each of its presets for the model's input
 * size, printed as a table with seconds per image and peak resident memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, modelTransformer = BenchCommand.Defaults.class,
        description = "Times NeuroMask (a NeuroMask preset, by default the paper's for the model's input size) on a "
                + "batch of random images and, in the same process, the model's own forward+backward pass for the "
                + "same batch; prints the result. With --objective, times each objective named (all: every one) at "
                + "each of its presets for the model's input size, against the model's forward+backward over the "
                + "same inputs (an objective may feed the model several per image), and prints ms per iteration, "
                + "seconds per image at the preset's iterations and peak resident memory.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Mixin
    BatchOption batchOption;

    @Mixin
    IterationsOption iterationsOption;

    @Mixin
    ObjectiveOption objectiveOption;

    @Mixin
    PresetOption preset;

    @Mixin
    DeviceOption device;

    @Mixin
    JsonOption jsonOption;

    @Option(names = "--vs-batch1", description = "Also time batch 1 and report the per-image throughput ratio "
            + "(key throughput_vs_batch1); with --objective, a batch-1 row for each preset.")
    boolean versusBatch1;

    @Option(names = "--markdown", description = "With --objective: print the table as Markdown (the README's "
            + "performance table is this output).")
    boolean markdown;

    @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds of the objective and of the model, "
            + "alternating; the best of each counts (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        int batch = batchOption.size();
        int iterations = iterationsOption.iterations();
        if (iterations < 2) {
            throw new IllegalArgumentException("--iterations must be at least 2, got " + iterations);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
        }
        if (markdown && objectiveOption.value() == null) {
            throw new IllegalArgumentException("--markdown prints the table of bench --objective; add --objective "
                    + "(e.g. --objective all)");
        }
        if (markdown && jsonOption.on()) {
            throw new IllegalArgumentException("--markdown and --json are two formats of one table; give one");
        }
        try (Classifier classifier = model.load(device)) {
            if (objectiveOption.value() != null) {
                return objectives(classifier, batch, iterations);
            }
            NeuroMaskObjective hp = (preset.value() != null ? Preset.parse(preset.value()) : Preset.paperFor(classifier))
                    .neuroMask().shortened(iterations);
            neuroMask(classifier, hp, batch, iterations);
        }
        return 0;
    }

    private void neuroMask(Classifier classifier, NeuroMaskObjective hp, int batch, int iterations) {
        boolean auto = batch == 0;
        boolean json = jsonOption.on();
        // batch 1 first: after a large batch, glibc's single arena (GLIBC_TUNABLES, see docs/performance.md)
        // keeps the large batch's memory in pieces and a later batch 1 runs slower (10.4 against 6.3 ms per
        // iteration on ResNet20), which would overstate the gain of batching
        Benchmark.Result one = versusBatch1
                ? Benchmark.run(classifier, hp, 1, Benchmark.randomImages(classifier, 1, 1), rounds) : null;
        AutoBatchSize.Choice choice = null;
        if (auto) {
            choice = AutoBatchSize.measure(classifier, hp, line -> System.err.println("bench: " + line));
            batch = choice.batchSize();
            System.err.println("bench: chose batch " + batch + " (" + choice.reason() + ")");
        }
        Benchmark.Result r = Benchmark.run(classifier, hp, batch, Benchmark.randomImages(classifier, batch, 1),
                rounds);
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
            o.addProperty("peak_rss_mb", r.peakRssMb());
            if (one != null) {
                o.addProperty("batch1_ms_per_iteration", one.msPerIteration());
                o.addProperty("throughput_vs_batch1", ratio);
            }
            System.out.println(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(o));
        } else {
            System.out.printf(Locale.ROOT, "model %s on %s, batch %d%s, %d iterations%n", classifier.name(),
                    classifier.device(), batch, choice != null ? " (auto: " + choice.reason() + ")" : "",
                    iterations);
            System.out.printf(Locale.ROOT, "  NeuroMask          %9.3f ms/iteration%n", r.msPerIteration());
            System.out.printf(Locale.ROOT, "  model fwd+bwd      %9.3f ms/iteration%n", r.modelMsPerIteration());
            System.out.printf(Locale.ROOT, "  overhead           %9.3f%n", r.overhead());
            System.out.printf(Locale.ROOT, "  explanations/s     %9.3f%n", r.explanationsPerSecond());
            System.out.printf(Locale.ROOT, "  peak RSS           %9.0f MiB%n", r.peakRssMb());
            if (one != null) {
                System.out.printf(Locale.ROOT, "  batch 1            %9.3f ms/iteration%n", one.msPerIteration());
                System.out.printf(Locale.ROOT, "  throughput vs b1   %9.2fx%n", ratio);
            }
        }
    }

    /** One objective at one preset. */
    private record Setup(String objective, String preset, MaskObjective<?> settings) {}

    /** Each objective named at each of its presets for the model's input size, batch 1 (with --vs-batch1) first. */
    private int objectives(Classifier classifier, int batch, int iterations) {
        if (batch == 0) {
            throw new IllegalArgumentException("bench --objective takes a number for --batch ('auto' measures "
                    + "NeuroMask's batch size, without --objective)");
        }
        List<Setup> setups = setups(classifier);
        List<Integer> batches = versusBatch1 && batch != 1 ? List.of(1, batch) : List.of(batch);
        boolean json = jsonOption.on();
        JsonArray results = new JsonArray();
        if (markdown) {
            System.out.printf(Locale.ROOT, "`%s`, %d² on %s, best of %d rounds of %d iterations:%n%n",
                    classifier.name(), classifier.inputHeight(), classifier.device(), rounds, iterations);
            System.out.println("| objective:preset | batch | ms/iteration | model fwd+bwd ms | × model | s/image "
                    + "(iterations) | peak MiB |");
            System.out.println("|---|---|---|---|---|---|---|");
        } else if (!json) {
            System.out.printf(Locale.ROOT, "model %s on %s, %d iterations, best of %d rounds (model floor: its "
                    + "forward+backward over the same inputs in passes of the same size)%n", classifier.name(),
                    classifier.device(), iterations, rounds);
            System.out.printf(Locale.ROOT, "%-32s %5s %10s %10s %7s %12s %12s %9s%n", "objective:preset", "batch",
                    "ms/iter", "model ms", "ratio", "inputs/iter", "s/image", "peak MiB");
        }
        for (int b : batches) {
            for (Setup s : setups) {
                Benchmark.Result r = Benchmark.run(classifier, s.settings().shortened(iterations), b,
                        Benchmark.randomImages(classifier, b, 1), rounds);
                int full = s.settings().iterations();
                double secondsPerImage = r.secondsPerImage(full, b);
                if (json) {
                    JsonObject o = new JsonObject();
                    o.addProperty("objective", s.objective());
                    o.addProperty("preset", s.preset());
                    o.addProperty("batch", b);
                    o.addProperty("ms_per_iteration", r.msPerIteration());
                    if (Double.isFinite(r.cpuMsPerIteration())) {
                        o.addProperty("cpu_ms_per_iteration", r.cpuMsPerIteration());
                    }
                    o.addProperty("model_ms_per_iteration", r.modelMsPerIteration());
                    o.addProperty("overhead", r.overhead());
                    o.addProperty("model_inputs_per_iteration", r.modelInputsPerIteration());
                    o.addProperty("model_passes_per_iteration", r.passesPerIteration());
                    o.addProperty("preset_iterations", full);
                    o.addProperty("seconds_per_image", secondsPerImage);
                    o.addProperty("peak_rss_mb", r.peakRssMb());
                    results.add(o);
                } else if (markdown) {
                    System.out.printf(Locale.ROOT, "| `%s` | %d | %.1f | %.1f | %.2f | %.2f (%d) | %.0f |%n",
                            s.objective() + ":" + s.preset(), b, r.msPerIteration(), r.modelMsPerIteration(),
                            r.overhead(), secondsPerImage, full, r.peakRssMb());
                } else {
                    System.out.printf(Locale.ROOT, "%-32s %5d %10.1f %10.1f %7.2f %7d (%2d) %7.2f (%4d) %9.0f%n",
                            s.objective() + ":" + s.preset(), b, r.msPerIteration(), r.modelMsPerIteration(),
                            r.overhead(), r.modelInputsPerIteration(), r.passesPerIteration(), secondsPerImage, full,
                            r.peakRssMb());
                }
            }
        }
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("model", classifier.name());
            o.addProperty("device", classifier.device().toString());
            o.addProperty("iterations", iterations);
            o.addProperty("rounds", rounds);
            o.add("results", results);
            System.out.println(new GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(o));
        }
        return 0;
    }

    /** The objectives named (all: every registered one) at their presets for the model (or the --preset ones). */
    private List<Setup> setups(Classifier classifier) {
        List<String> names = objectiveOption.values();
        if (names.size() == 1 && names.get(0).equalsIgnoreCase("all")) {
            names = Objectives.names();
        }
        List<Preset> chosen = preset.values() == null ? null
                : preset.values().stream().map(Preset::parse).toList();
        List<Setup> setups = new ArrayList<>();
        for (String name : names) {
            String objective = Objectives.get(name).name();
            List<Preset> presets = chosen == null ? Preset.of(objective, classifier)
                    : chosen.stream().filter(p -> p.objective().name().equals(objective)).toList();
            if (presets.isEmpty() && chosen == null) { // a plug-in: its own preset for the model's input size
                setups.add(new Setup(objective, "default", Objectives.presetFor(objective, classifier)));
            }
            for (Preset p : presets) {
                setups.add(new Setup(objective, p.cliName(), p.objective()));
            }
        }
        if (setups.isEmpty()) {
            throw new IllegalArgumentException("no preset of " + String.join(", ", names) + " among --preset "
                    + preset.value() + "; name presets of those objectives, or leave --preset out");
        }
        return setups;
    }

    /** A timing, not an explanation: 100 iterations unless told otherwise; --objective also takes all. */
    static final class Defaults implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return ObjectiveOption.allowingAll(IterationsOption.defaultTo(spec, 100), "Mask objectives to time, "
                    + "comma-separated, or all (every registered objective), each at every preset made for the "
                    + "model's input size (or the --preset ones); without it, NeuroMask at one preset.");
        }
    }
}
