package io.neuromask.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCommandTest {

    @TempDir
    Path tmp;

    @Test
    void cliInstallsTheNeuroMaskKernelspec() throws Exception {
        Path jar = Files.createFile(tmp.resolve("rapaio-jupyter-kernel-3.0.1.jar"));
        int rc = Main.run("kernel", "install", "--kernel", "rapaio", "--data-dir", tmp.resolve("data").toString(),
                "--rapaio-jar", jar.toString());
        assertEquals(0, rc);
        String spec = Files.readString(tmp.resolve("data/kernels/neuromask-java/kernel.json"));
        assertTrue(spec.contains("RJK_CLASSPATH") && spec.contains("neuromask"), spec);
        assertEquals(2, Main.run("kernel", "install", "--kernel"), "missing option value is a usage error");
    }

    @Test
    void cliRefusesAForeignKernelspecAndForceKeepsABackup() throws Exception {
        Path jar = Files.createFile(tmp.resolve("rapaio-jupyter-kernel-3.0.1.jar"));
        Path java = Files.createDirectories(tmp.resolve("data/kernels/java"));
        String ijava = "{\"argv\": [\"java\", \"-jar\", \"" + java.resolve("ijava-1.3.0.jar")
                + "\", \"{connection_file}\"], \"display_name\": \"Java\", \"language\": \"java\"}";
        Files.writeString(java.resolve("kernel.json"), ijava);
        String[] args = {"kernel", "install", "--name", "java", "--kernel", "rapaio", "--data-dir",
            tmp.resolve("data").toString(), "--rapaio-jar", jar.toString()};

        String[] refused = run(args);
        assertEquals("1", refused[0], refused[2]);
        assertTrue(refused[2].startsWith("error: kernelspec 'java' (" + java + ") was not written by neuromask kernel "
                + "install"), refused[2]);
        assertTrue(refused[2].contains("--name NAME") && refused[2].contains("--force"), refused[2]);
        assertEquals(ijava, Files.readString(java.resolve("kernel.json")), "left as it was");

        String[] forced = run(append(args, "--force"));
        assertEquals("0", forced[0], forced[2]);
        Path bak = tmp.resolve("data/kernels/java.bak");
        assertTrue(forced[1].contains("kept the former kernelspec 'java' as " + bak), forced[1]);
        assertEquals(ijava, Files.readString(bak.resolve("kernel.json")));
        assertTrue(KernelInstaller.writtenByUs(com.google.gson.JsonParser.parseString(
                Files.readString(java.resolve("kernel.json"))).getAsJsonObject()));

        String[] again = run(args); // ours now: no --force needed, no second backup
        assertEquals("0", again[0], again[2]);
        assertTrue(!again[1].contains("kept the former"), again[1]);
        assertTrue(!Files.exists(tmp.resolve("data/kernels/java.bak.2")));
    }

    private static String[] append(String[] a, String extra) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = extra;
        return out;
    }

    /** Runs in this JVM; returns {exit code, stdout, stderr}. */
    private static String[] run(String... args) {
        return io.neuromask.cli.InProcessCli.run(args);
    }
}
