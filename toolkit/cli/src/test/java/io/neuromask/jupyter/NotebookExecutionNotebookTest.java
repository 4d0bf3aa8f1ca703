package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Executes every notebook under {@code notebooks/} with nbconvert on the {@code neuromask-java} kernel. Fails on any
 * cell error, any of {@link Notebooks#problems} (a cell without output, output on stderr, a {@code figure} cell
 * without an image, ...), and when the outputs saved in the committed notebook are not of the kinds today's run
 * produces ({@link #staleOutputs}). Executed copies are
 * written to {@code toolkit/cli/target/notebooks-executed/}. Each notebook's time is printed, not asserted: the
 * test does not depend on the machine's speed (notebooks/README.md lists the times measured in CI).
 */
@Tag("notebook")
class NotebookExecutionNotebookTest {

    static final Path OUT = JupyterEnv.TARGET.resolve("notebooks-executed");

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
                    "--execute", "--ExecutePreprocessor.kernel_name=" + JupyterEnv.KERNEL, "--ExecutePreprocessor.timeout=600",
                    "--ExecutePreprocessor.startup_timeout=120", "--output-dir", OUT.toString(), nb.toString()),
                    900, OUT.resolve(name + ".log"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s executed in %.1fs (exit %d)%n", name, seconds, r.exitCode());
            if (r.exitCode() != 0) {
                problems.add(name + ": nbconvert exit " + r.exitCode() + "\n" + tail(r.output()));
                continue;
            }
            JsonObject executed = Notebooks.read(OUT.resolve(name));
            problems.addAll(Notebooks.problems(name, executed));
            problems.addAll(staleOutputs(name, Notebooks.read(nb), executed));
        }
        assertEquals(List.of(), problems);
        assertTrue(Files.exists(OUT.resolve("00-quickstart.ipynb")));
    }

    /**
     * Where the committed notebook's saved outputs are not of the kinds today's run produces (a figure added, a
     * print removed, ...): those outputs are stale and must be refreshed with {@code .ci/execute-notebooks.sh}.
     */
    static List<String> staleOutputs(String name, JsonObject committed, JsonObject executed) {
        List<String> problems = new ArrayList<>();
        List<JsonObject> before = Notebooks.codeCells(committed);
        List<JsonObject> now = Notebooks.codeCells(executed);
        for (int i = 0; i < Math.min(before.size(), now.size()); i++) {
            var saved = Notebooks.outputKinds(before.get(i));
            var today = Notebooks.outputKinds(now.get(i));
            if (!saved.equals(today)) {
                problems.add(name + " code cell " + (i + 1) + ": committed outputs " + saved + " but the code shows "
                        + today + " today; refresh with .ci/execute-notebooks.sh");
            }
        }
        return problems;
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
