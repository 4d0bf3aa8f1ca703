package io.neuromask.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelInstallerTest {

    @TempDir
    Path tmp;

    @Test
    void rapaioSpecPutsThePatchBeforeTheJarAndTheToolkitInRjkClasspath() throws Exception {
        Path jar = ToolkitClasspath.rapaioJar().orElseThrow(() -> new AssertionError(
                "toolkit/target/kernel/rapaio-jupyter-kernel-3.0.1.jar missing: run mvn with the toolkit pom"));
        List<Path> cp = List.of(Path.of("/a/toolkit.jar"), Path.of("/b/lib.jar"));
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("data")).classpath(cp)
                .rapaioJar(jar).searchPath(List.of()).build().install();
        assertEquals(JavaKernel.RAPAIO, done.kernel());
        Path dir = tmp.resolve("data/kernels/java");
        assertEquals(dir, done.directory());
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        List<String> argv = argv(spec);
        assertEquals("org.rapaio.jupyter.kernel.MainApp", argv.get(argv.size() - 2));
        assertEquals("{connection_file}", argv.get(argv.size() - 1));
        String classPath = argv.get(argv.indexOf("-cp") + 1);
        assertEquals(dir.resolve("rapaio-patch") + ":" + jar, classPath, "patch first, then the rapaio jar");
        for (String patched : RapaioPatch.CLASS_NAMES) {
            assertTrue(Files.isRegularFile(dir.resolve("rapaio-patch/" + patched.replace('.', '/') + ".class")), patched);
        }
        assertEquals("/a/toolkit.jar;/b/lib.jar", spec.getAsJsonObject("env").get("RJK_CLASSPATH").getAsString());
        assertEquals("java", spec.get("language").getAsString());
    }

    @Test
    void otherRapaioVersionsAreNotPatched() throws Exception {
        Path jar = Files.createFile(tmp.resolve("rapaio-jupyter-kernel-3.1.0.jar"));
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp).classpath(List.of()).rapaioJar(jar)
                .searchPath(List.of()).build().install();
        assertEquals(jar.toString(), argv(done.spec()).get(argv(done.spec()).indexOf("-cp") + 1));
    }

    @Test
    void anInstalledIJavaIsReusedWithItsClasspathVariable() throws Exception {
        Path other = tmp.resolve("system");
        writeSpec(other.resolve("kernels/ijava"), "/opt/ijava/ijava-1.3.0.jar");
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("user"))
                .classpath(List.of(Path.of("/x.jar"), Path.of("/y.jar"))).searchPath(List.of(tmp.resolve("user"), other))
                .build().install();
        assertEquals(JavaKernel.IJAVA, done.kernel());
        assertEquals(List.of(JAVA, "-jar", "/opt/ijava/ijava-1.3.0.jar", "{connection_file}"), argv(done.spec()),
                "a bare java becomes the installing JDK's java");
        assertEquals("/x.jar:/y.jar", done.spec().getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString());
    }

    @Test
    void jjavaIsPreferredOverIJava() throws Exception {
        writeSpec(tmp.resolve("kernels/a-ijava"), "/opt/ijava-1.3.0.jar");
        writeSpec(tmp.resolve("kernels/b-jjava"), "/opt/jjava/jjava-1.0-a5.jar");
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("user")).classpath(List.of())
                .searchPath(List.of(tmp)).build().install();
        assertEquals(JavaKernel.JJAVA, done.kernel());
        assertTrue(done.spec().getAsJsonObject("env").has("JJAVA_CLASSPATH"));
    }

    @Test
    void ijavaCanBeAskedForWhenJJavaIsInstalledToo() throws Exception {
        writeSpec(tmp.resolve("kernels/a-ijava"), "/opt/ijava-1.3.0.jar");
        writeSpec(tmp.resolve("kernels/b-jjava"), "/opt/jjava/jjava-1.0-a5.jar");
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("user")).classpath(List.of())
                .kernel(JavaKernel.IJAVA).searchPath(List.of(tmp)).build().install();
        assertEquals(JavaKernel.IJAVA, done.kernel());
        assertEquals(List.of(JAVA, "-jar", "/opt/ijava-1.3.0.jar", "{connection_file}"), argv(done.spec()));
        assertTrue(done.spec().getAsJsonObject("env").has("IJAVA_CLASSPATH"));
    }

    @Test
    void jjavaResourceDirIsResolvedToItsOwnSpecFolder() throws Exception {
        // JJava's installer writes {resource_dir}/jjava-launcher.jar; here it lives in another data folder under
        // another name, and its launcher jar is not copied into the new spec's folder.
        Path other = tmp.resolve("elsewhere/share/jupyter");
        Path jjavaDir = other.resolve("kernels/my-jvm");
        Files.createDirectories(jjavaDir);
        Path launcher = Files.writeString(jjavaDir.resolve("jjava-launcher.jar"), "not really a jar");
        Files.writeString(jjavaDir.resolve("kernel.json"), """
                {"argv": ["java", "-Dx={resource_dir}/cfg", "-jar", "{resource_dir}/jjava-launcher.jar",
                          "{connection_file}"],
                 "env": {"JJAVA_COMPILER_OPTS": "-parameters", "JJAVA_CLASSPATH": "/opt/extra.jar"},
                 "display_name": "Java", "language": "java"}""");
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("user"))
                .classpath(List.of(Path.of("/x.jar"))).kernel(JavaKernel.JJAVA)
                .searchPath(List.of(tmp.resolve("user"), other)).build().install();
        assertEquals(JavaKernel.JJAVA, done.kernel());
        List<String> argv = argv(JsonParser.parseString(Files.readString(done.directory().resolve("kernel.json")))
                .getAsJsonObject());
        String dir = jjavaDir.toAbsolutePath().normalize().toString();
        assertEquals(List.of(JAVA, "-Dx=" + dir + "/cfg", "-jar", launcher.toAbsolutePath().normalize().toString(),
                "{connection_file}"), argv);
        assertTrue(Files.isRegularFile(Path.of(argv.get(3))), "the launcher the new spec names exists");
        assertTrue(argv.stream().noneMatch(a -> a.contains("{resource_dir}")), argv.toString());
        JsonObject env = done.spec().getAsJsonObject("env");
        assertEquals("-parameters", env.get("JJAVA_COMPILER_OPTS").getAsString(), "the spec's own environment is kept");
        assertEquals("/opt/extra.jar:/x.jar", env.get("JJAVA_CLASSPATH").getAsString(), "its class path, then the toolkit");
    }

    @Test
    void ijavaResourceDirIsResolvedToo() throws Exception {
        Path other = tmp.resolve("sys");
        writeSpec(other.resolve("kernels/ijava-custom"), "{resource_dir}/ijava-1.3.0.jar");
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(tmp.resolve("user")).classpath(List.of())
                .kernel(JavaKernel.IJAVA).searchPath(List.of(other)).build().install();
        assertEquals(other.resolve("kernels/ijava-custom/ijava-1.3.0.jar").toAbsolutePath().normalize().toString(),
                argv(done.spec()).get(2));
    }

    @Test
    void aShadedToolkitJarLeavesOutTheJarsItSwallowed() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("target/lib"));
        for (String name : List.of("gson-2.13.2.jar", "api-0.36.0.jar", "guava-33.0.0-jre.jar")) {
            Files.writeString(lib.resolve(name), "stale copy"); // as left by an older build
        }
        Path toolkit = tmp.resolve("target/neuromask-toolkit.jar");
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH,
                "lib/gson-2.13.2.jar lib/api-0.36.0.jar lib/guava-33.0.0-jre.jar lib/missing.jar");
        mf.getMainAttributes().putValue(ToolkitClasspath.SHADED_JARS_ATTRIBUTE, "lib/api-0.36.0.jar:lib/gson-2.13.2.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(toolkit), mf)) {
            out.putNextEntry(new java.util.jar.JarEntry("io/neuromask/shaded/gson/Gson.class"));
            out.closeEntry();
        }
        assertEquals(List.of(toolkit.toAbsolutePath(), lib.resolve("guava-33.0.0-jre.jar").toAbsolutePath()),
                ToolkitClasspath.of(List.of(toolkit)));
    }

    @Test
    void askingForAMissingKernelFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelInstaller.builder()
                .dataDir(tmp).classpath(List.of()).kernel(JavaKernel.IJAVA).searchPath(List.of(tmp)).build().install());
        assertTrue(e.getMessage().contains("no installed ijava kernelspec"), e.getMessage());
    }

    @Test
    void theKernelStartsWithTheAllocatorSettingsUnlessItsBaseSpecHasItsOwn() throws Exception {
        Path jar = Files.createFile(tmp.resolve("rapaio-jupyter-kernel-3.1.0.jar"));
        JsonObject rapaio = KernelInstaller.builder().dataDir(tmp.resolve("r")).classpath(List.of()).rapaioJar(jar)
                .searchPath(List.of()).build().install().spec();
        String tunables = rapaio.getAsJsonObject("env").get("GLIBC_TUNABLES").getAsString();
        assertTrue(io.neuromask.model.Devices.allocatorTuned(tunables), tunables);

        Path other = tmp.resolve("system");
        Path dir = other.resolve("kernels/ijava");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"/opt/ijava.jar\", "
                + "\"{connection_file}\"], \"display_name\": \"Java\", \"language\": \"java\", "
                + "\"env\": {\"GLIBC_TUNABLES\": \"glibc.malloc.arena_max=2\"}}");
        JsonObject ijava = KernelInstaller.builder().dataDir(tmp.resolve("user")).classpath(List.of())
                .searchPath(List.of(other)).build().install().spec();
        assertEquals("glibc.malloc.arena_max=2", ijava.getAsJsonObject("env").get("GLIBC_TUNABLES").getAsString(),
                "the base kernelspec's own value is kept");
    }

    private static void writeSpec(Path dir, String jar) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"" + jar
                + "\", \"{connection_file}\"], \"display_name\": \"Java\", \"language\": \"java\"}");
    }

    /** The java of the JDK that runs the tests (and so the installer). */
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath().toString();

    private static List<String> argv(JsonObject spec) {
        List<String> out = new ArrayList<>();
        spec.getAsJsonArray("argv").forEach(a -> out.add(a.getAsString()));
        return out;
    }
}
