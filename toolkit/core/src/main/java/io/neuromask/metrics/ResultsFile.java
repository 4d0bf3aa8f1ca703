package io.neuromask.metrics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A results file of {@code evaluate --resume} ({@link Evaluator#resume}) read back without a model: its methods,
 * their images, and the report an evaluation resumed with the file would give, summarised by the same code
 * ({@link ResultsReport}), so that for a file whose methods all hold images 0 to n−1 {@link #report()} equals
 * what {@code evaluate --resume FILE} reports, number for number. A metric registered after the file was written, or
 * left out by its run's {@code --metrics} ({@link #metricSelection()}), has no values in it (a {@link Summary} of
 * n 0): reported missing, never invented. The file is read, never locked or
 * changed.
 *
 * <pre>{@code
 * Evaluator.Report all = ResultsFile.read(Path.of("models/results/cifar10-resnet20-200.jsonl")).report();
 * Evaluator.Report first100 = ResultsFile.read(file).report(List.of(), 0, 99);
 * }</pre>
 */
public final class ResultsFile {

    private final Path file;
    private final ResultsLog log;

    private ResultsFile(Path file, ResultsLog log) {
        this.file = file;
        this.log = log;
    }

    /** {@link #read(Path, Consumer)} with its warning (an incomplete last line) on standard error. */
    public static ResultsFile read(Path file) {
        return read(file, System.err::println);
    }

    /**
     * Reads a results file whole, checking it as a resumed run does.
     *
     * @param warnings receives the warning about an incomplete last line (a run stopped while writing it), which is
     *     ignored
     * @throws IllegalArgumentException when the file is missing, empty, not a results file of the version this
     *     toolkit reads, or has a damaged line, naming the file, the line and the fix
     * @throws java.io.UncheckedIOException when it cannot be read
     */
    public static ResultsFile read(Path file, Consumer<String> warnings) {
        Objects.requireNonNull(file, "file");
        return new ResultsFile(file, ResultsLog.read(file, Objects.requireNonNull(warnings, "warnings")));
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The model of the run, as its header records it. */
    public String model() {
        return string("model");
    }

    /** The data set of the run, as its header records it. */
    public String data() {
        return string("data");
    }

    /** How the run ranked pixels of equal saliency ({@code ties} in the header). */
    public Ties ties() {
        return Ties.parse(string("ties"));
    }

    /** The header line: the run's settings ({@link Evaluator#resume} lists them). */
    public JsonObject header() {
        return log.header();
    }

    /**
     * The metrics its run was restricted to ({@code evaluate --metrics}, {@link Evaluator#metrics(java.util.Collection)}),
     * in the registry's order; empty when it computed every registered metric (every file written before
     * selections existed). A metric left out is reported with no values, as one the file predates.
     */
    public List<String> metricSelection() {
        List<String> s = ResultsLog.selection(file, log.header());
        return s == null ? List.of() : List.copyOf(s);
    }

    /** The methods with results or settings in the file, in the order of their settings lines. */
    public List<String> methods() {
        return log.methods();
    }

    /** The indices (in the run's data) of the images {@code method} has results for, ascending; empty for none. */
    public List<Integer> images(String method) {
        return List.copyOf(new TreeSet<>(log.entries().getOrDefault(method, Map.of()).keySet()));
    }

    /** The report of every method on every image it holds ({@link #report(List, int, int)} of all). */
    public Evaluator.Report report() {
        return report(List.of(), 0, Integer.MAX_VALUE);
    }

    /**
     * The report of some methods on the images from {@code first} to {@code last} (indices in the run's data, both
     * included), each method on those of them it holds: what {@code evaluate --resume FILE --limit (last + 1)} reports
     * when every method holds all of images 0 to {@code last} and {@code first} is 0. MaxBoxAcc's threshold is
     * chosen over each method's images of the range. The report's {@link Evaluator.Report#images() images} counts
     * the images any of its methods holds; each method's own are {@link Evaluator.MethodReport#images()}. A method
     * that holds none of the range is left out.
     *
     * @param methods the methods in the order wanted, or empty for all ({@link #methods()})
     * @throws IllegalArgumentException when a method is not in the file (naming those that are), or the range is empty
     */
    public Evaluator.Report report(List<String> methods, int first, int last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("images " + first + " to " + last + " of " + file + " is no range of "
                    + "images; give the first and last image index, 0 <= first <= last (e.g. 0-99)");
        }
        List<String> names = methods.isEmpty() ? methods() : List.copyOf(new java.util.LinkedHashSet<>(methods));
        for (String m : names) {
            if (!log.methods().contains(m)) {
                throw new IllegalArgumentException("results file " + file + " holds no method '" + m + "'; it holds "
                        + String.join(",", log.methods()));
            }
        }
        Map<String, List<ResultsLog.Entry>> entries = new LinkedHashMap<>();
        TreeSet<Integer> covered = new TreeSet<>();
        List<String> kept = new ArrayList<>();
        for (String m : names) {
            List<ResultsLog.Entry> list = new ArrayList<>(new TreeMap<>(log.entries().getOrDefault(m, Map.of()))
                    .subMap(first, true, last, true).values());
            if (list.isEmpty()) {
                continue;
            }
            kept.add(m);
            entries.put(m, list);
            list.forEach(e -> covered.add(e.image()));
        }
        // every registered metric: one the file does not hold (it predates it, or its run's --metrics left it out) is
        // reported with no values
        return ResultsReport.of(model(), data(), covered.size(), kept, entries, log.valueColumns(), log.setMetrics(),
                Scorer.layout(log.layout().maxBoxAcc()));
    }

    private String string(String key) {
        JsonElement e = log.header().get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    @Override
    public String toString() {
        return "results file " + file + " (" + model() + " on " + data() + ", " + methods().size() + " methods)";
    }
}
