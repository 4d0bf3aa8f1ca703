package io.neuromask;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test class path in a JVM of its own, for what one process can show only once. */
public final class ChildJvm {

    /** What the child did. */
    public record Result(int exit, String stdout, String stderr) {}

    private ChildJvm() {}

    /**
     * Runs {@code main} with {@code jvmOptions} and {@code args}; its output goes through files in {@code dir}.
     *
     * @throws AssertionError when it does not finish within 5 minutes
     */
    public static Result run(Path dir, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        return run(dir, jvmOptions, List.of(), main, args);
    }

    /**
     * Runs {@code main} as {@link #run(Path, List, Class, String...)} does, with {@code classPathFirst} before the test
     * class path (e.g. a folder of {@code META-INF/services} files that register a plug-in in the child only).
     */
    public static Result run(Path dir, List<String> jvmOptions, List<Path> classPathFirst, Class<?> main,
            String... args) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (int i = classPathFirst.size() - 1; i >= 0; i--) {
            classPath = classPathFirst.get(i).toAbsolutePath() + java.io.File.pathSeparator + classPath;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM (" + main.getSimpleName() + ") did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
