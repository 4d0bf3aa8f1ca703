package io.neuromask.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one summary of recorded per-image results ({@link ResultsLog.Entry}) into an {@link Evaluator.Report}: each
 * metric's mean and 95 % t-interval ({@link Summary}), each {@link SetMetric}'s values chosen over the method's
 * images (MaxBoxAcc's threshold), the mean seconds per image, and, when {@code center} is among the methods, the
 * paired difference of every other method to it on the metrics {@link Metric#comparedToCenter() compared with it}.
 * {@link Evaluator} reports a run through it, and {@link ResultsFile} a results file read without a model, so that
 * both give the same numbers for the same lines.
 */
final class ResultsReport {

    private ResultsReport() {}

    /**
     * The report of each method's entries.
     *
     * @param images the report's number of images
     * @param methods the methods, in the report's order
     * @param entries by method: its results in the order of its per-image arrays ({@link
     *     Evaluator.MethodReport#perImage()}); a method's images need not be those of another
     * @param columns the entries' value columns ({@link ResultsLog#valueColumns()})
     * @param sets the metrics of the entries' records ({@link ResultsLog#setMetrics()})
     * @param scorer the metrics reported ({@link Scorer#metrics()}, {@link Scorer#rasterColumns()})
     */
    static Evaluator.Report of(String model, String data, int images, List<String> methods,
            Map<String, List<ResultsLog.Entry>> entries, List<String> columns, List<SetMetric> sets, Scorer scorer) {
        List<Evaluator.MethodReport> reports = new ArrayList<>();
        Map<String, List<ResultsLog.Entry>> byMethod = new HashMap<>();
        for (String name : methods) {
            List<ResultsLog.Entry> recorded = entries.getOrDefault(name, List.of());
            byMethod.put(name, recorded);
            int n = recorded.size();
            Map<String, double[]> per = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            scorer.metrics().forEach(m -> keys.add(m.name()));
            keys.addAll(scorer.rasterColumns());
            for (String k : keys) {
                double[] v = new double[n];
                Arrays.fill(v, Double.NaN);
                per.put(k, v);
            }
            List<List<String>> records = new ArrayList<>();
            sets.forEach(m -> records.add(new ArrayList<>()));
            double seconds = 0;
            for (int i = 0; i < n; i++) {
                ResultsLog.Entry e = recorded.get(i);
                for (int k = 0; k < columns.size(); k++) {
                    per.get(columns.get(k))[i] = e.values()[k];
                }
                for (int k = 0; k < sets.size(); k++) {
                    records.get(k).add(e.records()[k]);
                }
                seconds += e.seconds();
            }
            double threshold = Double.NaN;
            for (int k = 0; k < sets.size(); k++) {
                // chosen over the method's whole set, as an uninterrupted run chooses
                SetMetric.Reduction r = sets.get(k).reduce(records.get(k));
                per.put(sets.get(k).name(), r.values());
                if (sets.get(k).name().equals(Metrics.MAX_BOX_ACC)) {
                    threshold = r.setting();
                }
            }
            Map<String, Summary> summaries = new LinkedHashMap<>();
            per.forEach((k, v) -> summaries.put(k, Summary.of(v)));
            for (String k : scorer.rasterColumns()) {
                if (Arrays.stream(per.get(k)).allMatch(Double::isNaN)) {
                    summaries.remove(k); // no map of this method had a tie-break
                    per.remove(k);
                }
            }
            reports.add(new Evaluator.MethodReport(name, n == 0 ? 0 : seconds / n, summaries, new LinkedHashMap<>(),
                    threshold, per));
        }
        Evaluator.MethodReport center = reports.stream().filter(r -> r.method().equals("center")).findFirst()
                .orElse(null);
        if (center != null) {
            Map<Integer, Integer> centerAt = new HashMap<>(); // image index -> position in center's arrays
            List<ResultsLog.Entry> centerEntries = byMethod.get("center");
            for (int j = 0; j < centerEntries.size(); j++) {
                centerAt.put(centerEntries.get(j).image(), j);
            }
            for (Evaluator.MethodReport r : reports) {
                if (r == center) {
                    continue;
                }
                List<ResultsLog.Entry> own = byMethod.get(r.method());
                for (Metric m : scorer.metrics()) {
                    if (!m.comparedToCenter()) {
                        continue;
                    }
                    String k = m.name();
                    double[] a = r.perImage().get(k);
                    double[] b = center.perImage().get(k);
                    double[] d = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        Integer at = centerAt.get(own.get(i).image());
                        d[i] = at == null ? Double.NaN : a[i] - b[at]; // paired: the images both have
                    }
                    r.versusCenter().put(k, Summary.of(d));
                }
            }
        }
        return new Evaluator.Report(model, data, images, reports);
    }
}
