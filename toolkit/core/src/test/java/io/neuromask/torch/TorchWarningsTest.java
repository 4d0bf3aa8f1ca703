package io.neuromask.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.TestMirror;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<String> options = new ArrayList<>(List.of("-Xmx1g", "-Dneuromask.mirror=" + TestMirror.path(),
                "-Dneuromask.cache=" + System.getProperty("neuromask.cache", tmp.resolve("cache").toString())));
        options.addAll(List.of(jvmOptions));
        io.neuromask.ChildJvm.Result r = io.neuromask.ChildJvm.run(tmp, options, TorchWarningsMain.class);
        assertEquals(0, r.exit(), "child JVM failed: " + r.stdout() + " " + r.stderr());
        assertEquals("logits (2, 10) (2, 10)", r.stdout(), r.stderr());
        return new String[] {r.stdout(), r.stderr()};
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
