package io.neuromask.cli;

import io.neuromask.Explanation;
import io.neuromask.Hyperparameters;
import io.neuromask.NeuroMask;
import io.neuromask.Preset;
import io.neuromask.RgbImage;
import io.neuromask.Target;
import io.neuromask.io.ImageFiles;
import io.neuromask.model.Classifier;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code neuromask explain}: one image in, mask and summary files out. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Learns the NeuroMask mask of one image and writes mask.png, overlay.png, mask.npy and "
                + "explanation.json to --out. Nothing is written when anything fails.")
final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model name (see 'neuromask models list').")
    String model;

    @Option(names = "--image", required = true, description = "Image file (PNG, JPEG, ...); resized to the model's input.")
    Path image;

    @Option(names = "--preset", description = "paper-cifar10 or paper-imagenet (default: the model's own).")
    String preset;

    @Option(names = "--target", defaultValue = "predicted",
            description = "'predicted' (default), a class index, or a class name.")
    String target;

    @Option(names = "--iterations", description = "Override the preset's iteration count.")
    Integer iterations;

    @Option(names = "--seed", defaultValue = "" + NeuroMask.DEFAULT_SEED, description = "Seed of the starting weights.")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Target t = Target.parse(target);
        try (Classifier classifier = Models.load(model, Devices.parse(device))) {
            Hyperparameters hp = (preset != null ? Preset.parse(preset) : Presets.forModel(classifier)).hyperparameters();
            if (iterations != null) {
                hp = hp.withIterations(iterations);
            }
            RgbImage img = ImageFiles.read(image, classifier);
            ConsoleProgress progress = new ConsoleProgress(System.err, "explain");
            Explanation e = NeuroMask.builder().model(classifier).hyperparameters(hp).seed(seed)
                    .progress(progress).build().explain(img, t);
            progress.done();
            e.save(out);
            System.out.println(e);
            System.out.println("wrote " + out.toAbsolutePath() + "/{mask.png, overlay.png, mask.npy, explanation.json}");
        }
        return 0;
    }
}
