package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Committed notebooks are stripped (see notebooks/README.md): no outputs, no execution counts, and they
 * all ask for the {@code neuromask-java} kernelspec ({@link JupyterEnv#KERNEL}). Needs no Jupyter, so it runs with the ordinary tests.
 */
class CommittedNotebooksTest {

    @Test
    void notebooksAreStrippedAndUseTheJavaKernel() throws Exception {
        assertFalse(Notebooks.all().isEmpty(), "no notebooks under " + Notebooks.DIR);
        for (Path p : Notebooks.all()) {
            JsonObject nb = Notebooks.read(p);
            assertEquals(4, nb.get("nbformat").getAsInt(), p.toString());
            assertEquals(JupyterEnv.KERNEL, nb.getAsJsonObject("metadata").getAsJsonObject("kernelspec").get("name").getAsString(),
                    p + ": kernelspec name");
            for (JsonObject cell : Notebooks.codeCells(nb)) {
                assertEquals(0, Notebooks.outputs(cell).size(), p + ": committed with outputs; strip them:\n"
                        + Notebooks.source(cell));
                assertTrue(cell.get("execution_count").isJsonNull(), p + ": committed with an execution count");
                assertFalse(cell.getAsJsonObject("metadata").has("execution"),
                        p + ": committed with execution timings; run .ci/strip-notebooks.py");
                assertFalse(Notebooks.source(cell).trim().startsWith("%"), p + ": no magics, the kernelspec sets the class path");
            }
        }
    }
}
