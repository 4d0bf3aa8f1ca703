package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Committed notebooks carry the outputs of one real run (notebooks/README.md, "Committed notebooks carry their
 * outputs"), so that GitHub shows their figures: every code cell has outputs, none is an error or on stderr, figure
 * cells have an image, execution counts run 1, 2, 3, ..., no output names a local folder, and the volatile metadata
 * (cell timings, the JDK build) is gone. They all ask for the {@code neuromask-java} kernelspec
 * ({@link JupyterEnv#KERNEL}) and use no magics. Needs no Jupyter, so it runs with the ordinary tests;
 * {@link NotebookExecutionNotebookTest} re-executes them and checks the saved outputs are what the code shows today.
 */
class CommittedNotebooksTest {

    /** The most a saved notebook may weigh: figures as PNG, photographs as JPEG ({@code Show.image}). */
    static final long MAX_BYTES = 2_000_000;

    @Test
    void notebooksCarryTheOutputsOfACleanRunAndUseTheJavaKernel() throws Exception {
        assertFalse(Notebooks.all().isEmpty(), "no notebooks under " + Notebooks.DIR);
        List<String> problems = new ArrayList<>();
        for (Path p : Notebooks.all()) {
            String name = p.getFileName().toString();
            JsonObject nb = Notebooks.read(p);
            assertEquals(4, nb.get("nbformat").getAsInt(), p.toString());
            JsonObject meta = nb.getAsJsonObject("metadata");
            assertEquals(JupyterEnv.KERNEL, meta.getAsJsonObject("kernelspec").get("name").getAsString(),
                    p + ": kernelspec name");
            if (meta.has("language_info") && meta.getAsJsonObject("language_info").has("version")) {
                problems.add(name + ": language_info.version is the JDK build of the machine that ran it; run "
                        + ".ci/normalize-notebooks.py");
            }
            long bytes = Files.size(p);
            if (bytes > MAX_BYTES) {
                problems.add(name + ": " + bytes + " bytes, over " + MAX_BYTES + " (show photographs with Show.image, "
                        + "which sends JPEG when PNG is too large, or show fewer)");
            }
            for (JsonObject cell : Notebooks.codeCells(nb)) {
                if (cell.getAsJsonObject("metadata").has("execution")) {
                    problems.add(name + ": committed with execution timings; run .ci/normalize-notebooks.py");
                }
                assertFalse(Notebooks.source(cell).trim().startsWith("%"),
                        p + ": no magics, the kernelspec sets the class path");
            }
            problems.addAll(Notebooks.problems(name, nb));
        }
        assertEquals(List.of(), problems, "refresh them with .ci/execute-notebooks.sh");
    }

    @Test
    void aNotebookSavedWithoutOutputsOrFromAPatchworkOfRunsIsCaught() throws Exception {
        Path quickstart = Notebooks.DIR.resolve("00-quickstart.ipynb");
        JsonObject nb = Notebooks.read(quickstart);
        JsonObject first = Notebooks.codeCells(nb).get(0);
        JsonObject second = Notebooks.codeCells(nb).get(1);
        first.add("outputs", new com.google.gson.JsonArray());
        second.addProperty("execution_count", 7);
        List<String> problems = Notebooks.problems("00-quickstart.ipynb", nb);
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("00-quickstart.ipynb code cell 1 has no output")), problems.toString());
        assertTrue(problems.stream().anyMatch(s -> s.startsWith("00-quickstart.ipynb code cell 2: execution count 7, expected 2")),
                problems.toString());
        assertEquals(2, problems.size(), problems.toString());
    }
}
