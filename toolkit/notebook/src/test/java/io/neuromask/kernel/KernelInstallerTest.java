package io.neuromask.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        Path dir = tmp.resolve("data/kernels/neuromask-java");
        assertEquals(dir, done.directory());
        assertTrue(KernelInstaller.writtenByUs(spec(dir)), "the spec carries the marker");
        assertEquals("neuromask kernel install", spec(dir).getAsJsonObject("metadata").getAsJsonObject("neuromask")
                .get("installer").getAsString());
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

    /** IJava 1.3.0 as its install.py leaves it under its default name, {@code java}: spec, jar, logo. */
    private static Map<Path, byte[]> ijavaAsInstalled(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path jar = Files.writeString(dir.resolve("ijava-1.3.0.jar"), "IJava's fat jar");
        Files.writeString(dir.resolve("logo-64x64.png"), "png");
        Files.writeString(dir.resolve("kernel.json"), "{\n  \"argv\": [\n    \"java\",\n    \"-jar\",\n    \""
                + jar.toAbsolutePath() + "\",\n    \"{connection_file}\"\n  ],\n  \"display_name\": \"Java\",\n  "
                + "\"env\": {\"IJAVA_CLASSPATH\": \"/home/me/my.jar\"},\n  \"interrupt_mode\": \"message\",\n  "
                + "\"language\": \"java\"\n}\n");
        return contents(dir);
    }

    /** Every file under {@code dir} by relative path, with its bytes. */
    private static Map<Path, byte[]> contents(Path dir) throws Exception {
        Map<Path, byte[]> out = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertSameFiles(Map<Path, byte[]> expected, Map<Path, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), what + ": " + k));
    }

    private static JsonObject spec(Path dir) throws Exception {
        return JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
    }

    private KernelInstaller.Builder rapaio(Path data) throws Exception {
        Path jar = tmp.resolve("rapaio-jupyter-kernel-3.1.0.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        return KernelInstaller.builder().dataDir(data).classpath(List.of(Path.of("/x.jar"))).rapaioJar(jar)
                .kernel(JavaKernel.RAPAIO).searchPath(List.of());
    }

    @Test
    void aKernelspecItDidNotWriteIsRefusedAndLeftByteIdentical() throws Exception {
        Path data = tmp.resolve("data");
        Path java = data.resolve("kernels/java");
        Map<Path, byte[]> before = ijavaAsInstalled(java);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> rapaio(data).name("java").build().install());
        String m = e.getMessage();
        assertTrue(m.startsWith("kernelspec 'java' (" + java + ") was not written by neuromask kernel install: its "
                + "kernel.json has no \"metadata\": {\"neuromask\": …} (display name \"Java\", runs ijava-1.3.0.jar). "
                + "It is left as it is."), m);
        assertTrue(m.contains("Install under another name with --name NAME (the notebooks ask for 'neuromask-java'), "
                + "or replace it with --force, which first copies it to " + data.resolve("kernels/java.bak")), m);
        assertSameFiles(before, contents(java), "the refused spec");
        assertEquals(List.of("java"), kernelNames(data), "no backup, no other folder");

        // JJava writes an empty metadata object; a folder with something else but no spec; a spec that is not JSON
        Path jjava = data.resolve("kernels/jjava");
        Files.createDirectories(jjava);
        Files.writeString(jjava.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"{resource_dir}/jjava-launcher"
                + ".jar\", \"{connection_file}\"], \"display_name\": \"Java\", \"metadata\": {}}");
        Path notes = Files.createDirectories(data.resolve("kernels/notes"));
        Files.writeString(notes.resolve("todo.txt"), "mine");
        Path broken = Files.createDirectories(data.resolve("kernels/broken"));
        Files.writeString(broken.resolve("kernel.json"), "{\"argv\": [");
        for (Path dir : List.of(jjava, notes, broken)) {
            Map<Path, byte[]> was = contents(dir);
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> rapaio(data).name(dir.getFileName().toString()).build().install());
            assertTrue(refused.getMessage().contains("--force"), refused.getMessage());
            assertSameFiles(was, contents(dir), dir.toString());
        }
        assertEquals(List.of("broken", "java", "jjava", "notes"), kernelNames(data));
    }

    @Test
    void forceKeepsABackupOfTheFolderAndWritesOurs() throws Exception {
        Path data = tmp.resolve("data");
        Path java = data.resolve("kernels/java");
        Map<Path, byte[]> ijava = ijavaAsInstalled(java);
        // IJava is the kernel found (in the very folder replaced): the new spec runs its jar, which stays in place
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(data).name("java").force(true)
                .classpath(List.of(Path.of("/x.jar"))).searchPath(List.of(data)).build().install();
        assertEquals(data.resolve("kernels/java.bak"), done.backup());
        assertSameFiles(ijava, contents(done.backup()), "the backup is the whole former folder");
        assertEquals(JavaKernel.IJAVA, done.kernel());
        JsonObject ours = spec(java);
        assertTrue(KernelInstaller.writtenByUs(ours));
        assertEquals(java.resolve("ijava-1.3.0.jar").toAbsolutePath().toString(), argv(ours).get(2));
        assertTrue(Files.isRegularFile(java.resolve("ijava-1.3.0.jar")), "the jar the spec runs is still there");
        assertEquals("/home/me/my.jar:/x.jar", ours.getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString());

        // replaced by a foreign spec again: the next backup takes a fresh name, the first one stays as it was
        Files.writeString(java.resolve("kernel.json"), "{\"argv\": [\"python3\"], \"display_name\": \"Other\"}");
        Map<Path, byte[]> other = contents(java);
        KernelInstaller.Installed again = rapaio(data).name("java").force(true).build().install();
        assertEquals(data.resolve("kernels/java.bak.2"), again.backup());
        assertSameFiles(other, contents(again.backup()), "the second backup");
        assertSameFiles(ijava, contents(data.resolve("kernels/java.bak")), "the first backup is never replaced");
        assertTrue(KernelInstaller.writtenByUs(spec(java)));

        // our own spec needs no force and leaves no backup
        KernelInstaller.Installed third = rapaio(data).name("java").build().install();
        assertNull(third.backup());
        assertEquals(List.of("java", "java.bak", "java.bak.2"), kernelNames(data));
    }

    @Test
    void aReinstallGivesTheSameSpecNotAnAppendedClassPath() throws Exception {
        // IJava installed system-wide, ours in the user's data dir, which is searched first (as Jupyter does)
        Path system = tmp.resolve("system");
        writeSpec(system.resolve("kernels/ijava"), "/opt/ijava-1.3.0.jar");
        Path data = tmp.resolve("user");
        List<Path> cp = List.of(Path.of("/a/toolkit.jar"), Path.of("/b/lib.jar"));
        KernelInstaller installer = KernelInstaller.builder().dataDir(data).name("java").classpath(cp)
                .searchPath(List.of(data, system)).build();
        JsonObject first = installer.install().spec();
        byte[] firstBytes = Files.readAllBytes(data.resolve("kernels/java/kernel.json"));
        JsonObject second = installer.install().spec();
        JsonObject third = installer.install().spec();
        assertEquals("/a/toolkit.jar:/b/lib.jar", third.getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString());
        assertEquals(first, second);
        assertEquals(first, third);
        assertArrayEquals(firstBytes, Files.readAllBytes(data.resolve("kernels/java/kernel.json")));
        assertEquals(system.resolve("kernels/ijava/kernel.json").toString(),
                third.getAsJsonObject("metadata").getAsJsonObject("neuromask").get("based_on").getAsString(),
                "built on IJava's spec, never on its own");

        // rapaio: the same
        JsonObject r1 = rapaio(tmp.resolve("r")).build().install().spec();
        JsonObject r2 = rapaio(tmp.resolve("r")).build().install().spec();
        assertEquals(r1, r2);
        assertEquals("/x.jar", r2.getAsJsonObject("env").get("RJK_CLASSPATH").getAsString());

        // a spec an earlier toolkit wrote (its marker without "installer") is ours too
        Path old = tmp.resolve("old/kernels/java");
        Files.createDirectories(old);
        Files.writeString(old.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"/opt/ijava-1.3.0.jar\"], "
                + "\"env\": {\"IJAVA_CLASSPATH\": \"/stale.jar\"}, \"metadata\": {\"neuromask\": {\"kernel\": \"ijava\"}}}");
        KernelInstaller.Installed upgraded = KernelInstaller.builder().dataDir(tmp.resolve("old")).name("java")
                .classpath(cp).searchPath(List.of(tmp.resolve("old"), system)).build().install();
        assertNull(upgraded.backup());
        assertEquals("/a/toolkit.jar:/b/lib.jar",
                upgraded.spec().getAsJsonObject("env").get("IJAVA_CLASSPATH").getAsString());
    }

    @Test
    void anotherNameInstallsBesideAForeignSpec() throws Exception {
        Path data = tmp.resolve("data");
        Path java = data.resolve("kernels/java");
        Map<Path, byte[]> ijava = ijavaAsInstalled(java);
        KernelInstaller.Installed done = KernelInstaller.builder().dataDir(data).name("java-toolkit")
                .classpath(List.of(Path.of("/x.jar"))).searchPath(List.of(data)).build().install();
        assertEquals(data.resolve("kernels/java-toolkit"), done.directory());
        assertNull(done.backup());
        assertEquals(JavaKernel.IJAVA, done.kernel(), "built on the IJava it left alone");
        assertSameFiles(ijava, contents(java), "IJava's spec");
        assertEquals(List.of("java", "java-toolkit"), kernelNames(data));
        // the default name is not IJava's and JJava's
        assertEquals("neuromask-java", KernelInstaller.DEFAULT_NAME);
        assertEquals(data.resolve("kernels/neuromask-java"), KernelInstaller.builder().dataDir(data)
                .classpath(List.of()).searchPath(List.of(data)).build().install().directory());
        assertSameFiles(ijava, contents(java), "IJava's spec");
    }

    private static List<String> kernelNames(Path data) throws Exception {
        try (var list = Files.list(data.resolve("kernels"))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
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
