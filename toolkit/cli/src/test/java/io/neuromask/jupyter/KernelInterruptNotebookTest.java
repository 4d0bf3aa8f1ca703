package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interrupting the kernel during a 2000-iteration run stops it within 1 s, driven through jupyter_client on
 * the {@code neuromask-java} kernel with a real interrupt request: the kernel reports the interruption within 1 s,
 * the optimisation stops advancing, and the next cell runs a new explanation to the end.
 */
@Tag("notebook")
class KernelInterruptNotebookTest {

    @Test
    void interruptStopsARunningExplanationWithinOneSecond() throws Exception {
        JupyterEnv.requireNbconvert();
        JupyterEnv.installKernel();
        Path script = JupyterEnv.ROOT.resolve("toolkit/cli/src/test/resources/io/neuromask/jupyter/kernel_interrupt.py");
        Path log = JupyterEnv.TARGET.resolve("kernel-interrupt.log");
        Path work = JupyterEnv.TARGET.resolve("kernel-interrupt");
        java.nio.file.Files.createDirectories(work);
        java.nio.file.Files.deleteIfExists(work.resolve("progress.txt"));
        java.nio.file.Files.deleteIfExists(work.resolve("next.txt"));
        JupyterEnv.Result r = JupyterEnv.run(List.of(JupyterEnv.PYTHON, script.toString(), JupyterEnv.KERNEL, "120", "2",
                work.toString(), log.toString()), 300, null);
        String last = r.output().strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonObject o = JsonParser.parseString(last).getAsJsonObject();
        System.out.println("interrupt: " + o);
        assertTrue(o.get("ok").getAsBoolean(), "driver failed: " + r.output() + "\nkernel log: " + log);
        assertTrue(!o.get("finished_before_interrupt").getAsBoolean(), "the run ended before the interrupt: " + o);
        assertTrue(!o.get("seconds_to_stop").isJsonNull() && o.get("seconds_to_stop").getAsDouble() <= 1.0,
                "the kernel reported the interruption " + o.get("seconds_to_stop") + " s after it");
        int stoppedAt = o.get("progress_after_stop").getAsInt();
        assertTrue(stoppedAt > 0 && stoppedAt < 2000, "the interrupted run had started and not finished: " + o);
        assertEquals(stoppedAt, o.get("progress_later").getAsInt(), "the interrupted optimisation still advances");
        assertEquals("ok", o.get("next_status").getAsString(), "the next cell runs: " + o);
        // With rapaio 3.0.1 unpatched, no later cell runs (RapaioPatch fixes its execution control).
        assertEquals("3", o.get("next_outcome").isJsonNull() ? null : o.get("next_outcome").getAsString(),
                "a 3-iteration explanation in the next cell runs to the end: " + o);
        assertEquals("next cell printed 3", o.get("next_printed").getAsString().strip(),
                "the next cell's output reaches the client: " + o);
    }
}
