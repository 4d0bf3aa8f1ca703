package io.neuromask.kernel;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/** Where the toolkit and its libraries are, to put them on a kernel's class path. */
public final class ToolkitClasspath {

    /** Test and launcher jars that a notebook never needs. */
    private static final Pattern EXCLUDED = Pattern.compile(
            "(junit|opentest4j|apiguardian|surefire|rapaio-jupyter-kernel)[^" + Pattern.quote(File.separator) + "]*$");

    private ToolkitClasspath() {}

    /**
     * The class path of this JVM as absolute paths: {@code java.class.path} (Surefire's
     * {@code surefire.test.class.path} under Maven tests), with the manifest {@code Class-Path} of each jar
     * expanded (so {@code java -jar neuromask-toolkit.jar} yields the jar and {@code lib/*.jar}); test
     * libraries and the kernel jar are left out.
     */
    public static List<Path> current() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
        Set<Path> out = new LinkedHashSet<>();
        for (String entry : cp.split(Pattern.quote(File.pathSeparator))) {
            if (!entry.isBlank()) {
                add(Path.of(entry).toAbsolutePath().normalize(), out);
            }
        }
        out.removeIf(p -> EXCLUDED.matcher(p.toString()).find() || !Files.exists(p));
        return List.copyOf(out);
    }

    private static void add(Path entry, Set<Path> out) {
        if (!out.add(entry) || !entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            var manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath != null) {
                for (String rel : classPath.trim().split("\\s+")) {
                    if (!rel.isEmpty()) {
                        add(entry.getParent().resolve(rel).toAbsolutePath().normalize(), out);
                    }
                }
            }
        } catch (IOException e) {
            // not a readable jar: keep the entry as it is
        }
    }

    /** The jar or class folder the toolkit was loaded from. */
    public static Path toolkitLocation() {
        try {
            return Path.of(ToolkitClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the toolkit was loaded from", e);
        }
    }

    /**
     * The rapaio kernel jar that the build copies to {@code toolkit/notebook/target/kernel/} and
     * {@code toolkit/cli/target/kernel/}: the system property {@code neuromask.rapaioJar} or the environment
     * variable {@code NEUROMASK_RAPAIO_JAR} when set, else {@code kernel/rapaio-jupyter-kernel-*.jar} next to
     * the notebook jar or class folder, or next to the {@code lib/} folder that holds it.
     */
    public static Optional<Path> rapaioJar() {
        String explicit = System.getProperty("neuromask.rapaioJar", System.getenv("NEUROMASK_RAPAIO_JAR"));
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit).toAbsolutePath());
        }
        Path here = toolkitLocation().getParent();
        Path dir = here.resolve("kernel");
        if (!Files.isDirectory(dir) && here.getParent() != null) {
            dir = here.getParent().resolve("kernel"); // lib/neuromask-notebook.jar next to the runnable jar
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (var files = Files.list(dir)) {
            List<Path> jars = new ArrayList<>(files
                    .filter(p -> p.getFileName().toString().matches("rapaio-jupyter-kernel-.*\\.jar")).sorted().toList());
            return jars.isEmpty() ? Optional.empty() : Optional.of(jars.get(jars.size() - 1).toAbsolutePath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
