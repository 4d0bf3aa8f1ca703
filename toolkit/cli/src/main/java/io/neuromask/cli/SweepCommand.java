package io.neuromask.cli;

import io.neuromask.NeuroMask;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.base.Classifier;
import io.neuromask.base.Target;
import io.neuromask.io.AtomicFiles;
import io.neuromask.io.ImageFiles;
import io.neuromask.options.PreprocessingOption;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.HyperparameterOptions;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.ModelOption;
import io.neuromask.options.OutOption;
import io.neuromask.options.PresetOption;
import io.neuromask.sweep.Sweep;
import io.neuromask.sweep.SweepPage;
import io.neuromask.sweep.SweepResult;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code neuromask sweep}: one image, a grid of objective settings, one interactive HTML page out. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Learns the mask of one image for every cell of a grid λ_sparse × λ_smooth × T (or of any "
                + "numeric settings, --axis) in one batched run, and writes the explorer (a slider per swept value, "
                + "mask, overlay and a table of mask area, masked probability, class kept and final loss terms) as one "
                + "self-contained HTML page to --out, and every cell's numbers to the .json beside it (--out names the "
                + ".html file, e.g. sweep.html). Axes not given keep the preset's value.")
final class SweepCommand implements Callable<Integer> {

    /** Grids above this many cells need {@code --force}. */
    static final int MAX_CELLS = 1000;

    @Mixin
    ModelOption model;

    @Option(names = "--image", required = true, description = "Image file (PNG, JPEG, ...), made the model's input "
            + "as --resize and --center-crop say (as explain makes it).")
    Path image;

    @Mixin
    PreprocessingOption preprocessing;

    @Mixin
    PresetOption preset;

    @Mixin
    IterationsOption iterations;

    @Option(names = "--lambda-sparse", description = "Sparsity weights, comma-separated, e.g. 0.1,0.35,1.")
    String lambdaSparse;

    @Option(names = "--lambda-smooth", description = "Smoothness weights, comma-separated, e.g. 0.05,0.15,0.5.")
    String lambdaSmooth;

    @Option(names = "--temperature", description = "Temperatures T, comma-separated, e.g. 0.3,1,3.")
    String temperature;

    @Option(names = "--axis", paramLabel = "SETTING=V1,V2,...", description = "Any other numeric setting of the "
            + "preset's objective to sweep, named as in explanation.json (e.g. initCentre=-3,0 or, with an extremal "
            + "preset, step=3,7); repeatable.")
    java.util.Map<String, String> axes = new java.util.LinkedHashMap<>();

    @Option(names = "--target", defaultValue = "predicted",
            description = "'predicted' (default), a class index, or a class name.")
    String target;

    @Option(names = "--seed", defaultValue = "" + MaskEngine.DEFAULT_SEED, description = "Seed of the starting weights.")
    long seed;

    @Mixin
    BatchOption batch;

    @Mixin
    DeviceOption device;

    @Option(names = "--force", description = "Allow a grid of more than " + MAX_CELLS + " cells.")
    boolean force;

    @Mixin
    OutOption output;

    @Override
    public Integer call() throws Exception {
        Path out = output.path();
        String name = out.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".html")) {
            throw new IllegalArgumentException("--out " + out + " must name an .html file, e.g. --out sweep.html");
        }
        Path json = out.resolveSibling(name.substring(0, name.length() - 5) + ".json");
        double[] s = parse("--lambda-sparse", lambdaSparse);
        double[] k = parse("--lambda-smooth", lambdaSmooth);
        double[] t = parse("--temperature", temperature);
        long cells = (long) (s == null ? 1 : s.length) * (k == null ? 1 : k.length) * (t == null ? 1 : t.length);
        java.util.Map<String, double[]> other = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, String> e : axes.entrySet()) {
            double[] values = parse("--axis " + e.getKey(), e.getValue());
            other.put(e.getKey().trim(), values);
            cells *= values.length;
        }
        if (cells > MAX_CELLS && !force) {
            throw new IllegalArgumentException("the grid has " + cells + " cells (over " + MAX_CELLS + "): give fewer "
                    + "values, or add --force to run it anyway");
        }
        if (s == null && k == null && t == null && other.isEmpty()) {
            throw new IllegalArgumentException("nothing to sweep: give at least one of --lambda-sparse, --lambda-smooth, "
                    + "--temperature, --axis");
        }
        Target tg = Target.parse(target);
        preprocessing.check();
        try (Classifier classifier = model.load(device)) {
            HyperparameterOptions options = new HyperparameterOptions();
            options.iterations(iterations.iterations());
            MaskObjective<?> objective = options.resolve(preset.value(), null, classifier);
            if (!(objective instanceof NeuroMaskObjective) && (s != null || k != null || t != null)) {
                throw new IllegalArgumentException("--preset " + preset.value() + " is not a NeuroMask preset: "
                        + "--lambda-sparse, --lambda-smooth and --temperature are NeuroMask's; sweep its settings with "
                        + "--axis");
            }
            Sweep sweep = Sweep.over(preprocessing.resolve(classifier).apply(ImageFiles.read(image))).target(tg);
            if (s != null) {
                sweep.lambdaSparse(s);
            }
            if (k != null) {
                sweep.lambdaSmooth(k);
            }
            if (t != null) {
                sweep.temperature(t);
            }
            other.forEach(sweep::axis);
            MaskEngine.Builder builder = NeuroMask.builder().model(classifier).objective(objective).seed(seed);
            int size = batch.size();
            if (size == 0) {
                builder.autoBatchSize();
            } else {
                builder.batchSize(size);
            }
            ConsoleProgress progress = new ConsoleProgress(System.err, "sweep");
            SweepResult result = sweep.run(builder.progress(progress).build());
            progress.done();
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            write(json, result.toJson());
            String html = SweepPage.standalone(result);
            write(out, html);
            System.out.println(result);
            System.out.printf(Locale.ROOT, "wrote %s (%.1f KB) and %s%n", out.toAbsolutePath(),
                    html.getBytes(StandardCharsets.UTF_8).length / 1024.0, json.toAbsolutePath());
        }
        return 0;
    }

    /** A comma-separated list of numbers, or null when the option is absent. */
    static double[] parse(String option, String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (text.isBlank()) {
            throw new IllegalArgumentException(option + " is empty: give comma-separated numbers, e.g. " + option
                    + " 0.1,0.35,1");
        }
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException(option + " has an empty value at position " + (i + 1) + " in '"
                        + text + "': give comma-separated numbers, e.g. " + option + " 0.1,0.35,1");
            }
            try {
                v[i] = Double.parseDouble(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not a number; give comma-separated "
                        + "numbers, e.g. " + option + " 0.1,0.35,1");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not a finite number");
            }
        }
        return v;
    }

    private static void write(Path file, String text) throws java.io.IOException {
        AtomicFiles.write(file, o -> {
            Writer w = new OutputStreamWriter(o, StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        });
    }
}
