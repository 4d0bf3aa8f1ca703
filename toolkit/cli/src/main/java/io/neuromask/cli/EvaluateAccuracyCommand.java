package io.neuromask.cli;

import com.google.gson.JsonObject;
import io.neuromask.data.LabeledImages;
import io.neuromask.metrics.Accuracy;
import io.neuromask.base.Classifier;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.JsonOption;
import io.neuromask.options.ModelOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code neuromask evaluate-accuracy}: top-1/top-5 of a model on a labelled data set. */
@Command(name = "evaluate-accuracy", mixinStandardHelpOptions = true,
        modelTransformer = EvaluateAccuracyCommand.Defaults.class,
        description = "Top-1 and top-5 accuracy of a model. Images are resized (bilinear) to the model's input; "
                + "the model applies its own normalisation.")
final class EvaluateAccuracyCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource source;


    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N images (default: all).")
    int limit;

    @Mixin
    BatchOption batchOption;

    @Mixin
    DeviceOption device;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0");
        }
        int batch = batchOption.positive();
        LabeledImages data = source.open();
        try (Classifier classifier = model.load(device)) {
            Accuracy.Result r = Accuracy.evaluate(classifier, data, limit, batch);
            if (json.on()) {
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

    /** Images per forward pass: 50 unless told otherwise, no 'auto'. */
    static final class Defaults implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return BatchOption.numbersOnly(spec, "50");
        }
    }
}
