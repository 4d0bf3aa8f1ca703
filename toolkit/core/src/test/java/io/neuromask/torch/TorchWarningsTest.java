package io.neuromask.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.TestMirror;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a pretrained model and classifying with it prints no {@code AutoNonVariableTypeMode is deprecated} notice
 * (DJL 0.36's JNI tensor copy uses the deprecated guard; libtorch prints the notice once per process on the native
 * stderr, so each case runs {@link TorchWarningsMain} in a JVM of its own). The control run with
 * {@code -Dneuromask.quietTorchDeprecation=false} shows the notice, so the first assertion is not vacuous.
 */
class TorchWarningsTest {

    private static final String NOTICE = "AutoNonVariableTypeMode is deprecated";

    @TempDir
    Path tmp;

    /** Runs {@link TorchWarningsMain} with the given JVM options; returns {stdout, stderr}, failing on a non-zero exit. */
    private String[] child(String... jvmOptions) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dneuromask.mirror=" + TestMirror.path(),
                "-Dneuromask.cache=" + System.getProperty("neuromask.cache", tmp.resolve("cache").toString())));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classPath, TorchWarningsMain.class.getName()));
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 5 minutes");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "child JVM failed: " + stdout + " " + stderr);
        assertEquals("logits (2, 10) (2, 10)", stdout, stderr);
        return new String[] {stdout, stderr};
    }

    @Test
    void loadingAndClassifyingPrintsNoDeprecationNotice() throws Exception {
        String stderr = child()[1];
        assertFalse(stderr.contains(NOTICE), stderr);
    }

    @Test
    void theNoticeIsBackWhenSwitchedOff() throws Exception {
        String stderr = child("-D" + TorchWarnings.PROPERTY + "=false")[1];
        assertTrue(stderr.contains(NOTICE), "expected libtorch's notice without the quieting, got:\n" + stderr);
    }
}
