package io.neuromask.cli;

import com.google.gson.JsonObject;
import io.neuromask.data.LabeledImages;
import io.neuromask.metrics.Accuracy;
import io.neuromask.base.Classifier;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code neuromask evaluate-accuracy}: top-1/top-5 of a model on a labelled data set. */
@Command(name = "evaluate-accuracy", mixinStandardHelpOptions = true,
        description = "Top-1 and top-5 accuracy of a model. Images are resized (bilinear) to the model's input; "
                + "the model applies its own normalisation.")
final class EvaluateAccuracyCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model name (see 'neuromask models list').")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource source;


    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N images (default: all).")
    int limit;

    @Option(names = "--batch", defaultValue = "50", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        LabeledImages data = source.open();
        try (Classifier classifier = Models.load(model, Devices.parse(device))) {
            Accuracy.Result r = Accuracy.evaluate(classifier, data, limit, batch);
            if (json) {
                JsonObject o = new JsonObject();
                o.addProperty("model", classifier.name());
                o.addProperty("images", r.images());
                o.addProperty("top1", r.top1());
                o.addProperty("top5", r.top5());
                System.out.println(o);
            } else {
                System.out.printf(Locale.ROOT, "%s on %d images: top-1 %.2f %%, top-5 %.2f %%%n", classifier.name(),
                        r.images(), 100 * r.top1(), 100 * r.top5());
            }
        }
        return 0;
    }
}
