package io.neuromask.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * The generated tables of a Markdown document ({@code results --update DOC}): each is the lines between a line
 * {@code <!-- results: FILE [--methods M,...] [--images FIRST-LAST] -->} and the next line {@code <!-- /results -->},
 * regenerated as {@code results FILE ... --markdown} prints it, FILE relative to the document's folder (as the
 * document's links are). Every other line is left byte for byte as it was.
 */
final class ResultsRegions {

    /** The start of an opening marker line. */
    static final String OPEN = "<!-- results:";

    /** The closing marker line. */
    static final String CLOSE = "<!-- /results -->";

    private ResultsRegions() {}

    /**
     * A regenerated document.
     *
     * @param text the document with every table regenerated
     * @param regions how many tables it has
     * @param changed the tables that differ from the document's, each as {@code line N (FILE ...)}
     */
    record Result(String text, int regions, List<String> changed) {}

    /**
     * The document with every table regenerated from its results file.
     *
     * @param doc the document's path, against whose folder the markers' files are resolved
     * @param text the document's text
     * @param warnings receives a results file's warning (an incomplete last line)
     * @throws IllegalArgumentException when a marker is not closed, is nested, or its arguments are not those of
     *     {@code results} (naming the line), or its results file cannot be read
     */
    static Result regenerate(Path doc, String text, Consumer<String> warnings) {
        Path folder = doc.toAbsolutePath().getParent();
        List<String> lines = Arrays.asList(text.split("\n", -1)); // the last element: what follows the last newline
        StringBuilder out = new StringBuilder();
        List<String> changed = new ArrayList<>();
        int regions = 0;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            append(out, line, i, lines.size());
            String marker = line.strip();
            if (marker.equals(CLOSE)) {
                throw new IllegalArgumentException(doc + ", line " + (i + 1) + ": " + CLOSE + " without an opening "
                        + OPEN + " FILE --> line before it; remove it or add the opening line");
            }
            if (!marker.startsWith(OPEN)) {
                i++;
                continue;
            }
            if (!marker.endsWith("-->")) {
                throw new IllegalArgumentException(doc + ", line " + (i + 1) + ": the marker " + marker + " does not "
                        + "end with --> on its line; write it on one line: " + OPEN + " FILE [--methods ...] "
                        + "[--images ...] -->");
            }
            int close = -1;
            for (int j = i + 1; j < lines.size(); j++) {
                String m = lines.get(j).strip();
                if (m.equals(CLOSE)) {
                    close = j;
                    break;
                }
                if (m.startsWith(OPEN)) {
                    throw new IllegalArgumentException(doc + ", line " + (j + 1) + ": a table marker inside the table "
                            + "opened on line " + (i + 1) + "; close that one with a line " + CLOSE + " first");
                }
            }
            if (close < 0) {
                throw new IllegalArgumentException(doc + ", line " + (i + 1) + ": the table marker has no line " + CLOSE
                        + " after it; add one where the generated table ends");
            }
            String args = marker.substring(OPEN.length(), marker.length() - "-->".length()).strip();
            String body = render(doc, folder, i + 1, args, warnings);
            String old = String.join("\n", lines.subList(i + 1, close)) + (close > i + 1 ? "\n" : "");
            if (!old.equals(body)) {
                changed.add("line " + (i + 1) + " (" + args + ")");
            }
            out.append(body);
            append(out, lines.get(close), close, lines.size()); // the closing line, as it is
            regions++;
            i = close + 1;
        }
        return new Result(out.toString(), regions, List.copyOf(changed));
    }

    /** Appends a document line and, unless it is the last, its newline. */
    private static void append(StringBuilder out, String line, int index, int count) {
        out.append(line);
        if (index < count - 1) {
            out.append('\n');
        }
    }

    /** A table's lines, each ending in a newline, as {@code results --markdown} prints them. */
    private static String render(Path doc, Path folder, int line, String args, Consumer<String> warnings) {
        ResultsCommand command = new ResultsCommand();
        try {
            new CommandLine(command).parseArgs(args.isEmpty() ? new String[0] : args.split("\\s+"));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(doc + ", line " + (line) + ": the marker's arguments '" + args + "' are "
                    + "not those of results FILE [--methods M,...] [--images FIRST-LAST]: " + e.getMessage(), e);
        }
        if (command.files.size() != 1 || command.update != null || command.check != null
                || command.jsonOption.on()) {
            throw new IllegalArgumentException(doc + ", line " + line + ": a table marker names one results file and "
                    + "at most --methods and --images, got '" + args + "'");
        }
        return ResultsCommand.render(folder.resolve(command.files.get(0)).normalize(), command.methods,
                ResultsCommand.ImageRange.parse(command.images), true, warnings);
    }
}
