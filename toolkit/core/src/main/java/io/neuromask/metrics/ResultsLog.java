package io.neuromask.metrics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The per-image results of an {@link Evaluator} run, in memory or in a JSON-lines file that a later run resumes
 * (the format is described in {@link Evaluator#resume(Path)}). Every line is written with one {@code write} and
 * then forced to disk, so a killed run leaves at most one incomplete last line, which the next run drops (with a
 * warning) and computes again. The file is locked while open: two runs never append to it at once. A file that does
 * not start with a results header is refused and never changed: a mistyped {@code --resume} destroys nothing.
 */
final class ResultsLog implements Closeable {

    /** The header's {@code format}. */
    static final String FORMAT = "neuromask-evaluate-results";

    /**
     * The header's {@code version}. A metric added to the registry needs no new version: its key is optional in a
     * line ({@link #FORMAT_1_KEYS}), so a file written before it existed resumes with its values missing (NaN).
     */
    static final int VERSION = 1;

    /**
     * The metric keys every line of format version 1 has, null where a metric does not apply (no boxes): those of
     * the metrics built in when the format was made. Any other metric's key (a {@code _raster} column, a metric
     * added later or by an extension) is written only where it has a value and read as missing (NaN, or a null
     * record) where absent. Never extended: a new metric is optional in old files.
     */
    static final Set<String> FORMAT_1_KEYS = Set.of("deletion_auc", "insertion_auc", "pointing_game",
            "energy_pointing_game", "gini", "class_preserved", "mask_area", "max_box_acc_hits");

    /**
     * The header key of a run's selection of metrics ({@link Evaluator#metrics(java.util.Collection)}): their names,
     * in the registry's order, groups whole. Absent when the run computed every registered metric, as in every file
     * written before selections existed: such a file's lines hold every metric of its time.
     */
    static final String METRICS = "metrics";

    /**
     * The per-image value columns of a log of the metrics registered when this class was loaded
     * ({@link Scorer#valueColumns()}); a log's own are {@link #valueColumns()}.
     */
    static final List<String> VALUES = Scorer.layout(new MaxBoxAcc()).valueColumns();

    /**
     * One image's results for one method.
     *
     * @param target the class explained
     * @param seconds the image's share of its chunk's attribution time
     * @param values by the log's {@link #valueColumns()}; NaN where the metric does not apply (no boxes) or a line
     *     does not hold it
     * @param records by the log's {@link #setMetrics()}: each {@link SetMetric}'s record, null where it does not
     *     apply; null: none
     * @param line the file line it was read from or written to (1-based), 0 in memory
     */
    record Entry(String method, int image, String id, int target, double seconds, double[] values, String[] records,
            int line) {}

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Scorer layout;
    private final List<String> valueColumns;
    private final List<SetMetric> setMetrics;
    private final Map<String, JsonElement> methodSettings = new LinkedHashMap<>();
    private final Map<String, Map<Integer, Entry>> entries = new LinkedHashMap<>();
    private int lines;
    private long end;
    /** The header of a file {@link #read}; null for a log opened to append. */
    private JsonObject header;
    /** Whether the file ends in an incomplete line, to drop before the next append. */
    private boolean truncateTail;

    private ResultsLog(Path file, FileChannel channel, FileLock lock, Scorer layout) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.layout = layout;
        this.valueColumns = layout.valueColumns();
        this.setMetrics = layout.setMetrics();
    }

    /** Results of {@code layout}'s metrics kept in memory only. */
    static ResultsLog inMemory(Scorer layout) {
        return new ResultsLog(null, null, null, layout);
    }

    /** The per-image value columns of an {@link Entry}, in order. */
    List<String> valueColumns() {
        return valueColumns;
    }

    /** The metrics whose records an {@link Entry} holds, in order. */
    List<SetMetric> setMetrics() {
        return setMetrics;
    }

    /** {@link #open(Path, JsonObject, Scorer, Consumer)} for the registered metrics and MaxBoxAcc's thresholds. */
    static ResultsLog open(Path file, JsonObject header, int thresholds, Consumer<String> warnings) {
        return open(file, header, Scorer.layout(new MaxBoxAcc(thresholds, 0.5)), warnings);
    }

    /**
     * Opens (or creates, with {@code header} as its first line) a results file and reads the results already in it.
     * A missing file is created with {@link StandardOpenOption#CREATE_NEW}, so that a file that appears meanwhile is
     * never replaced; an empty one is taken as new (what a run stopped between creating the file and writing its
     * header leaves). Any other file must start with a results header ({@link #checkResumable}), else it is refused
     * and left byte for byte as it was. Nothing is written to an existing file before it has passed every check:
     * an incomplete last line is dropped only when this run appends its first line.
     *
     * @param header the settings of this run; the file's header must hold the same values
     * @param layout the metrics of the lines ({@link Scorer#valueColumns()}, {@link Scorer#setMetrics()}) and the
     *     settings their records are checked against
     * @param warnings receives the warning about an incomplete last line
     * @throws IllegalArgumentException when the file is not a results file, its settings differ from
     *     {@code header}, or a line other than the last is not a valid results line (naming the line and the fix)
     * @throws IllegalStateException when another run holds the file
     * @throws UncheckedIOException when the file cannot be read or written
     */
    static ResultsLog open(Path file, JsonObject header, Scorer layout, Consumer<String> warnings) {
        JsonObject head = new JsonObject();
        head.addProperty("type", "header");
        head.addProperty("format", FORMAT);
        head.addProperty("version", VERSION);
        asRead(header).getAsJsonObject().entrySet()
                .forEach(e -> head.add(e.getKey(), e.getValue()));
        checkResumable(file); // before opening it for writing
        FileChannel channel = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean created;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                created = true;
            } catch (FileAlreadyExistsException e) {
                // never TRUNCATE_EXISTING or CREATE: an existing file is read first and changed only once it passed
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                created = false;
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("results file " + file + " is being written by another evaluate run "
                        + "(it holds the file's lock); wait for that run to finish, or give another results file");
            }
            ResultsLog log = new ResultsLog(file, channel, lock, layout);
            log.load(head, warnings);
            if (created) {
                syncDirectory(file);
            }
            return log;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot use results file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Checks, reading only the first line, that {@code file} may be given to a resumed run: it is missing, empty, or
     * starts with the header of a results file of this {@link #VERSION}. Run before anything else, so that a
     * mistyped {@code --resume} is refused before a model is loaded, and never changed.
     *
     * @throws IllegalArgumentException naming the file, what is wrong with it, and the fix
     * @throws UncheckedIOException when the file cannot be read
     */
    static void checkResumable(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("results file " + file + " is a folder, not a results file; give "
                    + "--resume the name of a file (a missing one is created)");
        }
        if (!Files.exists(file)) {
            return;
        }
        byte[] first;
        try (var in = Files.newInputStream(file)) {
            first = in.readNBytes(FIRST_LINE_LIMIT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results file " + file + ": " + e.getMessage(), e);
        }
        if (first.length == 0) {
            return;
        }
        int newline = -1;
        for (int i = 0; i < first.length; i++) {
            if (first[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            String text = new String(first, StandardCharsets.UTF_8);
            throw notResults(file, "its first line " + (first.length < FIRST_LINE_LIMIT ? "has no line end ("
                    + first.length + " bytes: " + abbreviate(text) + ")" : "is longer than " + FIRST_LINE_LIMIT
                    + " bytes") + ", where a results file starts with a complete header line");
        }
        checkFormat(file, new String(first, 0, newline, StandardCharsets.UTF_8));
    }

    /** The most bytes a header line may have (it has a few hundred). */
    private static final int FIRST_LINE_LIMIT = 64 * 1024;

    /** Checks a first line's format and version. */
    private static JsonObject checkFormat(Path file, String text) {
        JsonObject h;
        try {
            JsonElement e = JsonParser.parseString(text);
            h = e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            h = null;
        }
        if (h == null || !h.has("format") || !FORMAT.equals(string(h.get("format")))) {
            throw notResults(file, "line 1 is not the header of one (" + abbreviate(text) + ")");
        }
        if (!h.has("version") || !new JsonPrimitive(VERSION).equals(h.get("version"))) {
            throw new IllegalArgumentException("results file " + file + " is of format version " + h.get("version")
                    + "; this toolkit reads version " + VERSION + ". It is left unchanged: resume it with the "
                    + "toolkit that wrote it, or give --resume another file name to start afresh");
        }
        return h;
    }

    private static IllegalArgumentException notResults(Path file, String problem) {
        return new IllegalArgumentException("results file " + file + " does not start with the header of an "
                + "evaluate results file: " + problem + ". It was not written by evaluate --resume, and it is left "
                + "unchanged; give --resume a new file name (a missing file is created) or the results file of an "
                + "earlier run");
    }

    /**
     * Reads the results lines of a file without changing it: the complete lines, an incomplete last line ignored.
     * Used for the report, which comes from the file alone.
     */
    Map<String, Map<Integer, Entry>> reread() {
        if (file == null) {
            return entries;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            ResultsLog copy = new ResultsLog(file, null, null, layout);
            List<String> complete = copy.split(bytes);
            for (int i = 1; i < complete.size(); i++) {
                copy.parse(complete.get(i), i + 1);
            }
            return copy.entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a whole results file without locking or changing it, for a report of what it holds
     * ({@link ResultsFile}): its header is checked as {@link #checkResumable} checks it, its lines as a resumed run
     * reads them (the layout of the registered metrics and the header's MaxBoxAcc thresholds), and an incomplete
     * last line is ignored with a warning.
     *
     * @throws IllegalArgumentException when the file is missing, empty, not a results file, or has a damaged line
     *     (naming the file, the line and the fix)
     * @throws UncheckedIOException when it cannot be read
     */
    static ResultsLog read(Path file, Consumer<String> warnings) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("results file " + file + " is a folder; give the path of a results "
                    + "file written by evaluate --resume");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("results file " + file + " does not exist; give the path of a results "
                    + "file written by evaluate --resume (e.g. models/results/cifar10-resnet20-200.jsonl)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results file " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("results file " + file + " is empty: no evaluate run has written a "
                    + "result to it yet; give a file that holds results");
        }
        List<String> complete = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                complete.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (complete.isEmpty()) {
            throw notResults(file, "its first line has no line end (" + bytes.length + " bytes), where a results "
                    + "file starts with a complete header line");
        }
        JsonObject header = checkFormat(file, complete.get(0));
        JsonElement thresholds = header.get("max_box_acc_thresholds");
        JsonElement iou = header.get("max_box_acc_iou");
        if (thresholds == null || iou == null || !thresholds.isJsonPrimitive() || !iou.isJsonPrimitive()
                || !thresholds.getAsJsonPrimitive().isNumber() || !iou.getAsJsonPrimitive().isNumber()) {
            throw notResults(file, "its header has no numeric max_box_acc_thresholds and max_box_acc_iou ("
                    + abbreviate(complete.get(0)) + ")");
        }
        Scorer layout = Scorer.layout(new MaxBoxAcc(thresholds.getAsInt(), iou.getAsDouble()));
        List<String> selection = selection(file, header);
        if (selection != null) { // the lines hold these metrics only
            layout = layout.metrics(layout.metrics().stream().filter(m -> selection.contains(m.name())).toList());
        }
        ResultsLog log = new ResultsLog(file, null, null, layout);
        log.header = header;
        for (int i = 1; i < complete.size(); i++) {
            log.parse(complete.get(i), i + 1);
        }
        log.lines = complete.size();
        if (start < bytes.length) {
            warnings.accept("warning: results file " + file + " ends in an incomplete line " + (complete.size() + 1)
                    + " (" + (bytes.length - start) + " bytes), left by a run that was stopped while writing it; it "
                    + "is ignored (evaluate --resume with the file computes that image again)");
        }
        return log;
    }

    /**
     * The selection of metrics a header records ({@link #METRICS}), or null when it records none: every metric.
     *
     * @throws IllegalArgumentException when the key is there but not an array of names
     */
    static List<String> selection(Path file, JsonObject header) {
        JsonElement e = header.get(METRICS);
        if (e == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                String name = string(x);
                if (name == null) {
                    out = null;
                    break;
                }
                out.add(name);
            }
        }
        if (!e.isJsonArray() || out == null || out.isEmpty()) {
            throw new IllegalArgumentException("results file " + file + ": the header's " + METRICS + " must be a non-empty array of metric "
                    + "names (the run's --metrics), got " + abbreviate(String.valueOf(e)) + "; the header was changed "
                    + "by hand or damaged: repair it, or give another results file");
        }
        return out;
    }

    /** The header line of a file {@link #read}, null otherwise. */
    JsonObject header() {
        return header == null ? null : header.deepCopy();
    }

    /** The methods with a settings line, in the file's order. */
    List<String> methods() {
        return List.copyOf(methodSettings.keySet());
    }

    /** Every recorded result, by method (in the order of {@link #methods()}) and image index. */
    Map<String, Map<Integer, Entry>> entries() {
        return entries;
    }

    /** The scorer of the lines' metrics and settings. */
    Scorer layout() {
        return layout;
    }

    /** The results of {@code method} already recorded, by image index. */
    Map<Integer, Entry> done(String method) {
        return entries.getOrDefault(method, Map.of());
    }

    /**
     * Checks, writing nothing, that a method's settings fit the file: a method already in it must have the same ones,
     * and a new one must not repeat the settings of another label of the same method. {@link Evaluator} checks every
     * method of a run before it computes any, so that a refusal never comes after hours of work.
     *
     * @throws IllegalArgumentException naming the difference and the fix
     */
    void checkMethod(String method, Object settings) {
        if (file != null) { // in memory, results of one run never meet another run's
            check(method, asRead(settings));
        }
    }

    private void check(String method, JsonElement now) {
        JsonElement before = methodSettings.get(method);
        if (before == null) {
            if (!entries.getOrDefault(method, Map.of()).isEmpty()) {
                throw new IllegalStateException("results of " + method + " without its settings line");
            }
            for (Map.Entry<String, JsonElement> other : methodSettings.entrySet()) {
                if (family(other.getKey()).equals(family(method)) && other.getValue().equals(now)) {
                    throw new IllegalArgumentException("results file " + file + " holds results of these very "
                            + "settings as " + other.getKey() + ", which this run calls " + method + " (evaluate "
                            + "names a lone preset by its objective, and several side by side objective:preset); "
                            + "resume with the --preset list of the run that wrote it, or give another results file");
                }
            }
        } else if (!before.equals(now)) {
            throw new IllegalArgumentException("results file " + file + " holds results of " + method
                    + " with other settings: " + difference(before, now) + "; resume with the same settings, or give "
                    + "another results file to start afresh");
        }
    }

    /**
     * Records a method's settings before its first result, after {@link #checkMethod}.
     *
     * @throws IllegalArgumentException on different settings, naming them
     */
    void method(String method, Object settings) {
        if (file == null) {
            return;
        }
        JsonElement now = asRead(settings);
        check(method, now);
        if (!methodSettings.containsKey(method)) {
            JsonObject o = new JsonObject();
            o.addProperty("type", "method");
            o.addProperty("method", method);
            o.add("settings", now);
            append(o);
            methodSettings.put(method, now);
        }
    }

    /** Settings as they read back from the file, so that equal settings compare equal. */
    private static JsonElement asRead(Object settings) {
        return JsonParser.parseString(GSON.toJson(settings));
    }

    /** A method's name without its {@code :preset} suffix: {@code neuromask:fast-imagenet} is a neuromask. */
    private static String family(String method) {
        int colon = method.indexOf(':');
        return colon < 0 ? method : method.substring(0, colon);
    }

    /** Records one image's results (in the file: one line, forced to disk before this returns). */
    void add(Entry e) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "image");
        o.addProperty("method", e.method());
        o.addProperty("image", e.image());
        o.add("id", e.id() == null ? JsonNull.INSTANCE : new JsonPrimitive(e.id()));
        o.addProperty("class", e.target());
        o.addProperty("seconds", e.seconds());
        for (int k = 0; k < valueColumns.size(); k++) {
            double v = e.values()[k];
            String key = valueColumns.get(k);
            if (FORMAT_1_KEYS.contains(key) || !Double.isNaN(v)) {
                o.add(key, Double.isNaN(v) ? JsonNull.INSTANCE : new JsonPrimitive(v));
            }
        }
        for (int k = 0; k < setMetrics.size(); k++) {
            String r = e.records() == null ? null : e.records()[k];
            String key = setMetrics.get(k).recordName();
            if (FORMAT_1_KEYS.contains(key) || r != null) {
                o.add(key, r == null ? JsonNull.INSTANCE : new JsonPrimitive(r));
            }
        }
        append(o);
        Entry stored = new Entry(e.method(), e.image(), e.id(), e.target(), e.seconds(), e.values().clone(),
                e.records() == null ? new String[setMetrics.size()] : e.records().clone(), file == null ? 0 : lines);
        entries.computeIfAbsent(e.method(), k -> new LinkedHashMap<>()).put(e.image(), stored);
    }

    /** The file, or null in memory. */
    Path file() {
        return file;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                if (lock != null && lock.isValid()) {
                    lock.release();
                }
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(channel);
        }
    }

    private void load(JsonObject head, Consumer<String> warnings) throws IOException {
        long size = channel.size();
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size));
        while (buf.hasRemaining() && channel.read(buf, buf.position()) >= 0) {
            // read it all
        }
        byte[] bytes = buf.array();
        if (bytes.length == 0) { // new, or created by a run stopped before its header
            end = 0;
            append(head);
            return;
        }
        List<String> complete = split(bytes);
        if (complete.isEmpty()) { // checkResumable refused it already, unless it changed since
            throw notResults(file, "its first line has no line end (" + bytes.length + " bytes), where a results "
                    + "file starts with a complete header line");
        }
        end = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                end = i + 1;
                break;
            }
        }
        lines = 1;
        checkHeader(complete.get(0), head);
        for (int i = 1; i < complete.size(); i++) {
            lines = i + 1;
            parse(complete.get(i), i + 1);
        }
        if (end < bytes.length) {
            // a results file, read whole: the tail is dropped before this run appends (a refused run changes nothing)
            truncateTail = true;
            warnings.accept("warning: results file " + file + " ends in an incomplete line " + (complete.size() + 1)
                    + " (" + (bytes.length - end) + " bytes), left by a run that was stopped while writing it; it is "
                    + "ignored, dropped before this run's first result is written, and its image computed again");
        }
    }

    /** The complete (newline-terminated) lines of the file's bytes, without their newlines. */
    private List<String> split(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    private void checkHeader(String text, JsonObject head) {
        JsonObject h = checkFormat(file, text);
        List<String> fileMetrics = selection(file, h);
        List<String> runMetrics = selection(file, head);
        if (!Objects.equals(fileMetrics, runMetrics)) {
            throw new IllegalArgumentException("results file " + file + " holds results of " + describe(fileMetrics)
                    + ", but this run computes " + describe(runMetrics) + "; resume with the same --metrics as the run that "
                    + "wrote it (results of other metrics are never mixed in one file), or give another results file "
                    + "to start afresh");
        }
        for (Map.Entry<String, JsonElement> want : head.entrySet()) {
            JsonElement have = h.get(want.getKey());
            if (!want.getValue().equals(have)) {
                throw new IllegalArgumentException("results file " + file + " holds results for " + want.getKey()
                        + " = " + (have == null ? "(none)" : have) + ", but this run has " + want.getKey() + " = "
                        + want.getValue() + "; resume with the same settings as the run that wrote it, or give "
                        + "another results file to start afresh");
            }
        }
    }

    /** A selection of metrics in words: its names, or every metric for none. */
    private static String describe(List<String> selection) {
        return selection == null ? "every metric (no --metrics)" : "the metrics " + String.join(",", selection)
                + " (--metrics " + String.join(",", selection) + ")";
    }

    /** Reads one line after the header into the maps. */
    private void parse(String text, int line) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw corrupt(line, "not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw corrupt(line, "not valid JSON (" + e.getMessage() + ")");
        }
        String type = o.has("type") ? string(o.get("type")) : null;
        String method = o.has("method") ? string(o.get("method")) : null;
        if (method == null) {
            throw corrupt(line, "no method name");
        }
        if ("method".equals(type)) {
            if (methodSettings.containsKey(method)) {
                throw corrupt(line, "a second settings line for " + method);
            }
            methodSettings.put(method, o.has("settings") ? o.get("settings") : JsonNull.INSTANCE);
            return;
        }
        if (!"image".equals(type)) {
            throw corrupt(line, "unknown line type " + o.get("type"));
        }
        if (!methodSettings.containsKey(method)) {
            throw corrupt(line, "results of " + method + " before its settings line");
        }
        int image = integer(o, "image", line);
        if (image < 0) {
            throw corrupt(line, "negative image index " + image);
        }
        int target = integer(o, "class", line);
        double seconds = number(o, "seconds", line);
        double[] values = new double[valueColumns.size()];
        for (int k = 0; k < values.length; k++) {
            String key = valueColumns.get(k);
            values[k] = !FORMAT_1_KEYS.contains(key) && !o.has(key) ? Double.NaN : number(o, key, line);
        }
        String[] records = new String[setMetrics.size()];
        for (int k = 0; k < records.length; k++) {
            String key = setMetrics.get(k).recordName();
            JsonElement h = o.get(key);
            if (h == null) {
                if (FORMAT_1_KEYS.contains(key)) {
                    throw corrupt(line, "no " + key);
                }
                continue;
            }
            if (!h.isJsonNull()) {
                String r = string(h);
                String problem = r == null ? key + " must be a string or null, got " + h
                        : setMetrics.get(k).recordProblem(r, layout);
                if (problem != null) {
                    throw corrupt(line, problem);
                }
                records[k] = r;
            }
        }
        JsonElement id = o.get("id");
        Entry e = new Entry(method, image, id == null || id.isJsonNull() ? null : string(id), target, seconds, values,
                records, line);
        Entry before = entries.computeIfAbsent(method, k -> new LinkedHashMap<>()).putIfAbsent(image, e);
        if (before != null) {
            throw corrupt(line, "a second result of " + method + " for image " + image + " (the first is line "
                    + before.line() + ")");
        }
    }

    private IllegalArgumentException corrupt(int line, String problem) {
        return new IllegalArgumentException("results file " + file + ", line " + line + " is not a valid results "
                + "line: " + problem + ". Only a stopped run's last line can be incomplete (it is then ignored), so "
                + "this file was changed by hand or damaged: repair or delete line " + line
                + ", or give another results file");
    }

    private int integer(JsonObject o, String key, int line) {
        JsonElement e = o.get(key);
        try {
            if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double d = e.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw corrupt(line, key + " must be an integer, got " + e);
    }

    /** A number, or NaN for JSON null. */
    private double number(JsonObject o, String key, int line) {
        JsonElement e = o.get(key);
        if (e != null && e.isJsonNull()) {
            return Double.NaN;
        }
        try {
            if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double d = e.getAsDouble();
                if (Double.isFinite(d)) {
                    return d;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw corrupt(line, key + " must be a finite number or null, got " + e);
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    /** Which top-level settings differ, e.g. {@code seed: 0 in the file, 1 now}. */
    private static String difference(JsonElement before, JsonElement now) {
        if (before.isJsonObject() && now.isJsonObject()) {
            List<String> diffs = new ArrayList<>();
            JsonObject a = before.getAsJsonObject();
            JsonObject b = now.getAsJsonObject();
            java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String k : keys) {
                if (!Objects.equals(a.get(k), b.get(k))) {
                    diffs.add(k + ": " + (a.has(k) ? a.get(k) : "(none)") + " in the file, " + (b.has(k) ? b.get(k)
                            : "(none)") + " now");
                }
            }
            return String.join("; ", diffs);
        }
        return before + " in the file, " + now + " now";
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** One line: compact JSON and a newline. */
    private static byte[] line(JsonObject o) {
        return (GSON.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends a line with one write and forces it to disk. */
    private void append(JsonObject o) {
        if (channel == null) {
            return;
        }
        byte[] bytes = line(o);
        try {
            if (truncateTail) {
                channel.truncate(end);
                channel.force(true);
                truncateTail = false;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                end += channel.write(buf, end);
            }
            channel.force(true);
            lines++;
        } catch (java.nio.channels.ClosedByInterruptException e) {
            CancellationException c = new CancellationException("writing results file " + file + " was interrupted; "
                    + "its last line may be incomplete: resuming with the file drops it and computes that image again");
            c.initCause(e);
            throw c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to results file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Makes the new file's directory entry durable where the platform allows (Linux: fsync of the directory). */
    private static void syncDirectory(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can open a directory; the file's own data is forced on every line
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
