package io.neuromask.metrics;

import io.neuromask.data.Box;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Attribution;
import io.neuromask.base.SaliencyMap;
import io.neuromask.data.LabeledImage;
import io.neuromask.internal.Inputs;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs attribution methods side by side on a labelled set and scores every map with every metric.
 *
 * <p>Per image: {@code deletion_auc}, {@code insertion_auc}, {@code gini}, {@code class_preserved} (0/1),
 * {@code mask_area}; and, for images with boxes, {@code pointing_game} (0/1), {@code energy_pointing_game}
 * and {@code max_box_acc} (0/1 hits at the method's best threshold over the set). Each is summarised as
 * mean and 95 % t-interval ({@link Summary}). When the {@code center} method is among the methods, each
 * other method also gets the paired difference to it on the localisation metrics: its localisation
 * only counts where that difference's interval lies above 0.
 *
 * <p>The explained class is the true label when {@code useLabels} and the image has one the model
 * knows, else the model's prediction.
 */
public final class Evaluator {

    /** Localisation metrics, compared against {@code center}. */
    public static final List<String> LOCALISATION = List.of("pointing_game", "energy_pointing_game", "max_box_acc");

    /** One method's results. */
    public record MethodReport(String method, double secondsPerImage, Map<String, Summary> metrics,
            Map<String, Summary> versusCenter, double maxBoxAccThreshold, Map<String, double[]> perImage) {}

    /** All results. */
    public record Report(String model, String data, int images, List<MethodReport> methods) {}

    private final Classifier model;
    private final DeletionInsertion deletionInsertion;
    private final PointingGame pointingGame;
    private final MaxBoxAcc maxBoxAcc;
    private final int chunk;
    private final int batchSize;

    /**
     * @param chunk images attributed and scored together (bounds memory)
     * @param batchSize model inputs per forward pass in the metrics
     */
    public Evaluator(Classifier model, DeletionInsertion deletionInsertion, PointingGame pointingGame,
            MaxBoxAcc maxBoxAcc, int chunk, int batchSize) {
        this.model = model;
        this.deletionInsertion = deletionInsertion;
        this.pointingGame = pointingGame;
        this.maxBoxAcc = maxBoxAcc;
        this.chunk = Inputs.positive("chunk", chunk, "images scored together");
        this.batchSize = Inputs.positive("batchSize", batchSize, "inputs per forward pass");
    }

    /**
     * Evaluates registered methods by name ({@link Methods}, e.g. {@code List.of("gradient", "gradcam")}) with
     * the given options; otherwise as {@link #evaluate(String, List, List, boolean, Consumer)}.
     */
    public Report evaluate(String dataName, List<LabeledImage> data, List<String> methods, Methods.Options options,
            boolean useLabels, Consumer<String> progress) {
        return evaluate(dataName, data, Methods.create(methods, model, options), useLabels, progress);
    }

    /** Evaluates every method on every image (already at the model's input size, see {@link LabeledImage#resized}). */
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
        int[] classes = Inputs.resolveTargets(model, images, targets, batchSize);
        List<MethodReport> reports = new ArrayList<>();
        Map<String, Map<String, double[]>> all = new LinkedHashMap<>();
        for (Attribution method : methods) {
            Map<String, double[]> per = new LinkedHashMap<>();
            for (String k : List.of("deletion_auc", "insertion_auc", "pointing_game", "energy_pointing_game",
                    "max_box_acc", "gini", "class_preserved", "mask_area")) {
                double[] v = new double[n];
                java.util.Arrays.fill(v, Double.NaN);
                per.put(k, v);
            }
            boolean[][] boxTable = new boolean[n][];
            long nanos = 0;
            long start = System.nanoTime();
            for (int s = 0; s < n; s += chunk) {
                int e = Math.min(n, s + chunk);
                List<RgbImage> ci = images.subList(s, e);
                int[] cc = java.util.Arrays.copyOfRange(classes, s, e);
                List<Target> ct = new ArrayList<>();
                for (int c : cc) {
                    ct.add(Target.index(c));
                }
                long t0 = System.nanoTime();
                List<SaliencyMap> maps = method.attribute(ci, ct);
                nanos += System.nanoTime() - t0;
                DeletionInsertion.Scores di = deletionInsertion.evaluate(ci, maps, cc);
                boolean[] kept = MaskMetrics.classPreserved(model, ci, maps, cc, batchSize);
                List<SaliencyMap> boxedMaps = new ArrayList<>();
                List<List<io.neuromask.data.Box>> boxes = new ArrayList<>();
                List<Integer> boxedIndex = new ArrayList<>();
                for (int j = 0; j < maps.size(); j++) {
                    int i = s + j;
                    SaliencyMap m = maps.get(j);
                    per.get("deletion_auc")[i] = di.deletion()[j];
                    per.get("insertion_auc")[i] = di.insertion()[j];
                    per.get("gini")[i] = Gini.index(m);
                    per.get("class_preserved")[i] = kept[j] ? 1 : 0;
                    per.get("mask_area")[i] = MaskMetrics.area(m);
                    List<io.neuromask.data.Box> gt = data.get(i).boxes();
                    if (!gt.isEmpty()) {
                        per.get("pointing_game")[i] = pointingGame.hit(m, gt) ? 1 : 0;
                        per.get("energy_pointing_game")[i] = EnergyPointingGame.score(m, gt);
                        boxedMaps.add(m);
                        boxes.add(gt);
                        boxedIndex.add(i);
                    }
                }
                if (!boxedMaps.isEmpty()) {
                    boolean[][] t = maxBoxAcc.hitTable(boxedMaps, boxes);
                    for (int j = 0; j < t.length; j++) {
                        boxTable[boxedIndex.get(j)] = t[j];
                    }
                }
                progress.accept(String.format(java.util.Locale.ROOT, "%s: %d/%d images, %.1fs", method.name(), e, n,
                        (System.nanoTime() - start) / 1e9));
            }
            double threshold = bestThreshold(boxTable, per.get("max_box_acc"));
            Map<String, Summary> summaries = new LinkedHashMap<>();
            per.forEach((k, v) -> summaries.put(k, Summary.of(v)));
            all.put(method.name(), per);
            reports.add(new MethodReport(method.name(), n == 0 ? 0 : nanos / 1e9 / n, summaries, new LinkedHashMap<>(),
                    threshold, per));
        }
        Map<String, double[]> center = all.get("center");
        if (center != null) {
            for (MethodReport r : reports) {
                if (r.method().equals("center")) {
                    continue;
                }
                for (String k : LOCALISATION) {
                    double[] a = r.perImage().get(k);
                    double[] b = center.get(k);
                    double[] d = new double[n];
                    for (int i = 0; i < n; i++) {
                        d[i] = a[i] - b[i];
                    }
                    r.versusCenter().put(k, Summary.of(d));
                }
            }
        }
        return new Report(model.name(), dataName, n, reports);
    }

    /** Picks MaxBoxAcc's best threshold over the images with boxes and writes their 0/1 hits into {@code out}. */
    private double bestThreshold(boolean[][] table, double[] out) {
        double[] ts = maxBoxAcc.thresholdValues();
        int best = -1;
        int bestHits = -1;
        for (int k = 0; k < ts.length; k++) {
            int hits = 0;
            for (boolean[] row : table) {
                if (row != null && row[k]) {
                    hits++;
                }
            }
            if (hits > bestHits) {
                bestHits = hits;
                best = k;
            }
        }
        boolean any = false;
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                out[i] = table[i][best] ? 1 : 0;
                any = true;
            }
        }
        return any ? ts[best] : Double.NaN;
    }
}
