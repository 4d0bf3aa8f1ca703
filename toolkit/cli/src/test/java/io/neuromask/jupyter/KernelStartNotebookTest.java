package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The installed {@code neuromask-java} kernel must start every time: 30 starts, at most 2 at once, each answering
 * {@code kernel_info} and running {@code 1 + 1}. Unpatched rapaio 3.0.1 misses about one start in five; with the
 * patched {@code LoopThread} (see its javadoc) no channel loop serves a message before {@code Channels.connect}
 * is done, so none is dropped.
 */
@Tag("notebook")
class KernelStartNotebookTest {

    static final int STARTS = 30;
    static final int CONCURRENT = 2;
    static final int TIMEOUT_S = 45;

    @Test
    void kernelStartsThirtyTimesWithoutAFailure() throws Exception {
        JupyterEnv.requireNbconvert();
        JupyterEnv.installKernel();
        Path script = JupyterEnv.ROOT.resolve("toolkit/cli/src/test/resources/io/neuromask/jupyter/kernel_start.py");
        Path logs = JupyterEnv.JUPYTER.resolve("kernel-starts");
        Files.createDirectories(logs);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        List<Future<String>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < STARTS; i++) {
                String kernelLog = logs.resolve("start-" + i + ".log").toString();
                runs.add(pool.submit(() -> JupyterEnv.run(
                        List.of(JupyterEnv.PYTHON, script.toString(), JupyterEnv.KERNEL, Integer.toString(TIMEOUT_S), kernelLog),
                        TIMEOUT_S * 3L, null).output()));
            }
            List<String> failures = new ArrayList<>();
            double slowest = 0;
            int dropped = 0;
            int waited = 0;
            int portClashes = 0;
            for (int i = 0; i < STARTS; i++) {
                String out = runs.get(i).get().trim();
                Path startLog = logs.resolve("start-" + i + ".log");
                if (Files.exists(startLog) && Files.readString(startLog).contains("Address already in use")) {
                    // Two launchers in separate processes picked the same free port for two kernels started at the
                    // same moment (jupyter_client chooses ports per process): a clash of this harness, not of the
                    // kernel. Start that one again.
                    portClashes++;
                    Files.move(startLog, logs.resolve("start-" + i + "-port-clash.log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    out = JupyterEnv.run(List.of(JupyterEnv.PYTHON, script.toString(), JupyterEnv.KERNEL,
                            Integer.toString(TIMEOUT_S), startLog.toString()), TIMEOUT_S * 3L, null).output().trim();
                }
                String last = out.lines().filter(l -> l.startsWith("{\"ok\"")).reduce((a, b) -> b).orElse("");
                try {
                    JsonObject r = JsonParser.parseString(last).getAsJsonObject();
                    if (!r.get("ok").getAsBoolean()) {
                        failures.add("start " + i + ": " + r);
                    } else {
                        slowest = Math.max(slowest, r.get("ready_s").getAsDouble());
                    }
                } catch (RuntimeException e) {
                    failures.add("start " + i + ": no result line\n" + out);
                }
                Path kernelLog = logs.resolve("start-" + i + ".log");
                String kernelOutput = Files.exists(kernelLog) ? Files.readString(kernelLog) : "";
                if (kernelOutput.contains("dropped one message during kernel start-up")) {
                    dropped++;
                }
                if (kernelOutput.contains("for the kernel to connect its channels before serving messages")) {
                    waited++;
                }
            }
            System.out.printf("%d kernel starts, %d failed, %d had a loop wait 100 ms or more for Channels.connect "
                    + "(rapaio's early-message window), %d dropped a message in it, %d restarted after a port clash of two "
                    + "launchers, slowest kernel_info %.2fs (kernel logs in %s)%n",
                    STARTS, failures.size(), waited, dropped, portClashes, slowest, logs);
            assertEquals(List.of(), failures, "failed kernel starts");
            assertEquals(0, dropped, "the patched loops wait for Channels.connect, so no message meets a null "
                    + "handler map");
            assertTrue(portClashes <= STARTS / 10, portClashes + " of " + STARTS + " starts clashed on a port");
        } finally {
            pool.shutdownNow();
        }
    }
}
