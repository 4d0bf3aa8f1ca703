package io.neuromask.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fixes of rapaio-jupyter-kernel 3.0.1 defects, compiled when this module is built and written into a class
 * folder that goes before the rapaio jar on the kernel's class path. Each patched class keeps the original's public API.
 *
 * <ul>
 *   <li>{@code LoopThread}: in 3.0.1, {@code start()} starts the thread before it sets {@code running = true};
 *       when the new thread checks the flag first, its loop ends at once and that ZMQ channel is never served,
 *       so the kernel never answers {@code kernel_info} (about one start in five). Also {@code
 *       Channels.connect()} starts the channel loops before it assigns its handler map, so an early shell
 *       message throws a {@code NullPointerException} that ends the shell loop for good. The patch sets the
 *       flag before starting the thread and keeps looping when the body throws (that one message is dropped;
 *       clients resend {@code kernel_info}).</li>
 *   <li>{@code RapaioExecutionControl}: in 3.0.1 a kernel interrupt shuts the cell executor down for good, so
 *       every later cell is answered "ok" without running, and whether the interrupted cell reports the
 *       interruption depends on a race with that shutdown. The patch cancels the running cell, always reports
 *       "Execution interrupted.", and keeps the executor for the next cell.</li>
 *   <li>{@code ShellKernelInfoReply}: 3.0.1's {@code kernel_info_reply} has no {@code status}, which the
 *       messaging protocol requires of every shell reply; the patched record adds {@code "status": "ok"} and
 *       keeps the original constructor.</li>
 *   <li>{@code IOPubExecuteResult}, {@code IOPubDisplayData}: 3.0.1 sends a cell's value as {@code text/html}
 *       only; the protocol wants {@code text/plain} in every bundle. The patched messages add one (the HTML
 *       without tags, which for rapaio's default renderer is the value's {@code toString()}).</li>
 * </ul>
 */
public final class RapaioPatch {

    /** The patched classes, class path resources of this module, under this folder. */
    public static final String SOURCE_DIR = "/io/neuromask/kernel/rapaio-patch/";

    /** The patched classes. */
    public static final List<String> CLASS_NAMES = List.of(
            "org.rapaio.jupyter.kernel.channels.LoopThread",
            "org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl",
            "org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply",
            "org.rapaio.jupyter.kernel.message.messages.IOPubExecuteResult",
            "org.rapaio.jupyter.kernel.message.messages.IOPubDisplayData");

    /** The rapaio version the patch is written for. */
    public static final String FOR_VERSION = "3.0.1";

    private RapaioPatch() {}

    /**
     * Writes the patched classes, compiled at build time against rapaio (this module's
     * {@code src/rapaio-patch/java}), into {@code classesDir} (created, then holding for example
     * {@code org/rapaio/jupyter/kernel/channels/LoopThread.class}).
     *
     * @throws IOException when a class resource is missing or cannot be written
     */
    public static Path write(Path classesDir) throws IOException {
        for (String className : CLASS_NAMES) {
            String file = className.replace('.', '/') + ".class";
            Path out = classesDir.resolve(file);
            Files.createDirectories(out.getParent());
            try (InputStream in = RapaioPatch.class.getResourceAsStream(SOURCE_DIR + file)) {
                if (in == null) {
                    throw new IOException("missing resource " + SOURCE_DIR + file + " (built by the notebook module)");
                }
                Files.write(out, in.readAllBytes());
            }
        }
        return classesDir;
    }

    /** Whether the patch applies to a rapaio jar, judged by its file name's version. */
    public static boolean appliesTo(Path rapaioJar) {
        return rapaioJar.getFileName().toString().contains("-" + FOR_VERSION + ".jar");
    }

}
