package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.fail;

import io.neuromask.kernel.KernelInstaller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Jupyter installation the notebook tests use: Debian's packages, and a kernelspec installed under
 * {@code toolkit/cli/target/jupyter} so that tests never touch the user's Jupyter set-up. Missing tools fail
 * the test with the command that installs them; nothing is skipped.
 */
final class JupyterEnv {

    static final Path ROOT = Path.of(System.getProperty("neuromask.projectRoot", "..")).toAbsolutePath().normalize();
    static final Path TARGET = ROOT.resolve("toolkit/cli/target");
    static final Path JUPYTER = TARGET.resolve("jupyter");
    static final String PYTHON = "/usr/bin/python3";
    static final String INSTALL_HINT = "install the notebook test dependencies with .ci/install-notebook-deps.sh";

    /** The kernelspec the notebooks ask for, which {@link #installKernel} installs. */
    static final String KERNEL = KernelInstaller.DEFAULT_NAME;

    private static boolean installed;

    private JupyterEnv() {}

    /** Fails unless Debian's python3 has nbconvert, nbclient and jupyter_client. */
    static void requireNbconvert() {
        requireFile(PYTHON, "Debian's python3 (apt-get install python3)");
        Result r = run(List.of(PYTHON, "-c", "import nbconvert, nbclient, jupyter_client"), 60, null);
        if (r.exitCode() != 0) {
            fail("Debian's python3 lacks Jupyter (jupyter-nbconvert, python3-nbclient): " + INSTALL_HINT + "\n" + r.output());
        }
    }

    static void requireFile(String path, String what) {
        if (!Files.isExecutable(Path.of(path))) {
            fail(path + " not found: " + what + " is required; " + INSTALL_HINT);
        }
    }

    /** Installs the {@value #KERNEL} kernelspec into {@code target/jupyter/data} once per test JVM. */
    static synchronized void installKernel() throws IOException {
        if (!installed) {
            KernelInstaller.builder().dataDir(JUPYTER.resolve("data")).searchPath(List.of()).build().install();
            installed = true;
        }
    }

    /** Environment pointing Jupyter at {@code target/jupyter} only. */
    static void configure(Map<String, String> env) throws IOException {
        for (String d : List.of("data", "config", "runtime", "ipython")) {
            Files.createDirectories(JUPYTER.resolve(d));
        }
        env.put("JUPYTER_PATH", JUPYTER.resolve("data").toString());
        env.put("JUPYTER_DATA_DIR", JUPYTER.resolve("data").toString());
        env.put("JUPYTER_CONFIG_DIR", JUPYTER.resolve("config").toString());
        env.put("JUPYTER_RUNTIME_DIR", JUPYTER.resolve("runtime").toString());
        env.put("IPYTHONDIR", JUPYTER.resolve("ipython").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");
        env.remove("PYTHONPATH");
        env.remove("PYTHONHOME");
    }

    record Result(int exitCode, String output) {}

    /** Runs a command in the Jupyter environment; output (stdout+stderr) also goes to {@code log} when given. */
    static Result run(List<String> command, long timeoutSeconds, Path log) {
        return run(command, timeoutSeconds, log, null, env -> {});
    }

    /**
     * Runs a command in {@code directory} (null: the current one) with the Jupyter environment, then
     * {@code adjust} applied to the environment.
     */
    static Result run(List<String> command, long timeoutSeconds, Path log, Path directory,
            java.util.function.Consumer<Map<String, String>> adjust) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            configure(pb.environment());
            adjust.accept(pb.environment());
            Path out = log != null ? log : Files.createTempFile("jupyter-run", ".log");
            Files.createDirectories(out.toAbsolutePath().getParent());
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(124, "timed out after " + timeoutSeconds + "s: " + command + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (log == null) {
                Files.deleteIfExists(out);
            }
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            return new Result(127, "cannot run " + command + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }
}
