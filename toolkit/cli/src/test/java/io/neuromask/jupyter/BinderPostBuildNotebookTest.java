package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.TestMirror;
import io.neuromask.store.CanonicalServer;
import io.neuromask.store.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code binder/postBuild} as mybinder.org would: in a copy of the repository, with a temporary HOME, no
 * mirror and "internet" — the canonical sources of every manifest file served by {@link CanonicalServer} on
 * 127.0.0.1 through {@code NEUROMASK_URL_REWRITE}. The kernel is rapaio (the IJava download needs the real
 * internet; {@code IJavaClasspathTest} guards IJava). A newer JDK first on the PATH must not stop postBuild
 * from pinning JDK 17. Then the quickstart runs on the kernel postBuild installed, and downloads nothing:
 * postBuild's {@code models fetch --all} already did.
 */
@Tag("notebook")
class BinderPostBuildNotebookTest {

    @Test
    void postBuildFetchesEverythingOnlineAndTheQuickstartRunsWithoutDownloading() throws Exception {
        JupyterEnv.requireNbconvert();
        Path work = JupyterEnv.TARGET.resolve("binder-test");
        deleteTree(work);
        Path repo = work.resolve("repo");
        Path home = work.resolve("home");
        Files.createDirectories(home);
        copyTrackedFiles(repo);
        Path dataDir = home.resolve(".local/share/jupyter");
        Path cache = home.resolve(".neuromask/cache");
        java.util.Optional<Path> newerJdk = newerJdk();

        try (CanonicalServer server = CanonicalServer.start(TestMirror.path(), work.resolve("server"))) {
            Map<String, String> online = Map.of("HOME", home.toString(), "NEUROMASK_URL_REWRITE", server.rewrite(),
                    "NEUROMASK_MANIFEST", server.manifest().toString());
            JupyterEnv.Result build = JupyterEnv.run(List.of("bash", "binder/postBuild"), 900,
                    work.resolve("postBuild.log"), repo, env -> {
                        offline(env, online);
                        env.remove("JUPYTER_DATA_DIR");
                        env.remove("JUPYTER_PATH");
                        env.remove("JAVA_HOME");
                        env.put("NEUROMASK_BINDER_KERNEL", "rapaio");
                        // a newer JDK first on the PATH, as on base images whose default JRE is not 17
                        newerJdk.ifPresent(bin -> env.put("PATH", bin + ":" + env.get("PATH")));
                        // the Maven repository of this machine: Binder downloads it, this test must not
                        env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + System.getProperty("user.home") + "/.m2/repository");
                    });
            assertEquals(0, build.exitCode(), "binder/postBuild failed:\n" + build.output());
            assertTrue(build.output().contains("postBuild: using JDK at ") && build.output().contains("version \"17."),
                    "postBuild pins JDK 17:\n" + build.output());

            Path spec = dataDir.resolve("kernels/" + JupyterEnv.KERNEL + "/kernel.json");
            assertTrue(Files.isRegularFile(spec), "postBuild installed no kernel '" + JupyterEnv.KERNEL
                    + "' under the temporary HOME");
            String kernelJson = Files.readString(spec);
            assertTrue(kernelJson.contains(repo.resolve("toolkit/cli/target").toString()),
                    "the kernel's class path points into the built copy: " + kernelJson);
            assertTrue(kernelJson.contains("17-openjdk"), "the kernel runs on the pinned JDK 17: " + kernelJson);

            List<String> missing = new ArrayList<>();
            for (Manifest.FileEntry f : Manifest.read(server.manifest()).files()) {
                if (!Files.isRegularFile(cache.resolve(f.path()))) {
                    missing.add(f.path());
                }
            }
            assertEquals(List.of(), missing, "models fetch --all left these manifest files out of the cache");
            assertTrue(server.bytesServed() > 0, "the files came from the (local stand-in of the) public sources");

            server.reset();
            Path out = work.resolve("executed");
            JupyterEnv.Result run = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-m", "nbconvert", "--to", "notebook",
                    "--execute", "--ExecutePreprocessor.kernel_name=" + JupyterEnv.KERNEL, "--ExecutePreprocessor.timeout=600",
                    "--ExecutePreprocessor.startup_timeout=120", "--output-dir", out.toString(),
                    repo.resolve("notebooks/00-quickstart.ipynb").toString()), 900, work.resolve("quickstart.log"), repo,
                    env -> {
                        offline(env, online);
                        env.put("JUPYTER_DATA_DIR", dataDir.toString());
                        env.put("JUPYTER_PATH", dataDir.toString());
                    });
            assertEquals(0, run.exitCode(), "the quickstart failed on the Binder kernel:\n" + run.output());
            assertEquals(List.of(), Notebooks.problems("00-quickstart.ipynb", Notebooks.read(out.resolve("00-quickstart.ipynb"))));
            assertEquals(List.of(), server.requests(), "the first notebook downloads nothing after postBuild");
        }
    }

    /** No mirror and no cache setting (the cache is ~/.neuromask/cache under the temporary HOME). */
    private static void offline(Map<String, String> env, Map<String, String> online) {
        env.remove("NEUROMASK_MIRROR");
        env.remove("NEUROMASK_CACHE");
        env.putAll(online);
    }

    /** The bin folder of an installed JDK newer than 17, if this machine has one. */
    private static java.util.Optional<Path> newerJdk() throws java.io.IOException {
        try (var dirs = Files.list(Path.of("/usr/lib/jvm"))) {
            return dirs.filter(d -> d.getFileName().toString().matches(".*-(2[1-9]|[3-9][0-9])(-.*)?"))
                    .map(d -> d.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("java"))).findFirst();
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty();
        }
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
