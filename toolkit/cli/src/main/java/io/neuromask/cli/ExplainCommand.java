package io.neuromask.cli;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.export.ExplanationFiles;
import io.neuromask.io.ImageFiles;
import io.neuromask.base.Classifier;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.HyperparameterOptions;
import io.neuromask.options.ModelOption;
import io.neuromask.options.ObjectiveOption;
import io.neuromask.options.OutOption;
import io.neuromask.options.PresetOption;
import io.neuromask.options.PreprocessingOption;
import io.neuromask.base.PhotoGeometry;
import io.neuromask.base.Preprocessing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code neuromask explain}: images in, mask and summary files out. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Learns the mask of each image (NeuroMask, meaningful or extremal perturbation) and writes "
                + "mask.png and mask.npy (at the model's input size), overlay.png and mask_full.npy (at the photo's "
                + "own size, NaN outside the crop), figure.png (image, mask with a colour bar, overlay; class and p "
                + "before and after masking) and explanation.json (with the preprocessing) to --out (one image) or "
                + "--out/<name>/ (several). Nothing is written when the optimisation fails.")
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--image", required = true, arity = "1..*",
            description = "Image file(s) (PNG, JPEG, ...); each is made the model's input as --resize and "
                    + "--center-crop say. With several, "
                    + "they are optimised together in batches and each goes to --out/<file name without extension>/.")
    List<Path> images;

    @Mixin
    PreprocessingOption preprocessing;

    @Mixin
    BatchOption batch;

    @Mixin
    ObjectiveOption objective;

    @Mixin
    PresetOption preset;

    @Option(names = "--target", defaultValue = "predicted",
            description = "'predicted' (default), a class index, or a class name.")
    String target;

    @Mixin
    HyperparameterOptions overrides = new HyperparameterOptions();

    @Option(names = "--seed", defaultValue = "" + MaskEngine.DEFAULT_SEED, description = "Seed of the starting weights.")
    long seed;

    @Mixin
    DeviceOption device;

    @Mixin
    OutOption output;

    @Option(names = "--record-every", description = "Record the mask every K iterations and write evolution.gif "
            + "(animated) and evolution.html (player with the loss curve) next to the mask; at most "
            + io.neuromask.engine.MaskEvolution.MAX_FRAMES + " frames per image, one byte per pixel each.")
    Integer recordEvery;

    @Override
    public Integer call() throws Exception {
        Target t = Target.parse(target);
        preprocessing.check();
        Path out = output.path();
        try (Classifier classifier = model.load(device)) {
            MaskObjective<?> hp = overrides.resolve(preset.value(), objective.value(), classifier);
            Preprocessing recipe = preprocessing.resolve(classifier);
            List<RgbImage> inputs = new ArrayList<>();
            List<PhotoGeometry> geometries = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            for (Path image : images) {
                // the photo at its own size; only the model's input is kept until the outputs are written
                RgbImage photo = ImageFiles.readAtMost(image, ImageFiles.PHOTO_PIXELS);
                PhotoGeometry g = recipe.geometry(photo);
                inputs.add(g.apply(photo));
                geometries.add(g);
                dirs.add(images.size() == 1 ? out : out.resolve(stem(image)));
            }
            if (new HashSet<>(dirs).size() != dirs.size()) {
                throw new IllegalArgumentException("two --image files have the same name without extension; their "
                        + "outputs would collide in " + out + ": rename one");
            }
            MaskEngine.Builder builder = NeuroMask.builder().model(classifier).objective(hp).seed(seed);
            if (recordEvery != null) {
                if (recordEvery < 1) {
                    throw new IllegalArgumentException("--record-every must be at least 1 (a frame every K iterations), "
                            + "got " + recordEvery);
                }
                builder.recordEvery(recordEvery);
            }
            int size = batch.size();
            if (size == 0) {
                builder.autoBatchSize();
            } else {
                builder.batchSize(size);
            }
            ConsoleProgress progress = new ConsoleProgress(System.err, "explain");
            List<Explanation> results = builder.progress(progress).build()
                    .explain(inputs, Collections.nCopies(inputs.size(), t));
            progress.done();
            for (int i = 0; i < results.size(); i++) {
                Explanation e = results.get(i).withPhotoGeometry(geometries.get(i));
                ExplanationFiles.saveAll(e, ImageFiles.readAtMost(images.get(i), ImageFiles.PHOTO_PIXELS), dirs.get(i));
                System.out.println(e);
                e.warning().ifPresent(w -> System.err.println("neuromask: warning: " + w));
                System.out.println("wrote " + dirs.get(i).toAbsolutePath()
                        + "/{" + String.join(", ", ExplanationFiles.FILES) + "} (" + geometries.get(i) + ")");
                if (recordEvery != null) {
                    e.saveGif(dirs.get(i).resolve("evolution.gif"));
                    String page = io.neuromask.viz.EvolutionPage.standalone(e);
                    io.neuromask.io.AtomicFiles.write(dirs.get(i).resolve("evolution.html"),
                            o -> o.write(page.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    System.out.println("wrote " + dirs.get(i).toAbsolutePath() + "/{evolution.gif, evolution.html} ("
                            + e.evolution().orElseThrow() + ")");
                }
            }
        }
        return 0;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

}
