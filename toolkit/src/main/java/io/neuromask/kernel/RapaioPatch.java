package io.neuromask.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The fix of rapaio-jupyter-kernel 3.0.1's start-up race, compiled into a class folder that goes before
 * the rapaio jar on the kernel's class path.
 *
 * <p>In 3.0.1, {@code LoopThread.start()} starts the thread before it sets {@code running = true}; when
 * the new thread checks the flag first, its loop ends at once and that ZMQ channel is never served, so the
 * kernel never answers {@code kernel_info} (about one start in five). Second, {@code Channels.connect()}
 * starts the channel loops before it assigns its handler map, so an early shell message throws a
 * {@code NullPointerException} that ends the shell loop for good. The patched class, from the source
 * resource {@value #SOURCE}, sets the flag before starting the thread and keeps looping when the body throws
 * (that one message is dropped; clients resend {@code kernel_info}). Its public API is the same as the
 * original's.
 */
public final class RapaioPatch {

    /** The patched source, a class path resource of the toolkit. */
    public static final String SOURCE = "/io/neuromask/kernel/rapaio-patch/LoopThread.java";

    /** The patched class. */
    public static final String CLASS_NAME = "org.rapaio.jupyter.kernel.channels.LoopThread";

    /** The rapaio version the patch is written for. */
    public static final String FOR_VERSION = "3.0.1";

    private RapaioPatch() {}

    /**
     * Compiles the patched class into {@code classesDir} (created, then holding
     * {@code org/rapaio/jupyter/kernel/channels/LoopThread.class}).
     *
     * @throws IOException when the source cannot be read or written
     * @throws IllegalStateException when no Java compiler is available (a JRE instead of a JDK) or
     *     compilation fails
     */
    public static Path compile(Path classesDir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + "; Jupyter Java kernels need a JDK (they compile cells with JShell)");
        }
        Path src = Files.createTempDirectory("neuromask-rapaio-patch");
        try {
            Path file = src.resolve("LoopThread.java");
            try (InputStream in = RapaioPatch.class.getResourceAsStream(SOURCE)) {
                if (in == null) {
                    throw new IOException("missing resource " + SOURCE);
                }
                Files.write(file, in.readAllBytes());
            }
            Files.createDirectories(classesDir);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int rc = javac.run(null, log, log, "--release", "17", "-nowarn", "-d", classesDir.toString(),
                    file.toString());
            if (rc != 0) {
                throw new IllegalStateException("compiling the rapaio patch failed:\n"
                        + log.toString(StandardCharsets.UTF_8));
            }
            return classesDir;
        } finally {
            try (var walk = Files.walk(src)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Whether the patch applies to a rapaio jar, judged by its file name's version. */
    public static boolean appliesTo(Path rapaioJar) {
        return rapaioJar.getFileName().toString().contains("-" + FOR_VERSION + ".jar");
    }

}
