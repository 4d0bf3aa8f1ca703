package io.neuromask.cli;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.Preset;
import io.neuromask.base.Target;
import io.neuromask.data.Cifar10;
import io.neuromask.export.ExplanationFiles;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.base.Classifier;
import io.neuromask.model.Models;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.OutOption;
import io.neuromask.store.ModelStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code neuromask quickstart}: the README's main job. */
@Command(name = "quickstart", mixinStandardHelpOptions = true, modelTransformer = QuickstartCommand.Defaults.class,
        description = "Installs the Jupyter kernel 'neuromask-java' (unless a kernelspec of that name that it did not write is there) with the toolkit on its classpath, then explains CIFAR-10 "
                + "test image 17 (the paper's horse) with cifar10-resnet20 and the paper preset (2000 iterations), "
                + "writing mask.png, overlay.png, mask.npy, mask_full.npy (all 32x32: the image is CIFAR's own size), "
                + "figure.png (image, mask with a colour bar, overlay, enlarged; class and p before and after "
                + "masking) and explanation.json to --out.")
final class QuickstartCommand implements Callable<Integer> {

    /** CIFAR-10 test image 17: the horse of the paper's CIFAR-10 figure. */
    static final int HORSE = 17;

    @Mixin
    OutOption output;

    @Option(names = "--no-kernel", description = "Skip the Jupyter kernel installation.")
    boolean noKernel;

    @Mixin
    IterationsOption iterations;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        if (!noKernel) {
            KernelCommand.install(null);
        }
        LabeledImage horse = Datasets.open("cifar10-test", ModelStore.fromEnvironment()).get(HORSE);
        Path out = output.path();
        try (Classifier model = Models.load("cifar10-resnet20", device.device())) {
            ConsoleProgress progress = new ConsoleProgress(System.err, "explain");
            MaskEngine.Builder builder = NeuroMask.builder().model(model).preset(Preset.PAPER_CIFAR10);
            if (iterations.iterations() != null) {
                builder.iterations(iterations.iterations());
            }
            Explanation e = builder.progress(progress).build().explain(horse.image(), Target.predicted());
            progress.done();
            ExplanationFiles.saveAll(e, out);
            System.out.printf("CIFAR-10 test image %d, true class %s%n", HORSE, Cifar10.CLASSES.get(horse.label()));
            System.out.println(e);
            System.out.println("wrote " + out.toAbsolutePath() + "/{" + String.join(", ", ExplanationFiles.FILES) + "}");
            System.out.println("look at " + out.resolve("figure.png").toAbsolutePath());
            System.out.println("next: jupyter notebook notebooks/00-quickstart.ipynb (kernel 'neuromask-java')");
        }
        return 0;
    }

    /** Writes to out/quickstart unless told otherwise. */
    static final class Defaults implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return OutOption.defaultTo(spec, "out/quickstart");
        }
    }
}
