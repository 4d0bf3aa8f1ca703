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

    /**
     * What is wrong with an executed notebook: error outputs, a {@code Show.} cell that produced an
     * {@code Out[]} result, a cell tagged {@code figure} without {@code image/png}. Empty when all is well.
     */
    static List<String> problems(String name, JsonObject executed) {
        List<String> problems = new java.util.ArrayList<>();
        int i = 0;
        for (JsonObject cell : codeCells(executed)) {
            i++;
            boolean png = false;
            for (com.google.gson.JsonElement o : outputs(cell)) {
                JsonObject out = o.getAsJsonObject();
                if (out.get("output_type").getAsString().equals("error")) {
                    problems.add(name + " code cell " + i + ": error " + out.get("ename") + ": " + out.get("evalue"));
                }
                if (out.has("data") && out.getAsJsonObject("data").has("image/png")) {
                    png = true;
                }
            }
            boolean showOnly = source(cell).trim().startsWith("Show.");
            if (showOnly && outputs(cell).asList().stream()
                    .anyMatch(o -> o.getAsJsonObject().get("output_type").getAsString().equals("execute_result"))) {
                problems.add(name + " code cell " + i + ": a Show call produced an Out[] result");
            }
            if (hasTag(cell, FIGURE_TAG) && !png) {
                problems.add(name + " code cell " + i + " is tagged 'figure' but produced no image/png:\n" + source(cell));
            }
        }
        return problems;
    }
}
