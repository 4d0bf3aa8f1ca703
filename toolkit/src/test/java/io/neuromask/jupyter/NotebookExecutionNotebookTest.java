package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Executes every notebook under {@code notebooks/} with nbconvert on the {@code java} kernel. Fails on any
 * cell error, and when a cell tagged {@code figure} produced no {@code image/png}. Executed copies are
 * written to {@code toolkit/target/notebooks-executed/}.
 */
@Tag("notebook")
class NotebookExecutionNotebookTest {

    static final Path OUT = JupyterEnv.TARGET.resolve("notebooks-executed");
    static final long QUICKSTART_BUDGET_S = 120;

    @Test
    void everyNotebookRunsCleanAndShowsItsFigures() throws Exception {
        JupyterEnv.requireNbconvert();
        JupyterEnv.installKernel();
        Files.createDirectories(OUT);
        List<String> problems = new ArrayList<>();
        for (Path nb : Notebooks.all()) {
            String name = nb.getFileName().toString();
            long t0 = System.nanoTime();
            JupyterEnv.Result r = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-m", "nbconvert", "--to", "notebook",
                    "--execute", "--ExecutePreprocessor.kernel_name=java", "--ExecutePreprocessor.timeout=600",
                    "--ExecutePreprocessor.startup_timeout=120", "--output-dir", OUT.toString(), nb.toString()),
                    900, OUT.resolve(name + ".log"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s executed in %.1fs (exit %d)%n", name, seconds, r.exitCode());
            if (r.exitCode() != 0) {
                problems.add(name + ": nbconvert exit " + r.exitCode() + "\n" + tail(r.output()));
                continue;
            }
            if (name.startsWith("00-quickstart") && seconds > QUICKSTART_BUDGET_S) {
                problems.add(name + ": took " + seconds + "s, budget " + QUICKSTART_BUDGET_S + "s");
            }
            JsonObject executed = Notebooks.read(OUT.resolve(name));
            int i = 0;
            for (JsonObject cell : Notebooks.codeCells(executed)) {
                i++;
                boolean png = false;
                for (JsonElement o : Notebooks.outputs(cell)) {
                    JsonObject out = o.getAsJsonObject();
                    if (out.get("output_type").getAsString().equals("error")) {
                        problems.add(name + " code cell " + i + ": error " + out.get("ename") + ": " + out.get("evalue"));
                    }
                    if (out.has("data") && out.getAsJsonObject("data").has("image/png")) {
                        png = true;
                    }
                }
                boolean showOnly = Notebooks.source(cell).trim().startsWith("Show.");
                if (showOnly && Notebooks.outputs(cell).asList().stream()
                        .anyMatch(o -> o.getAsJsonObject().get("output_type").getAsString().equals("execute_result"))) {
                    problems.add(name + " code cell " + i + ": a Show call produced an Out[] result");
                }
                if (Notebooks.hasTag(cell, Notebooks.FIGURE_TAG) && !png) {
                    problems.add(name + " code cell " + i + " is tagged 'figure' but produced no image/png:\n"
                            + Notebooks.source(cell));
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(Files.exists(OUT.resolve("00-quickstart.ipynb")));
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
