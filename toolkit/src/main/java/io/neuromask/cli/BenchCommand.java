package io.neuromask.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.neuromask.Hyperparameters;
import io.neuromask.Preset;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.Classifier;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code neuromask bench}: NeuroMask's cost per iteration against the model's own forward+backward. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times NeuroMask on a batch of random images and, in the same process, the model's own "
                + "forward+backward pass for the same batch; prints the result.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(names = "--batch", defaultValue = "64", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iterations", defaultValue = "100",
            description = "Iterations per explanation (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--preset", description = "Hyperparameter preset (default: the model's paper preset).")
    String preset;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        if (batch < 1 || iterations < 2) {
            throw new IllegalArgumentException("--batch must be >= 1 and --iterations >= 2");
        }
        try (Classifier classifier = Models.load(model, Devices.parse(device))) {
            Hyperparameters hp = (preset != null ? Preset.parse(preset) : Presets.forModel(classifier))
                    .hyperparameters().withIterations(iterations);
            Benchmark.Result r = Benchmark.run(classifier, hp, batch, Benchmark.randomImages(classifier, batch, 1));
            if (json) {
                JsonObject o = new JsonObject();
                o.addProperty("model", classifier.name());
                o.addProperty("device", classifier.device().toString());
                o.addProperty("batch", batch);
                o.addProperty("iterations", iterations);
                o.addProperty("ms_per_iteration", r.msPerIteration());
                o.addProperty("model_ms_per_iteration", r.modelMsPerIteration());
                o.addProperty("overhead", r.overhead());
                o.addProperty("explanations_per_second", r.explanationsPerSecond());
                System.out.println(new GsonBuilder().create().toJson(o));
            } else {
                System.out.printf(Locale.ROOT, "model %s on %s, batch %d, %d iterations%n", classifier.name(),
                        classifier.device(), batch, iterations);
                System.out.printf(Locale.ROOT, "  NeuroMask          %9.3f ms/iteration%n", r.msPerIteration());
                System.out.printf(Locale.ROOT, "  model fwd+bwd      %9.3f ms/iteration%n", r.modelMsPerIteration());
                System.out.printf(Locale.ROOT, "  overhead           %9.3f%n", r.overhead());
                System.out.printf(Locale.ROOT, "  explanations/s     %9.3f%n", r.explanationsPerSecond());
            }
        }
        return 0;
    }

}
