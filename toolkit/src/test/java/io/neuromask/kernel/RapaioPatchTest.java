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

/** The compiled patch must be a drop-in replacement whose loop always runs. */
class RapaioPatchTest {

    @TempDir
    Path tmp;

    @Test
    void patchedLoopThreadAlwaysRunsItsBody() throws Exception {
        Path classes = RapaioPatch.compile(tmp.resolve("patch"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> type = loader.loadClass(RapaioPatch.CLASS_NAME);
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
        Path classes = RapaioPatch.compile(tmp.resolve("patch"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> type = loader.loadClass(RapaioPatch.CLASS_NAME);
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
    void patchedClassHasTheOriginalPublicApi() throws Exception {
        Path original = ToolkitClasspath.rapaioJar().orElseThrow(() ->
                new AssertionError("toolkit/target/kernel/rapaio-jupyter-kernel-*.jar missing: run mvn with the toolkit pom"));
        Path classes = RapaioPatch.compile(tmp.resolve("patch"));
        try (URLClassLoader a = new URLClassLoader(new URL[] {original.toUri().toURL()}, null);
                URLClassLoader b = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertEquals(api(a.loadClass(RapaioPatch.CLASS_NAME)), api(b.loadClass(RapaioPatch.CLASS_NAME)));
        }
    }

    private static TreeSet<String> api(Class<?> c) {
        TreeSet<String> out = new TreeSet<>();
        out.add("modifiers " + Modifier.toString(c.getModifiers()) + " extends " + c.getSuperclass().getName());
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            out.add(Modifier.toString(k.getModifiers()) + " " + k.toGenericString());
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!m.isSynthetic() && !Modifier.isPrivate(m.getModifiers())) {
                out.add(m.toGenericString());
            }
        }
        return out;
    }
}
