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
    void cliInstallsTheJavaKernelspec() throws Exception {
        Path jar = Files.createFile(tmp.resolve("rapaio-jupyter-kernel-3.0.1.jar"));
        int rc = Main.run("kernel", "install", "--kernel", "rapaio", "--data-dir", tmp.resolve("data").toString(),
                "--rapaio-jar", jar.toString());
        assertEquals(0, rc);
        String spec = Files.readString(tmp.resolve("data/kernels/java/kernel.json"));
        assertTrue(spec.contains("RJK_CLASSPATH") && spec.contains("neuromask"), spec);
        assertEquals(2, Main.run("kernel", "install", "--kernel"), "missing option value is a usage error");
    }
}
