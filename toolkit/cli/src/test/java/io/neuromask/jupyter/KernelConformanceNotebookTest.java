package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.kernel.KernelInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default {@code neuromask-java} kernel (rapaio-jupyter-kernel 3.0.1 with the project's patches) passes Jupyter's
 * own kernel test suite, {@code jupyter_kernel_test} (Debian {@code python3-jupyter-kernel-test}), which
 * validates every message against the messaging protocol's schema: kernel_info, stdout, stderr, error,
 * execute_result, display_data through {@code Show.image}/{@code Show.html}, is_complete, plus a check that
 * every execute_result and display_data bundle carries text/plain. Unpatched 3.0.1 fails kernel_info
 * (no {@code status}) and text/plain. The kernel is installed into a temporary Jupyter data dir.
 */
@Tag("notebook")
class KernelConformanceNotebookTest {

    static final List<String> REQUIRED = List.of("test_display_data", "test_error", "test_every_bundle_has_text_plain",
            "test_execute_result", "test_execute_stderr", "test_execute_stdout", "test_is_complete", "test_kernel_info");

    @TempDir
    Path tmp;

    @Test
    void defaultKernelPassesJupyterKernelTest() throws Exception {
        JupyterEnv.requireNbconvert();
        JupyterEnv.Result probe = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-c", "import jupyter_kernel_test"), 60, null);
        if (probe.exitCode() != 0) {
            fail("Debian's python3 lacks jupyter_kernel_test (python3-jupyter-kernel-test): "
                    + JupyterEnv.INSTALL_HINT + "\n" + probe.output());
        }
        Path data = tmp.resolve("data");
        KernelInstaller.builder().dataDir(data).searchPath(List.of()).build().install();
        Path script = JupyterEnv.ROOT.resolve("toolkit/cli/src/test/resources/io/neuromask/jupyter/kernel_conformance.py");
        Path log = JupyterEnv.TARGET.resolve("kernel-conformance.log");
        JupyterEnv.Result r = JupyterEnv.run(List.of(JupyterEnv.PYTHON, script.toString(), JupyterEnv.KERNEL), 600, log, null, env -> {
            env.put("JUPYTER_PATH", data.toString());
            env.put("JUPYTER_DATA_DIR", data.toString());
            env.put("HOME", tmp.toString());
            env.put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
        });
        String last = r.output().strip().lines().filter(l -> l.startsWith("{\"passed\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result line from jupyter_kernel_test:\n" + r.output()));
        JsonObject o = JsonParser.parseString(last).getAsJsonObject();
        System.out.println("jupyter_kernel_test: " + o.get("passed") + ", skipped " + o.get("skipped"));
        assertEquals(new JsonObject(), o.getAsJsonObject("failed"), "failed jupyter_kernel_test checks (log " + log + ")");
        TreeSet<String> passed = new TreeSet<>();
        o.getAsJsonArray("passed").forEach(e -> passed.add(e.getAsString()));
        TreeSet<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(passed);
        assertEquals(new TreeSet<String>(), missing, "required checks that did not pass (skipped?):\n" + r.output());
        assertEquals(0, r.exitCode(), r.output());
    }
}
