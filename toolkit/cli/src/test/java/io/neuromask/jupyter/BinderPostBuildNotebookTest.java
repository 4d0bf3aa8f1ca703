package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code binder/postBuild} as Binder would, in a copy of the repository with a temporary HOME and the
 * offline kernel (rapaio; the IJava download needs internet), then executes the quickstart on the kernel it
 * installed.
 */
@Tag("notebook")
class BinderPostBuildNotebookTest {

    @Test
    void postBuildBuildsInstallsTheKernelAndTheQuickstartRuns() throws Exception {
        JupyterEnv.requireNbconvert();
        Path work = JupyterEnv.TARGET.resolve("binder-test");
        deleteTree(work);
        Path repo = work.resolve("repo");
        Path home = work.resolve("home");
        Files.createDirectories(home);
        copyTrackedFiles(repo);

        Path dataDir = home.resolve(".local/share/jupyter");
        JupyterEnv.Result build = JupyterEnv.run(List.of("bash", "binder/postBuild"), 600, work.resolve("postBuild.log"),
                repo, env -> {
                    env.put("HOME", home.toString());
                    env.remove("JUPYTER_DATA_DIR");
                    env.remove("JUPYTER_PATH");
                    env.put("NEUROMASK_BINDER_KERNEL", "rapaio");
                    // the Maven repository of this machine: Binder downloads it, this test must not
                    env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + System.getProperty("user.home") + "/.m2/repository");
                });
        assertEquals(0, build.exitCode(), "binder/postBuild failed:\n" + build.output());
        Path spec = dataDir.resolve("kernels/java/kernel.json");
        assertTrue(Files.isRegularFile(spec), "postBuild installed no kernel 'java' under the temporary HOME");
        String kernelJson = Files.readString(spec);
        assertTrue(kernelJson.contains(repo.resolve("toolkit/cli/target").toString()),
                "the kernel's class path points into the built copy: " + kernelJson);

        Path out = work.resolve("executed");
        JupyterEnv.Result run = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-m", "nbconvert", "--to", "notebook",
                "--execute", "--ExecutePreprocessor.kernel_name=java", "--ExecutePreprocessor.timeout=600",
                "--ExecutePreprocessor.startup_timeout=120", "--output-dir", out.toString(),
                repo.resolve("notebooks/00-quickstart.ipynb").toString()), 900, work.resolve("quickstart.log"), repo,
                env -> {
                    env.put("HOME", home.toString());
                    env.put("JUPYTER_DATA_DIR", dataDir.toString());
                    env.put("JUPYTER_PATH", dataDir.toString());
                });
        assertEquals(0, run.exitCode(), "the quickstart failed on the Binder kernel:\n" + run.output());
        assertEquals(List.of(), Notebooks.problems("00-quickstart.ipynb", Notebooks.read(out.resolve("00-quickstart.ipynb"))));
    }

    private static void copyTrackedFiles(Path dest) throws Exception {
        Process p = new ProcessBuilder("git", "ls-files", "-z").directory(JupyterEnv.ROOT.toFile()).start();
        String[] files = new String(p.getInputStream().readAllBytes()).split("\0");
        assertEquals(0, p.waitFor(), "git ls-files failed");
        for (String f : files) {
            if (f.isEmpty()) {
                continue;
            }
            Path from = JupyterEnv.ROOT.resolve(f);
            if (!Files.isRegularFile(from)) {
                continue;
            }
            Path to = dest.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
