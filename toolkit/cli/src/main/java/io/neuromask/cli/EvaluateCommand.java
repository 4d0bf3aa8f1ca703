package io.neuromask.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.neuromask.Preset;
import io.neuromask.base.Attribution;
import io.neuromask.Objectives;
import io.neuromask.attribution.MethodConfig;
import io.neuromask.engine.EarlyStopping;
import io.neuromask.attribution.MethodDescriptor;
import io.neuromask.attribution.Methods;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.metrics.DeletionInsertion;
import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.MaxBoxAcc;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.PointingGame;
import io.neuromask.metrics.Summary;
import io.neuromask.metrics.Ties;
import io.neuromask.base.Classifier;
import io.neuromask.options.BatchOption;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.HyperparameterOptions;
import io.neuromask.options.JsonOption;
import io.neuromask.options.ModelOption;
import io.neuromask.options.ObjectiveOption;
import io.neuromask.options.PresetOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code neuromask evaluate}: methods side by side, every metric with a 95 % interval. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, modelTransformer = EvaluateCommand.Defaults.class,
        description = "Runs attribution methods side by side on a labelled data set and prints, per method, the "
                + "mean and 95 %% t-interval of deletion/insertion AUC, ROAD MoRF/LeRF AUC (noisy linear "
                + "imputation), pointing game, energy pointing game, MaxBoxAcc, MaxBoxAccV2, Gini sparseness, class "
                + "preservation and mask area (or those of --metrics), plus seconds per image. "
                + "The 'center' baseline is always included; localisation only counts where a method beats it. "
                + "Several presets of one objective (--preset, comma-separated) are evaluated side by side as "
                + "<objective>:<preset>, e.g. neuromask:fast-imagenet.")
final class EvaluateCommand implements Callable<Integer> {

    static final List<String> ALL_METHODS = Methods.names();


    @Mixin
    ModelOption model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    DataSource source;

    @Option(names = "--methods", split = ",", description = "Comma-separated, from: ${COMPLETION-CANDIDATES} "
            + "(default: all, or none but center when --objective is given; all leaves out, saying why, what cannot "
            + "run on the model: the CAM methods (gradcam, gradcam++, scorecam, layercam, opticam) on a --model-file). "
            + "scorecam runs one forward pass per channel of the layer (512 per image at SqueezeNet's fire8); "
            + "opticam a forward and a backward pass per iteration (--opticam-iterations).",
            completionCandidates = MethodNames.class)
    List<String> methods;

    @Option(names = "--limit", description = "Use the first N images.")
    Integer limit;

    @Mixin
    ObjectiveOption objectiveOption;

    @Mixin
    PresetOption presetOption;

    @Mixin
    HyperparameterOptions overrides = new HyperparameterOptions();

    @Option(names = "--early-stop", paramLabel = "EPSILON/PATIENCE", description = "Mask methods: stop an image "
            + "once the target is kept and its mask moved less than EPSILON (mean |change| per pixel) over PATIENCE "
            + "iterations, e.g. 0.002/20 (default off: every iteration runs). Recorded in --resume files.")
    String earlyStop;

    @Option(names = "--rise-masks", description = "RISE random masks (default 2000 above 64 px, else 500).")
    Integer riseMasks;

    @Option(names = "--opticam-iterations", description = "Opti-CAM's Adam steps per image (default 50, the "
            + "authors').")
    Integer opticamIterations;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of NeuroMask, SmoothGrad and RISE.")
    long seed;

    @Option(names = "--gradcam-layer", description = "Layer path of the CAM methods (gradcam, gradcam++, scorecam, "
            + "layercam, opticam; default: the model's known one). A TorchScript model (--model-file) has none that can be "
            + "reached: there the default leaves them out, and naming them is refused.")
    String gradcamLayer;

    @Option(names = "--step-fraction", defaultValue = "0.01",
            description = "Deletion/insertion and ROAD: fraction of pixels per step (default ${DEFAULT-VALUE}).")
    double stepFraction;

    @Option(names = "--tolerance", defaultValue = "15", description = "Pointing-game tolerance in pixels.")
    double tolerance;

    @Option(names = "--predicted", description = "Explain the predicted class instead of the true label.")
    boolean predicted;

    @Mixin
    BatchOption batchOption;

    @Option(names = "--chunk", defaultValue = "16", description = "Images attributed and scored together.")
    int chunk;

    @Mixin
    DeviceOption device;

    @Mixin
    JsonOption jsonOption;

    @Option(names = "--ties", defaultValue = "break", paramLabel = "break|raster",
            description = "How deletion/insertion and the pointing game rank pixels of equal saliency: 'break' by "
                    + "the maps' tie-breaks (default), 'raster' with the tie-breaks dropped (row-major order), to "
                    + "report the same maps before and after tie-breaking.")
    String ties;

    @Option(names = "--metrics", split = ",", paramLabel = "NAME",
            description = "Compute only these metrics, comma-separated, from: ${COMPLETION-CANDIDATES} (or an "
                    + "extension metric's name; default: all). The others are neither computed nor reported. "
                    + "deletion_auc and insertion_auc come from one computation, as do road_morf_auc and "
                    + "road_lerf_auc: naming one computes and reports both. ROAD is the costliest (ImageNet at 224 "
                    + "px: seconds per image and method). The 'center' baseline is always run. A --resume file "
                    + "records the selection and refuses a run with another.",
            completionCandidates = MetricNames.class)
    List<String> metrics;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Append every image's results to this JSON-lines file as each chunk finishes, and on a "
                    + "rerun skip what it already holds; the report comes from the file, so an interrupted run "
                    + "resumed reports what an uninterrupted one does. Refused when the file was written with other "
                    + "settings, and, left unchanged, when an existing file is not a results file (a missing or "
                    + "empty file is started afresh).")
    java.nio.file.Path resume;

    private final Map<String, io.neuromask.engine.MaskObjective<?>> maskObjectives = new java.util.LinkedHashMap<>();

    static final class MethodNames extends ArrayList<String> {
        MethodNames() {
            super(ALL_METHODS);
        }
    }

    /** The built-in metrics, for the help (extensions found on the class path are accepted too). */
    static final class MetricNames extends ArrayList<String> {
        MetricNames() {
            super(Metrics.builtIns().stream().map(io.neuromask.metrics.Metric::name).toList());
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> objectives = objectiveOption.values();
        List<String> presets = presetOption.values();
        int batch = batchOption.positive();
        boolean json = jsonOption.on();
        Set<String> names = new LinkedHashSet<>();
        // --objective alone means those objectives (beside center, always there), not every method besides
        List<String> requested = new ArrayList<>(methods != null ? methods
                : objectives != null ? List.of() : ALL_METHODS);
        if (objectives != null) {
            requested.addAll(objectives);
        }
        for (String m : requested) {
            String k = m.trim().toLowerCase(Locale.ROOT);
            if (!ALL_METHODS.contains(k)) {
                throw new IllegalArgumentException("unknown method '" + m + "'; choose from " + String.join(",", ALL_METHODS));
            }
            names.add(k);
        }
        names.add("center");
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
        }
        Ties tieMode = Ties.parse(ties);
        if (metrics != null) {
            Metrics.select(metrics); // an unknown name is refused before the data and model load
        }
        if (resume != null) {
            Evaluator.checkResumable(resume); // a mistyped file is refused before the data and model load
        }
        LabeledImages set = source.open();
        try (Classifier classifier = model.load(device)) {
            int n = limit == null ? set.size() : Math.min(limit, set.size());
            List<LabeledImage> data = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                data.add(set.get(i).resized(classifier.inputWidth(), classifier.inputHeight()));
            }
            // the default (every method) leaves out those that cannot run on this model, saying why; a method
            // asked for by name (--methods, or the CAM methods by --gradcam-layer) is refused instead, when created
            Map<String, String> skipped = new java.util.LinkedHashMap<>();
            if (methods == null && objectives == null) {
                for (String name : List.copyOf(names)) {
                    java.util.Optional<String> why = Methods.get(name).kind() == MethodDescriptor.Kind.CAM
                            && gradcamLayer != null
                            ? java.util.Optional.empty() : Methods.unavailable(name, classifier);
                    if (why.isPresent()) {
                        names.remove(name);
                        skipped.put(name, why.get());
                        System.err.println("evaluate: skipping " + name + " (of the default, every method): "
                                + why.get() + "; or choose them with --methods");
                    }
                }
            }
            MethodConfig options = MethodConfig.defaults().batchSize(batch).seed(seed)
                    .with("rise_masks", riseMasks == null ? null : riseMasks.toString())
                    .with("gradcam_layer", gradcamLayer)
                    .with("opticam_iterations", opticamIterations == null ? null : opticamIterations.toString())
                    .with("early_stop", earlyStop == null ? null : EarlyStopping.parse(earlyStop).toString());
            List<Attribution> list = new ArrayList<>();
            Map<String, Object> settings = new java.util.LinkedHashMap<>();
            for (String name : names) {
                if (Methods.get(name).kind() == MethodDescriptor.Kind.MASK) {
                    List<Preset> chosen = presets == null ? List.of()
                            : presets.stream().map(Preset::parse).filter(p -> p.objective().name().equals(name)).toList();
                    Map<String, io.neuromask.engine.MaskObjective<?>> byLabel = new java.util.LinkedHashMap<>();
                    for (Preset preset : chosen) {
                        byLabel.put(chosen.size() > 1 ? name + ":" + preset.cliName() : name, preset.objective());
                    }
                    if (chosen.isEmpty()) {
                        byLabel.put(name, Objectives.presetFor(name, classifier));
                    }
                    for (Map.Entry<String, io.neuromask.engine.MaskObjective<?>> e : byLabel.entrySet()) {
                        String label = e.getKey();
                        io.neuromask.engine.MaskObjective<?> hp = overrides.apply(e.getValue());
                        maskObjectives.put(label, hp);
                        list.add(Methods.create(name, classifier, options.objective(hp).label(label)));
                        settings.put(label, Methods.settings(name, options.objective(hp)));
                    }
                } else {
                    list.add(Methods.create(name, classifier, options));
                    settings.put(name, Methods.settings(name, options));
                }
            }
            Evaluator evaluator = new Evaluator(classifier, new DeletionInsertion(classifier, stepFraction, batch),
                    new PointingGame(tolerance), new MaxBoxAcc(), chunk, batch).ties(tieMode).resume(resume)
                    .methodSettings(settings).metrics(metrics);
            Evaluator.Report report = evaluator.evaluate(set.name(), data, list, !predicted,
                    line -> System.err.println("evaluate: " + line));
            if (json) {
                JsonObject out = ReportJson.of(report, classifier.device().toString(), tieMode);
                if (!skipped.isEmpty()) {
                    JsonObject why = new JsonObject();
                    skipped.forEach(why::addProperty);
                    out.add("skipped_methods", why);
                }
                if (!maskObjectives.isEmpty()) {
                    JsonObject byLabel = new JsonObject();
                    maskObjectives.forEach((label, o) -> {
                        JsonObject entry = new JsonObject();
                        entry.addProperty("objective", o.name());
                        entry.add("settings", new com.google.gson.Gson().toJsonTree(o.settings()));
                        byLabel.add(label, entry);
                    });
                    out.add("mask_objectives", byLabel);
                }
                System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
            } else {
                printTable(report, tieMode);
                skipped.forEach((name, why) -> System.out.println("skipped " + name + ": " + why));
                maskObjectives.forEach((label, o) -> System.out.println(label + ": " + o.name() + " " + o.settings()));
            }
        }
        return 0;
    }

    private static void printTable(Evaluator.Report report, Ties ties) {
        System.out.printf(Locale.ROOT, "model %s, data %s, %d images, ties %s; mean ± 95%% t half-width%n",
                report.model(), report.data(), report.images(), ties.cliName());
        // the metrics computed (all, or those of --metrics): the columns some method reports
        List<String> keys = Metrics.names().stream()
                .filter(k -> report.methods().stream().anyMatch(r -> r.metrics().containsKey(k))).toList();
        List<String> raster = Metrics.columns().stream().filter(c -> !Metrics.names().contains(c)
                && keys.contains(c.substring(0, c.length() - "_raster".length()))).toList();
        int width = 6;
        for (Evaluator.MethodReport r : report.methods()) {
            width = Math.max(width, r.method().length());
        }
        String nameFormat = "%-" + width + "s %9";
        System.out.printf(Locale.ROOT, nameFormat + "s", "method", "s/image");
        for (String k : keys) {
            System.out.printf(Locale.ROOT, " %" + Math.max(20, Metrics.heading(k).length()) + "s", Metrics.heading(k));
        }
        System.out.println();
        for (Evaluator.MethodReport r : report.methods()) {
            System.out.printf(Locale.ROOT, nameFormat + ".3f", r.method(), r.secondsPerImage());
            for (String k : keys) {
                Summary s = r.metrics().get(k);
                String cell = s == null || s.n() == 0 ? "-" : Double.isNaN(s.halfWidth())
                        ? String.format(Locale.ROOT, "%.3f", s.mean())
                        : String.format(Locale.ROOT, "%.3f±%.3f", s.mean(), s.halfWidth());
                boolean beats = r.versusCenter().containsKey(k) && r.versusCenter().get(k).low() > 0;
                System.out.printf(Locale.ROOT, " %" + Math.max(20, Metrics.heading(k).length()) + "s",
                        cell + (beats ? "*" : ""));
            }
            System.out.println();
        }
        System.out.println("* localisation interval of the difference to 'center' lies above 0");
        List<Evaluator.MethodReport> tied = report.methods().stream()
                .filter(r -> raster.stream().anyMatch(r.metrics()::containsKey)).toList();
        if (!tied.isEmpty()) {
            System.out.println();
            System.out.println("the same maps ranked without their tie-breaks (row-major order among equal values) -> "
                    + "with them:");
            System.out.printf(Locale.ROOT, "%-" + width + "s", "method");
            for (String k : raster) {
                System.out.printf(Locale.ROOT, " %28s", k.substring(0, k.length() - "_raster".length()));
            }
            System.out.println();
            for (Evaluator.MethodReport r : tied) {
                System.out.printf(Locale.ROOT, "%-" + width + "s", r.method());
                for (String k : raster) {
                    Summary before = r.metrics().get(k);
                    Summary after = r.metrics().get(k.substring(0, k.length() - "_raster".length()));
                    String cell = before == null || before.n() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.3f -> %.3f", before.mean(), after.mean());
                    System.out.printf(Locale.ROOT, " %28s", cell);
                }
                System.out.println();
            }
        }
    }

    /** Model inputs per forward pass: 64 unless told otherwise, no 'auto'. */
    static final class Defaults implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            return BatchOption.numbersOnly(spec, "64");
        }
    }
}
