package io.neuromask.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled patch must be a drop-in replacement whose channel loops always run and whose cell executor
 * survives an interrupt.
 */
class RapaioPatchTest {

    private static final String LOOP_THREAD = "org.rapaio.jupyter.kernel.channels.LoopThread";
    private static final String EXECUTION_CONTROL = "org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl";
    private static final String KERNEL_INFO_REPLY = "org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply";
    private static final String EXECUTE_RESULT = "org.rapaio.jupyter.kernel.message.messages.IOPubExecuteResult";
    private static final String DISPLAY_DATA = "org.rapaio.jupyter.kernel.message.messages.IOPubDisplayData";

    @TempDir
    Path tmp;

    @Test
    void patchedLoopThreadAlwaysRunsItsBody() throws Exception {
        Path classes = RapaioPatch.write(tmp.resolve("patch"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> type = loader.loadClass(LOOP_THREAD);
            Constructor<?> ctor = type.getConstructor(String.class, long.class, Runnable.class);
            Method shutdown = type.getMethod("shutdown");
            int starts = 500;
            CountDownLatch ran = new CountDownLatch(starts);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                boolean[] counted = {false};
                Thread t = (Thread) ctor.newInstance("loop-" + i, 1L, (Runnable) () -> {
                    if (!counted[0]) {
                        counted[0] = true;
                        ran.countDown();
                    }
                });
                t.start();
                threads.add(t);
            }
            boolean all = ran.await(20, TimeUnit.SECONDS);
            for (Thread t : threads) {
                shutdown.invoke(t);
            }
            for (Thread t : threads) {
                t.join(2000);
            }
            assertTrue(all, (starts - ran.getCount()) + " of " + starts + " loops ran their body");
        }
    }

    @Test
    void loopSurvivesAnExceptionFromItsBody() throws Exception {
        Path classes = RapaioPatch.write(tmp.resolve("patch"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> type = loader.loadClass(LOOP_THREAD);
            CountDownLatch thirdCall = new CountDownLatch(3);
            Thread t = (Thread) type.getConstructor(String.class, long.class, Runnable.class).newInstance("shell", 1L,
                    (Runnable) () -> {
                        thirdCall.countDown();
                        if (thirdCall.getCount() == 2) {
                            throw new NullPointerException("handlers is null"); // rapaio's early-message race
                        }
                    });
            t.start();
            boolean survived = thirdCall.await(10, TimeUnit.SECONDS);
            type.getMethod("shutdown").invoke(t);
            t.join(2000);
            assertTrue(survived, "the loop kept running after its body threw");
        }
    }

    @Test
    void patchedClassesHaveTheOriginalPublicApi() throws Exception {
        Path classes = RapaioPatch.write(tmp.resolve("patch"));
        assertEquals(List.of(LOOP_THREAD, EXECUTION_CONTROL, KERNEL_INFO_REPLY, EXECUTE_RESULT, DISPLAY_DATA),
                RapaioPatch.CLASS_NAMES);
        // The patch folder comes first, as on the kernel's -cp; the jar supplies the classes the patch uses.
        try (URLClassLoader a = new URLClassLoader(new URL[] {originalJar().toUri().toURL()}, jshellLoader());
                URLClassLoader b = new URLClassLoader(new URL[] {classes.toUri().toURL(), originalJar().toUri().toURL()},
                        jshellLoader())) {
            for (String name : RapaioPatch.CLASS_NAMES) {
                Class<?> patched = b.loadClass(name);
                assertEquals(classes.toUri().toURL(), patched.getProtectionDomain().getCodeSource().getLocation(),
                        name + " comes from the patch");
                TreeSet<String> added = api(patched);
                added.removeAll(api(a.loadClass(name)));
                TreeSet<String> removed = api(a.loadClass(name));
                removed.removeAll(api(patched));
                assertEquals(new TreeSet<String>(), removed, name + ": the patch keeps every original member");
                // Only the kernel_info reply grows: a status component (accessor and canonical constructor).
                assertEquals(name.equals(KERNEL_INFO_REPLY) ? new TreeSet<>(List.of(
                        "public java.lang.String status[] throws []",
                        "public public org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply(java.lang.String,"
                                + "java.lang.String,java.lang.String,org.rapaio.jupyter.kernel.core.LanguageInfo,"
                                + "java.lang.String,java.util.List<org.rapaio.jupyter.kernel.core.LanguageInfo$Help>,"
                                + "java.lang.String)")) : new TreeSet<String>(), added, name + ": members the patch adds");
            }
        }
    }

    @Test
    void patchedMessagesCarryStatusAndTextPlain() throws Exception {
        Path classes = RapaioPatch.write(tmp.resolve("patch"));
        try (URLClassLoader original = new URLClassLoader(new URL[] {originalJar().toUri().toURL()}, jshellLoader());
                URLClassLoader patched = new URLClassLoader(new URL[] {classes.toUri().toURL(),
                        originalJar().toUri().toURL()}, jshellLoader())) {
            assertEquals("{\"text/html\":\"42\"}", executeResultData(original, "text/html", "42"),
                    "3.0.1 sends a value as text/html only");
            assertEquals("{\"text/html\":\"42\",\"text/plain\":\"42\"}", executeResultData(patched, "text/html", "42"));
            assertEquals("{\"text/html\":\"<b>a &lt; b</b>\",\"text/plain\":\"a < b\"}",
                    executeResultData(patched, "text/html", "<b>a &lt; b</b>"));
            assertEquals("{\"text/plain\":\"x\"}", executeResultData(patched, "text/plain", "x"), "text/plain kept");
            assertTrue(!kernelInfoJson(original).contains("\"status\""), "3.0.1's kernel_info_reply has no status");
            assertTrue(kernelInfoJson(patched).contains("\"status\":\"ok\""), kernelInfoJson(patched));
            assertTrue(kernelInfoJson(patched).contains("\"protocol_version\":\"5.3\""), kernelInfoJson(patched));
        }
    }

    /** The data of an execute_result built from a one-entry DisplayData, as rapaio's Gson writes it. */
    private static String executeResultData(ClassLoader loader, String mime, String value) throws Exception {
        Class<?> displayData = loader.loadClass("org.rapaio.jupyter.kernel.display.DisplayData");
        Object dd = displayData.getMethod("withType", String.class, String.class).invoke(null, mime, value);
        Object result = loader.loadClass(EXECUTE_RESULT).getConstructor(int.class, displayData).newInstance(1, dd);
        Object data = displayData.getMethod("data").invoke(result);
        return toJson(loader, new java.util.TreeMap<>((java.util.Map<?, ?>) data));
    }

    private static String kernelInfoJson(ClassLoader loader) throws Exception {
        Class<?> languageInfo = loader.loadClass("org.rapaio.jupyter.kernel.core.LanguageInfo");
        Object reply = loader.loadClass(KERNEL_INFO_REPLY).getConstructor(String.class, String.class, String.class,
                languageInfo, String.class, List.class).newInstance("5.3", "rapaio", "3.0.1",
                languageInfo.getMethod("kernelLanguageInfo").invoke(null), "banner", List.of());
        return toJson(loader, reply);
    }

    /** rapaio's own (relocated) Gson, as its channels use it, with HTML escaping off for readable asserts. */
    private static String toJson(ClassLoader loader, Object value) throws Exception {
        Class<?> builder = loader.loadClass("org.rapaio.shaded.com.google.gson.GsonBuilder");
        Object b = builder.getConstructor().newInstance();
        b = builder.getMethod("disableHtmlEscaping").invoke(b);
        Object gson = builder.getMethod("create").invoke(b);
        return (String) gson.getClass().getMethod("toJson", Object.class).invoke(gson, value);
    }

    @Test
    void patchedExecutionControlReportsAnInterruptAndRunsTheNextCell() throws Exception {
        Path classes = RapaioPatch.write(tmp.resolve("patch"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, jshellLoader())) {
            Cell cell = interruptThenRunNext(loader.loadClass(EXECUTION_CONTROL));
            assertEquals("## Interrupted Marker ##", cell.interrupted(), "the interrupted cell reports the interrupt");
            assertEquals("42", cell.next(), "the cell after the interrupt runs and returns its value");
        }
    }

    @Test
    void originalExecutionControlRunsNoCellAfterAnInterrupt() throws Exception {
        // Shows the defect the patch fixes: the original shuts its executor down on stop().
        try (URLClassLoader loader = new URLClassLoader(new URL[] {originalJar().toUri().toURL()}, jshellLoader())) {
            Cell cell = interruptThenRunNext(loader.loadClass(EXECUTION_CONTROL));
            assertTrue(!"42".equals(cell.next()), "rapaio 3.0.1 ran the next cell: " + cell);
        }
    }

    /** What an interrupted cell threw (its exception class name as JShell sees it) and what the next cell gave. */
    private record Cell(String interrupted, String next) {}

    private static Cell interruptThenRunNext(Class<?> type) throws Exception {
        Object control = type.getConstructor(long.class).newInstance(-1L);
        Method invoke = type.getDeclaredMethod("invoke", Method.class);
        invoke.setAccessible(true);
        Method takeResult = type.getMethod("takeResult", String.class);
        Method block = RapaioPatchTest.class.getDeclaredMethod("blockUntilInterrupted");
        Method answer = RapaioPatchTest.class.getDeclaredMethod("answer");
        block.setAccessible(true); // the executor invokes them reflectively, like JShell's wrapper methods
        answer.setAccessible(true);
        String[] interrupted = {null};
        Thread shell = new Thread(() -> interrupted[0] = thrownBy(invoke, control, block));
        BLOCKED.set(new CountDownLatch(1));
        shell.start();
        assertTrue(BLOCKED.get().await(10, TimeUnit.SECONDS), "the blocking cell started: " + interrupted[0]);
        type.getMethod("interrupt").invoke(control); // what JavaEngine.interrupt() calls, in this order
        type.getMethod("stop").invoke(control);
        shell.join(10_000);
        assertTrue(!shell.isAlive(), "the interrupted cell returned");
        String next;
        try {
            next = String.valueOf(takeResult.invoke(control, (String) invoke.invoke(control, answer)));
        } catch (java.lang.reflect.InvocationTargetException e) {
            next = "threw " + e.getCause();
        }
        return new Cell(interrupted[0], next);
    }

    private static String thrownBy(Method invoke, Object control, Method cell) {
        try {
            invoke.invoke(control, cell);
            return "returned normally";
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable t = e.getCause();
            return t instanceof jdk.jshell.spi.ExecutionControl.UserException u ? u.causeExceptionClass() : t.toString();
        } catch (ReflectiveOperationException e) {
            return e.toString();
        }
    }

    private static final java.util.concurrent.atomic.AtomicReference<CountDownLatch> BLOCKED =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** A cell that runs until its thread is interrupted. */
    public static Object blockUntilInterrupted() throws InterruptedException {
        BLOCKED.get().countDown();
        Thread.sleep(60_000);
        return "not interrupted";
    }

    /** A quick cell. */
    public static Object answer() {
        return 42;
    }

    private static Path originalJar() {
        return ToolkitClasspath.rapaioJar().orElseThrow(() ->
                new AssertionError("toolkit/notebook/target/kernel/rapaio-jupyter-kernel-*.jar missing: run mvn with the notebook pom"));
    }

    /** jdk.jshell lives in the application class loader; the rapaio classes are not on the test class path. */
    private static ClassLoader jshellLoader() {
        return ClassLoader.getSystemClassLoader();
    }

    /** Constructors, public methods (inherited ones too) and protected methods, by signature. */
    private static TreeSet<String> api(Class<?> c) {
        TreeSet<String> out = new TreeSet<>();
        out.add("modifiers " + Modifier.toString(c.getModifiers()) + " extends " + c.getSuperclass().getName());
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (!Modifier.isPrivate(k.getModifiers())) {
                out.add(Modifier.toString(k.getModifiers()) + " " + k.toGenericString());
            }
        }
        List<Method> methods = new ArrayList<>(List.of(c.getMethods()));
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isProtected(m.getModifiers())) {
                methods.add(m);
            }
        }
        for (Method m : methods) {
            if (!m.isSynthetic()) {
                out.add((Modifier.isStatic(m.getModifiers()) ? "static " : "")
                        + (Modifier.isProtected(m.getModifiers()) ? "protected " : "public ")
                        + m.getGenericReturnType().getTypeName() + " " + m.getName()
                        + java.util.Arrays.toString(m.getGenericParameterTypes())
                        + " throws " + java.util.Arrays.toString(m.getGenericExceptionTypes()));
            }
        }
        return out;
    }
}
