package io.neuromask.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed notebooks and helpers to read {@code .ipynb} JSON. */
final class Notebooks {

    static final Path DIR = JupyterEnv.ROOT.resolve("notebooks");
    static final String FIGURE_TAG = "figure";

    private Notebooks() {}

    /** Every {@code .ipynb} under {@code notebooks/}, sorted, checkpoints excluded. */
    static List<Path> all() throws IOException {
        try (var files = Files.walk(DIR)) {
            return files.filter(p -> p.toString().endsWith(".ipynb"))
                    .filter(p -> !p.toString().contains(".ipynb_checkpoints")).sorted().toList();
        }
    }

    static JsonObject read(Path notebook) throws IOException {
        return JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
    }

    static List<JsonObject> codeCells(JsonObject nb) {
        return nb.getAsJsonArray("cells").asList().stream().map(JsonElement::getAsJsonObject)
                .filter(c -> c.get("cell_type").getAsString().equals("code")).toList();
    }

    static boolean hasTag(JsonObject cell, String tag) {
        JsonObject meta = cell.getAsJsonObject("metadata");
        if (meta == null || !meta.has("tags")) {
            return false;
        }
        for (JsonElement t : meta.getAsJsonArray("tags")) {
            if (t.getAsString().equals(tag)) {
                return true;
            }
        }
        return false;
    }

    static String source(JsonObject cell) {
        JsonElement s = cell.get("source");
        if (s.isJsonArray()) {
            StringBuilder b = new StringBuilder();
            s.getAsJsonArray().forEach(l -> b.append(l.getAsString()));
            return b.toString();
        }
        return s.getAsString();
    }

    static JsonArray outputs(JsonObject cell) {
        return cell.has("outputs") ? cell.getAsJsonArray("outputs") : new JsonArray();
    }

    /** The image types a figure may be shown as ({@code Show} sends a large photographic figure as JPEG). */
    static final List<String> IMAGE_TYPES = List.of("image/png", "image/jpeg");

    /**
     * What is wrong with an executed notebook: a code cell without outputs, error outputs, output on stderr, a
     * {@code Show.} cell that produced an {@code Out[]} result, a cell tagged {@code figure} without an image,
     * execution counts other than 1, 2, 3, ... in order (one clean run from the top), and text naming a folder of the
     * machine that ran it. Empty when all is well.
     */
    static List<String> problems(String name, JsonObject executed) {
        List<String> problems = new java.util.ArrayList<>();
        List<String> localPaths = localPaths();
        int i = 0;
        for (JsonObject cell : codeCells(executed)) {
            i++;
            String where = name + " code cell " + i;
            JsonElement count = cell.get("execution_count");
            if (count == null || count.isJsonNull() || count.getAsInt() != i) {
                problems.add(where + ": execution count " + count + ", expected " + i
                        + " (save the notebook from one run from the top: .ci/execute-notebooks.sh)");
            }
            if (outputs(cell).isEmpty()) {
                problems.add(where + " has no output (every code cell shows what it did):\n" + source(cell));
            }
            boolean image = false;
            for (com.google.gson.JsonElement o : outputs(cell)) {
                JsonObject out = o.getAsJsonObject();
                String type = out.get("output_type").getAsString();
                if (type.equals("error")) {
                    problems.add(where + ": error " + out.get("ename") + ": " + out.get("evalue"));
                }
                if (type.equals("stream") && out.get("name").getAsString().equals("stderr")) {
                    problems.add(where + ": output on stderr: " + text(out.get("text")));
                }
                if (out.has("data") && IMAGE_TYPES.stream().anyMatch(out.getAsJsonObject("data")::has)) {
                    image = true;
                }
                String text = out.has("text") ? text(out.get("text"))
                        : out.has("data") && out.getAsJsonObject("data").has("text/plain")
                        ? text(out.getAsJsonObject("data").get("text/plain")) : "";
                for (String path : localPaths) {
                    if (text.contains(path)) {
                        problems.add(where + ": output names the local folder " + path + " (print paths relative "
                                + "to the notebook or the repository): " + text.lines().filter(l -> l.contains(path))
                                .findFirst().orElse(""));
                    }
                }
            }
            boolean showOnly = source(cell).trim().startsWith("Show.");
            if (showOnly && outputs(cell).asList().stream()
                    .anyMatch(o -> o.getAsJsonObject().get("output_type").getAsString().equals("execute_result"))) {
                problems.add(where + ": a Show call produced an Out[] result");
            }
            if (hasTag(cell, FIGURE_TAG) && !image) {
                problems.add(where + " is tagged 'figure' but produced no image:\n" + source(cell));
            }
        }
        return problems;
    }

    /**
     * What a code cell's outputs are, as a set of kinds ({@code stream:stdout}, {@code display_data:image/png},
     * ...): order and repetition left out, since a kernel may split one cell's printing into several stream
     * outputs depending on timing.
     */
    static java.util.SortedSet<String> outputKinds(JsonObject cell) {
        java.util.SortedSet<String> kinds = new java.util.TreeSet<>();
        for (JsonElement o : outputs(cell)) {
            JsonObject out = o.getAsJsonObject();
            String type = out.get("output_type").getAsString();
            if (out.has("name")) {
                kinds.add(type + ":" + out.get("name").getAsString());
            }
            if (out.has("data")) {
                out.getAsJsonObject("data").keySet().forEach(mime -> kinds.add(type + ":" + mime));
            }
            if (!out.has("name") && !out.has("data")) {
                kinds.add(type);
            }
        }
        return kinds;
    }

    private static String text(JsonElement e) {
        if (e.isJsonArray()) {
            StringBuilder b = new StringBuilder();
            e.getAsJsonArray().forEach(l -> b.append(l.getAsString()));
            return b.toString();
        }
        return e.getAsString();
    }

    /**
     * Folders that a saved output must not name: this checkout, the home folder, /tmp, and the usual roots of home
     * folders and of this project's build machines (a notebook saved elsewhere is checked here too).
     */
    private static List<String> localPaths() {
        List<String> paths = new java.util.ArrayList<>(List.of(JupyterEnv.ROOT.toString() + "/", "/tmp/", "/home/",
                "/root/", "/Users/", "/work/"));
        String home = System.getProperty("user.home");
        if (home != null && home.length() > 1) {
            paths.add(home + "/");
        }
        return paths;
    }
}
