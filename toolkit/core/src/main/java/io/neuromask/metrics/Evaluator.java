package io.neuromask.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.neuromask.attribution.MethodConfig;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import io.neuromask.data.Box;
import io.neuromask.data.LabeledImage;
import io.neuromask.internal.Inputs;
import io.neuromask.internal.Interruption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs attribution methods side by side on a labelled set and scores every map with every registered metric
 * ({@link Metrics#all()}, through the {@link Scorer} that Spark's job uses too), or with a selection of them
 * ({@link #metrics(Collection)}, {@code evaluate --metrics}).
 *
 * <p>Per image, the built-ins: {@code deletion_auc}, {@code insertion_auc}, {@code road_morf_auc},
 * {@code road_lerf_auc} ({@link Road}), {@code gini}, {@code class_preserved} (0/1), {@code mask_area}; and, for
 * images with boxes, {@code pointing_game} (0/1), {@code energy_pointing_game}, {@code max_box_acc} (0/1 hits at the
 * method's best threshold over the set) and {@code max_box_acc_v2} ({@link MaxBoxAccV2}: the mean of the hits at the
 * best thresholds for IoU 0.3, 0.5 and 0.7); then every extension, in the registry's order. Each is summarised as mean and 95 % t-interval ({@link Summary}). When the {@code center} method
 * is among the methods, each other method also gets the paired difference to it on the metrics that are
 * {@link Metric#comparedToCenter() compared with it} (the localisation metrics): its localisation only counts where
 * that difference's interval lies above 0.
 *
 * <p>The explained class is the true label when {@code useLabels} and the image has one the model
 * knows, else the model's prediction.
 *
 * <p><b>Ties.</b> {@link #ties(Ties)} chooses how the ranking metrics (deletion/insertion, pointing game) order
 * pixels of equal saliency: by the maps' tie-breaks ({@link Ties#BREAK}, the default) or in row-major order with the
 * tie-breaks dropped ({@link Ties#RASTER}, a {@link Ties#apply wrapper} around each method), so that the same maps
 * can be scored before and after tie-breaking. Ranking by tie-breaks, the maps that carry one are also scored without
 * it in the same run ({@link #RASTER}: {@code deletion_auc_raster}, {@code insertion_auc_raster},
 * {@code road_morf_auc_raster}, {@code road_lerf_auc_raster}, {@code pointing_game_raster}).
 *
 * <p><b>Results file and resuming.</b> With {@link #resume(Path)} every image's results are appended to a
 * JSON-lines file as each chunk finishes, each line forced to disk ({@code fsync}) when written. A later run with
 * the same file skips the chunks whose images are all in it and continues; the report is computed from the file's
 * lines alone, so a run interrupted and resumed reports exactly what an uninterrupted one does (seconds aside).
 * Killing a run loses at most the chunk in flight. See {@link #resume(Path)} for the format.
 */
public final class Evaluator {

    /**
     * The built-in localisation metrics, compared against {@code center}; every registered metric that
     * {@link Metric#comparedToCenter()} is.
     */
    public static final List<String> LOCALISATION = Metrics.builtIns().stream().filter(Metric::comparedToCenter)
            .map(Metric::name).toList();

    /**
     * The built-in per-image metrics, in the order of {@link MethodReport#metrics()}, which holds every registered
     * metric ({@link Metrics#all()}): the built-ins, then the extensions.
     */
    public static final List<String> METRICS = Metrics.builtIns().stream().map(Metric::name).toList();

    /**
     * The built-in ranking metrics again, scored with the maps' tie-breaks dropped (pixels of equal saliency in
     * row-major order): measured beside {@link #METRICS} when ranking by tie-breaks ({@link Ties#BREAK}) and a
     * method's maps carry one, so that one run reports the same maps before and after tie-breaking. A method whose
     * maps have no tie-break ranks identically either way and has none of them in its {@link MethodReport#metrics()}.
     * Every registered metric that {@link Metric#ranksPixels()} has one ({@link Scorer#rasterColumns()}).
     */
    public static final List<String> RASTER = Metrics.builtIns().stream()
            .filter(m -> m.ranksPixels() && !(m instanceof SetMetric)).map(m -> Metric.rasterName(m.name())).toList();

    /**
     * One method's results.
     *
     * @param perImage each metric's value per image of the method, NaN where it has none (in a report of a results
     *     file, {@link ResultsFile}, a method's images need not be another's)
     * @param versusCenter the paired difference to {@code center} on the images both have
     */
    public record MethodReport(String method, double secondsPerImage, Map<String, Summary> metrics,
            Map<String, Summary> versusCenter, double maxBoxAccThreshold, Map<String, double[]> perImage) {

        /** The number of images the method's results cover: the length of its per-image arrays (0 without any). */
        public int images() {
            return perImage.values().stream().mapToInt(v -> v.length).max().orElse(0);
        }
    }

    /** All results. */
    public record Report(String model, String data, int images, List<MethodReport> methods) {}

    private final Classifier model;
    private final DeletionInsertion deletionInsertion;
    private final PointingGame pointingGame;
    private final MaxBoxAcc maxBoxAcc;
    private final int chunk;
    private final int batchSize;
    private final Ties ties;
    private final Path resultsFile;
    private final Map<String, Object> methodSettings;
    /** The metrics asked for ({@link #metrics(Collection)}), null for all. */
    private final List<String> metricSelection;

    /**
     * An evaluator that ranks by tie-breaks ({@link Ties#BREAK}) and keeps its results in memory.
     *
     * @param chunk images attributed and scored together (bounds memory)
     * @param batchSize model inputs per forward pass in the metrics
     */
    public Evaluator(Classifier model, DeletionInsertion deletionInsertion, PointingGame pointingGame,
            MaxBoxAcc maxBoxAcc, int chunk, int batchSize) {
        this(Objects.requireNonNull(model, "model"), Objects.requireNonNull(deletionInsertion, "deletionInsertion"),
                Objects.requireNonNull(pointingGame, "pointingGame"), Objects.requireNonNull(maxBoxAcc, "maxBoxAcc"),
                Inputs.positive("chunk", chunk, "images scored together"),
                Inputs.positive("batchSize", batchSize, "inputs per forward pass"), Ties.BREAK, null, Map.of(), null);
    }

    private Evaluator(Classifier model, DeletionInsertion deletionInsertion, PointingGame pointingGame,
            MaxBoxAcc maxBoxAcc, int chunk, int batchSize, Ties ties, Path resultsFile,
            Map<String, Object> methodSettings, List<String> metricSelection) {
        this.model = model;
        this.deletionInsertion = deletionInsertion;
        this.pointingGame = pointingGame;
        this.maxBoxAcc = maxBoxAcc;
        this.chunk = chunk;
        this.batchSize = batchSize;
        this.ties = ties;
        this.resultsFile = resultsFile;
        this.methodSettings = methodSettings;
        this.metricSelection = metricSelection;
    }

    /** This evaluator with pixels of equal saliency ranked as {@code ties} says (default {@link Ties#BREAK}). */
    public Evaluator ties(Ties ties) {
        return new Evaluator(model, deletionInsertion, pointingGame, maxBoxAcc, chunk, batchSize,
                Objects.requireNonNull(ties, "ties"), resultsFile, methodSettings, metricSelection);
    }

    /** How pixels of equal saliency are ranked. */
    public Ties ties() {
        return ties;
    }

    /**
     * This evaluator with its results kept in {@code file} (null: in memory only), created when missing and resumed
     * when present.
     *
     * <p>The file is JSON lines. Line 1, the header: {@code {"type":"header","format":"neuromask-evaluate-results",
     * "version":1,"model":…,"data":…,"targets":"labels"|"predicted","ties":"break"|"raster","step_fraction":…,
     * "tolerance":…,"max_box_acc_thresholds":…,"max_box_acc_iou":…}}, and {@code "metrics":["deletion_auc",
     * "insertion_auc"]} when the run computes a selection of metrics ({@link #metrics(Collection)}; absent for every
     * metric, as in the files written before selections existed). Before a method's first result, its settings
     * ({@link #methodSettings}): {@code {"type":"method","method":"gradcam","settings":{…}}}. Then one line per image
     * and method: {@code {"type":"image","method":…,"image":<index in the data>,"id":…,"class":<explained class>,
     * "seconds":<the chunk's attribution time / its images>,"deletion_auc":…,"insertion_auc":…,"pointing_game":…,
     * "energy_pointing_game":…,"gini":…,"class_preserved":…,"mask_area":…,"max_box_acc_hits":"0011…"}} and, for maps
     * with a tie-break ranked by it, {@code "deletion_auc_raster"}, {@code "insertion_auc_raster"} and
     * {@code "pointing_game_raster"} ({@link #RASTER}), where
     * {@code max_box_acc_hits} holds MaxBoxAcc's hit at each threshold (so that the best threshold is chosen over the
     * whole set) and metrics that need boxes are null on images without boxes. Any other registered metric (ROAD's
     * {@code road_morf_auc} and {@code road_lerf_auc}, MaxBoxAccV2's {@code max_box_acc_v2_hits}, an extension, a
     * {@code _raster} column) has its key where it has a value: a file written before it existed holds
     * none and resumes with its values missing (NaN, never computed for the images already recorded); the version
     * stays 1.
     *
     * <p>A run with an existing file refuses other settings (the header's values, or a method's settings), naming the
     * difference: use the same settings, or another file. A selection of metrics counts as a setting: a file of
     * every metric refuses a run of a selection and the reverse, so that results of other metrics are never mixed; a
     * file's lines hold the metrics of its selection only (a metric it left out has no key). It refuses a new method
     * name whose settings some other name of the same method ({@code neuromask} and {@code neuromask:fast-imagenet}) already holds, which would
     * compute them twice. Every method is checked before any computes. It checks that every recorded image has the same id and
     * explained class, skips the chunks whose images are all recorded, and computes the others whole (so each image
     * is computed in the same batch as in an uninterrupted run) but appends only the images not yet recorded. The
     * number of images may grow from run to run ({@code --limit}); the report covers this run's images and methods.
     * An incomplete last line (a run killed while writing it) is dropped with a warning and its image computed
     * again; any other line that is not a valid results line is an error naming its line number. The file is locked
     * while a run uses it.
     *
     * <p>An existing file that does not start with a results header (a mistyped name: notes, a config file) is
     * refused and left byte for byte as it was ({@link #checkResumable}); an existing file is changed only after all
     * of it has been read and every check passed. A missing file is created exclusively ({@code CREATE_NEW}), so a
     * file that appears meanwhile is never replaced; an empty file is taken as new.
     */
    public Evaluator resume(Path file) {
        return new Evaluator(model, deletionInsertion, pointingGame, maxBoxAcc, chunk, batchSize, ties, file,
                methodSettings, metricSelection);
    }

    /**
     * Checks, reading its first line only and writing nothing, that {@code file} can be given to {@link #resume}: it
     * is missing, empty, or starts with the header of a results file of the version this toolkit reads. Lets a
     * command refuse a mistyped file before it loads a model; {@link #evaluate} checks again (and the settings).
     *
     * @throws IllegalArgumentException naming the file, what is wrong with it, and the fix
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static void checkResumable(Path file) {
        ResultsLog.checkResumable(Objects.requireNonNull(file, "file"));
    }

    /**
     * This evaluator with each method's settings (by method name; any value Gson can write), recorded in the results
     * file before the method's first result and compared when the file is resumed: results of other settings are
     * never mixed. A method without an entry records null. {@link #evaluate(String, List, List, MethodConfig,
     * boolean, Consumer)} fills in {@link Methods#settings} for the methods it creates.
     */
    public Evaluator methodSettings(Map<String, ?> settings) {
        return new Evaluator(model, deletionInsertion, pointingGame, maxBoxAcc, chunk, batchSize, ties, resultsFile,
                Collections.unmodifiableMap(new LinkedHashMap<>(settings)), metricSelection);
    }

    /**
     * This evaluator computing only some metrics (by name, {@link Metrics#names()}; null: every registered one, the
     * default), with the rest of their {@link Metric#group() groups}: {@code deletion_auc} brings
     * {@code insertion_auc} and {@code road_morf_auc} brings {@code road_lerf_auc}, which come from the same
     * computation. The others are neither computed nor recorded, and a report holds only the selected ones (and
     * their {@code _raster} columns). A results file records the selection in its header ({@code "metrics"}, absent
     * for all metrics, as in files written before selections existed) and refuses a run with another.
     *
     * @throws IllegalArgumentException for an empty selection or an unknown name, listing the known ones
     */
    public Evaluator metrics(Collection<String> names) {
        List<String> selection = null;
        if (names != null) {
            List<String> chosen = Metrics.select(names).stream().map(Metric::name).toList();
            selection = chosen.equals(Metrics.names()) ? null : chosen; // every metric is the default
        }
        return new Evaluator(model, deletionInsertion, pointingGame, maxBoxAcc, chunk, batchSize, ties, resultsFile,
                methodSettings, selection);
    }

    /**
     * The metrics this evaluator computes, by name, in the registry's order: the selection ({@link
     * #metrics(Collection)}) with its groups, or every registered metric.
     */
    public List<String> metrics() {
        return metricSelection != null ? metricSelection : Metrics.names();
    }

    /**
     * Evaluates registered methods by name ({@link Methods}, e.g. {@code List.of("gradient", "gradcam")}) with
     * the given options, their settings being {@link Methods#settings} unless {@link #methodSettings} gave others;
     * otherwise as {@link #evaluate(String, List, List, boolean, Consumer)}.
     */
    public Report evaluate(String dataName, List<LabeledImage> data, List<String> methods, MethodConfig options,
            boolean useLabels, Consumer<String> progress) {
        Map<String, Object> settings = new LinkedHashMap<>(methodSettings);
        List<Attribution> list = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String name : methods) {
            names.add(name.trim().toLowerCase(Locale.ROOT));
        }
        for (String name : names) {
            Attribution a = Methods.create(name, model, options);
            list.add(a);
            settings.putIfAbsent(a.name(), Methods.settings(name, options));
        }
        return methodSettings(settings).evaluate(dataName, data, list, useLabels, progress);
    }

    /**
     * Evaluates every method on every image (already at the model's input size, see {@link LabeledImage#resized}).
     *
     * @param progress receives a line per chunk, how many images of a method a results file already holds, and
     *     warnings
     * @throws IllegalArgumentException on bad input, two methods of the same name, or a results file of other
     *     settings or with a damaged line
     * @throws IllegalStateException when another run is using the results file
     * @throws java.io.UncheckedIOException when the results file cannot be read or written
     * @throws java.util.concurrent.CancellationException when the thread is interrupted: checked before every chunk
     *     and between the model batches of the methods and metrics; the results file keeps the chunks done
     */
    public Report evaluate(String dataName, List<LabeledImage> data, List<Attribution> methods, boolean useLabels,
            Consumer<String> progress) {
        int n = data.size();
        List<RgbImage> images = new ArrayList<>(n);
        List<Target> targets = new ArrayList<>(n);
        for (LabeledImage li : data) {
            images.add(li.image());
            targets.add(useLabels && li.label() >= 0 && li.label() < model.numClasses() ? Target.index(li.label())
                    : Target.predicted());
        }
        Inputs.validate(model, images, targets, "targets", "evaluate");
        Set<String> names = new LinkedHashSet<>();
        for (Attribution m : methods) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("two methods are named '" + m.name() + "'; give each a distinct "
                        + "name (e.g. MethodConfig.label) so that their results stay apart");
            }
        }
        int[] classes = Inputs.resolveTargets(model, images, targets, batchSize);
        JsonObject header = new JsonObject();
        header.addProperty("model", model.name());
        header.addProperty("data", dataName);
        header.addProperty("targets", useLabels ? "labels" : "predicted");
        header.addProperty("ties", ties.cliName());
        header.addProperty("step_fraction", deletionInsertion.stepFraction());
        header.addProperty("tolerance", pointingGame.tolerance());
        header.addProperty("max_box_acc_thresholds", maxBoxAcc.thresholds());
        header.addProperty("max_box_acc_iou", maxBoxAcc.iou());
        Scorer scorer = new Scorer(model, deletionInsertion, pointingGame, maxBoxAcc, batchSize);
        if (metricSelection != null) {
            JsonArray selected = new JsonArray();
            metricSelection.forEach(selected::add);
            header.add(ResultsLog.METRICS, selected);
            scorer = scorer.metrics(Metrics.select(metricSelection));
        }
        try (ResultsLog log = resultsFile == null ? ResultsLog.inMemory(scorer)
                : ResultsLog.open(resultsFile, header, scorer, progress)) {
            for (Attribution method : methods) {
                log.checkMethod(method.name(), methodSettings.get(method.name()));
            }
            for (Attribution method : methods) {
                run(log, scorer, method, data, images, classes, progress);
            }
            return report(dataName, n, List.copyOf(names), log, scorer);
        }
    }

    /** Computes and records the results of one method that the log does not hold yet. */
    private void run(ResultsLog log, Scorer scorer, Attribution method, List<LabeledImage> data,
            List<RgbImage> images, int[] classes, Consumer<String> progress) {
        String name = method.name();
        int n = images.size();
        log.method(name, methodSettings.get(name));
        Set<Integer> done = new HashSet<>();
        for (Map.Entry<Integer, ResultsLog.Entry> r : log.done(name).entrySet()) {
            int i = r.getKey();
            if (i >= n) {
                continue; // beyond this run's images: kept in the file, not in this report
            }
            ResultsLog.Entry e = r.getValue();
            if (e.target() != classes[i] || !Objects.equals(e.id(), data.get(i).id())) {
                throw new IllegalArgumentException("results file " + log.file() + ", line " + e.line() + ": image "
                        + i + " of " + name + " is " + e.id() + " explained for class " + e.target()
                        + ", but in this run image " + i + " is " + data.get(i).id() + " explained for class "
                        + classes[i] + "; the file was written for other data, labels or targets: resume with the "
                        + "same data and options, or give another results file");
            }
            done.add(i);
        }
        if (!done.isEmpty()) {
            progress.accept(String.format(Locale.ROOT, "resuming: %d of %d images of %s already done", done.size(), n,
                    name));
        }
        Attribution scored = ties.apply(method);
        long start = System.nanoTime();
        for (int s = 0; s < n; s += chunk) {
            Interruption.check("evaluation of " + name + " after " + s + " of " + n + " images"
                    + (resultsFile != null ? " (the results file keeps the images done: resume with it)" : ""));
            int e = Math.min(n, s + chunk);
            boolean pending = false;
            for (int i = s; i < e; i++) {
                pending |= !done.contains(i);
            }
            if (!pending) {
                continue;
            }
            // the whole chunk, even when some of its images are recorded: each image in the same batch as always
            List<RgbImage> ci = images.subList(s, e);
            int[] cc = Arrays.copyOfRange(classes, s, e);
            List<Target> ct = new ArrayList<>();
            for (int c : cc) {
                ct.add(Target.index(c));
            }
            long t0 = System.nanoTime();
            List<SaliencyMap> maps = scored.attribute(ci, ct);
            double seconds = (System.nanoTime() - t0) / 1e9 / (e - s);
            List<List<Box>> boxes = new ArrayList<>();
            for (int i = s; i < e; i++) {
                boxes.add(data.get(i).boxes());
            }
            Scorer.Scores scores = scorer.score(ci, maps, cc, boxes);
            List<String> columns = log.valueColumns();
            List<SetMetric> sets = log.setMetrics();
            for (int j = 0; j < maps.size(); j++) {
                int i = s + j;
                if (done.contains(i)) {
                    continue;
                }
                double[] values = new double[columns.size()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = scores.values().get(columns.get(k))[j];
                }
                String[] records = new String[sets.size()];
                for (int k = 0; k < records.length; k++) {
                    records[k] = scores.records().get(sets.get(k).recordName())[j];
                }
                log.add(new ResultsLog.Entry(name, i, data.get(i).id(), classes[i], seconds, values, records, 0));
            }
            progress.accept(String.format(Locale.ROOT, "%s: %d/%d images, %.1fs", name, e, n,
                    (System.nanoTime() - start) / 1e9));
        }
    }

    /** The report of the recorded results of {@code methods} on images 0 to n−1 ({@link ResultsReport}). */
    private Report report(String dataName, int n, List<String> methods, ResultsLog log, Scorer scorer) {
        Map<String, Map<Integer, ResultsLog.Entry>> results = log.reread();
        Map<String, List<ResultsLog.Entry>> entries = new LinkedHashMap<>();
        for (String name : methods) {
            Map<Integer, ResultsLog.Entry> recorded = results.getOrDefault(name, Map.of());
            List<ResultsLog.Entry> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ResultsLog.Entry e = recorded.get(i);
                if (e == null) {
                    throw new IllegalStateException("no result of " + name + " for image " + i + " was recorded");
                }
                list.add(e);
            }
            entries.put(name, list);
        }
        return ResultsReport.of(model.name(), dataName, n, methods, entries, log.valueColumns(), log.setMetrics(),
                scorer);
    }
}
