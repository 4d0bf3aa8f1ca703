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
        Path jar = Files.createFile(tmp.resolve("rapaio-jupyter-kernel-3.0.1.jar"));
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
        assertTrue(Files.isRegularFile(dir.resolve("rapaio-patch/org/rapaio/jupyter/kernel/channels/LoopThread.class")));
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
        assertEquals(List.of("java", "-jar", "/opt/ijava/ijava-1.3.0.jar", "{connection_file}"), argv(done.spec()));
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
    void askingForAMissingKernelFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelInstaller.builder()
                .dataDir(tmp).classpath(List.of()).kernel(JavaKernel.IJAVA).searchPath(List.of(tmp)).build().install());
        assertTrue(e.getMessage().contains("no installed ijava kernelspec"), e.getMessage());
    }

    private static void writeSpec(Path dir, String jar) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), "{\"argv\": [\"java\", \"-jar\", \"" + jar
                + "\", \"{connection_file}\"], \"display_name\": \"Java\", \"language\": \"java\"}");
    }

    private static List<String> argv(JsonObject spec) {
        List<String> out = new ArrayList<>();
        spec.getAsJsonArray("argv").forEach(a -> out.add(a.getAsString()));
        return out;
    }
}
