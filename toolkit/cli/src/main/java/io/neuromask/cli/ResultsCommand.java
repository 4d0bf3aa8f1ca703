package io.neuromask.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.ResultsFile;
import io.neuromask.options.JsonOption;
import io.neuromask.viz.ResultsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code neuromask results}: the metrics tables of evaluate's results files, read back without a model. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Prints the metrics table of each results file of evaluate --resume, running no model: per "
                + "method its images, seconds per image and the mean and 95 %% t-interval of every registered metric "
                + "the file holds, the best mean of each column marked, the methods whose interval overlaps the "
                + "best's marked tied-best, and, on images with boxes, the paired difference to center of the "
                + "localisation metrics. The numbers are those evaluate --resume FILE --json reports; a metric the "
                + "file predates is named as not in it, never computed. With --update, regenerates the tables of a "
                + "Markdown document (docs/results.md) between its marker lines; with --check, fails when they are "
                + "out of date.",
        footer = {"", "Examples:",
            "  neuromask results models/results/cifar10-resnet20-200.jsonl",
            "  neuromask results models/results/imagenet-squeezenet1.1-300.jsonl --images 0-99 --markdown",
            "  neuromask results --update docs/results.md"})
final class ResultsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Results files written by evaluate --resume.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--methods", split = ",", paramLabel = "METHOD",
            description = "The methods shown, in this order (default: every method of the file, in the file's "
                    + "order).")
    List<String> methods;

    @Option(names = "--images", paramLabel = "FIRST-LAST",
            description = "Only the images of these indices, both included (0-99; 100- for 100 to the last): each "
                    + "method on those of them it holds, MaxBoxAcc's threshold chosen over them (default: every "
                    + "image).")
    String images;

    @Option(names = "--markdown", description = "Print Markdown (the best in bold) instead of aligned text.")
    boolean markdown;

    @Mixin
    JsonOption jsonOption = new JsonOption();

    @Option(names = "--update", paramLabel = "DOC",
            description = "Regenerate every table of the Markdown document DOC from its results file: the lines "
                    + "between a line <!-- results: FILE [--methods M,...] [--images FIRST-LAST] --> and the next "
                    + "line <!-- /results -->, FILE relative to DOC's folder. The rest of DOC is left as it is.")
    Path update;

    @Option(names = "--check", paramLabel = "DOC",
            description = "Change nothing; exit 1, naming them, when tables of DOC differ from what their results "
                    + "files give (a hand edit, or a results file that grew).")
    Path check;

    @Override
    public Integer call() throws Exception {
        if (update != null || check != null) {
            if (update != null && check != null) {
                throw new IllegalArgumentException("give --update or --check, not both");
            }
            if (!files.isEmpty() || methods != null || images != null || jsonOption.on()) {
                throw new IllegalArgumentException("--update and --check take their files, --methods and --images "
                        + "from DOC's marker lines; leave out FILE, --methods, --images and --json");
            }
            return document(update != null ? update : check, update != null);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no results file given; name one or more (e.g. "
                    + "models/results/cifar10-resnet20-200.jsonl), or give --update DOC");
        }
        if (jsonOption.on()) {
            if (files.size() != 1 || markdown) {
                throw new IllegalArgumentException("--json prints one file's report: give one FILE and no "
                        + "--markdown");
            }
            ResultsFile file = ResultsFile.read(files.get(0), System.err::println);
            JsonObject out = new JsonObject();
            out.addProperty("file", files.get(0).toString());
            ReportJson.of(report(file, methods, ImageRange.parse(images)), null, file.ties()).entrySet()
                    .forEach(e -> out.add(e.getKey(), e.getValue()));
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
            return 0;
        }
        ImageRange range = ImageRange.parse(images);
        for (int i = 0; i < files.size(); i++) {
            if (files.size() > 1) {
                System.out.print((i > 0 ? "\n" : "") + (markdown ? "### `" + files.get(i) + "`\n\n"
                        : files.get(i) + "\n\n"));
            }
            System.out.print(render(files.get(i), methods, range, markdown, System.err::println));
        }
        return 0;
    }

    /** Regenerates or checks DOC's tables. */
    private int document(Path doc, boolean write) throws java.io.IOException {
        String before = java.nio.file.Files.readString(doc);
        ResultsRegions.Result result = ResultsRegions.regenerate(doc, before, System.err::println);
        if (write) {
            if (!result.text().equals(before)) {
                java.nio.file.Files.writeString(doc, result.text());
            }
            System.out.println(doc + ": " + result.regions() + " tables, " + result.changed().size() + " changed"
                    + (result.changed().isEmpty() ? "" : " (" + String.join("; ", result.changed()) + ")"));
            return 0;
        }
        if (result.changed().isEmpty()) {
            System.out.println(doc + ": its " + result.regions() + " tables are what their results files give");
            return 0;
        }
        System.err.println("error: " + doc + ": " + result.changed().size() + " of its " + result.regions()
                + " tables differ from what their results files give: " + String.join("; ", result.changed())
                + ". Regenerate them with: neuromask results --update " + doc);
        return 1;
    }

    /** The report of a file's methods on a range of images. */
    static Evaluator.Report report(ResultsFile file, List<String> methods, ImageRange range) {
        return file.report(methods == null ? List.of() : methods.stream().map(String::trim).toList(), range.first(),
                range.last());
    }

    /**
     * One file's table, as {@code results FILE} prints it: the table, then what the range left out.
     *
     * @param warnings receives the warning of an incomplete last line
     */
    static String render(Path path, List<String> methods, ImageRange range, boolean markdown,
            Consumer<String> warnings) {
        ResultsFile file = ResultsFile.read(path, warnings);
        Evaluator.Report report = report(file, methods, range);
        ResultsTable table = ResultsTable.of(report, file.metricSelection());
        StringBuilder s = new StringBuilder(markdown ? table.toMarkdown() : table.toString());
        if (!range.all()) {
            List<String> wanted = methods == null || methods.isEmpty() ? file.methods()
                    : methods.stream().map(String::trim).toList();
            List<String> none = new ArrayList<>(wanted);
            report.methods().forEach(m -> none.remove(m.method()));
            s.append('\n').append(String.format(Locale.ROOT, "Images %d to %s of the file", range.first(),
                    range.last() == Integer.MAX_VALUE ? "the last" : Integer.toString(range.last())));
            s.append(none.isEmpty() ? "." : "; no results there: " + String.join(", ", none) + ".").append('\n');
        }
        return s.toString();
    }

    /** The images of {@code --images}: indices from first to last, both included. */
    record ImageRange(int first, int last) {

        /** Every image. */
        static final ImageRange ALL = new ImageRange(0, Integer.MAX_VALUE);

        /** Whether it is every image. */
        boolean all() {
            return first == 0 && last == Integer.MAX_VALUE;
        }

        /**
         * {@code FIRST-LAST}, {@code FIRST-} (to the last) or {@code N} (one image); null: every image.
         *
         * @throws IllegalArgumentException naming the problem and the form wanted
         */
        static ImageRange parse(String text) {
            if (text == null) {
                return ALL;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(-\\s*(\\d*)\\s*)?")
                    .matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("--images " + text + " is not a range of image indices; give "
                        + "FIRST-LAST (0-99), FIRST- (100- for 100 to the last) or one index");
            }
            try {
                int first = Integer.parseInt(m.group(1));
                int last = m.group(2) == null ? first : m.group(3).isEmpty() ? Integer.MAX_VALUE
                        : Integer.parseInt(m.group(3));
                if (last < first) {
                    throw new IllegalArgumentException("--images " + text + " ends before it starts; give FIRST-LAST "
                            + "with FIRST <= LAST");
                }
                return new ImageRange(first, last);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--images " + text + ": an index is too large; give indices below "
                        + Integer.MAX_VALUE, e);
            }
        }
    }
}
