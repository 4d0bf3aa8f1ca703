package io.neuromask.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reflection helpers shared by the kernel adapters. */
final class Reflect {

    private Reflect() {}

    /** Finds a class visible to the toolkit, the context class loader or the system class loader. */
    static Class<?> find(String name) {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        if (Thread.currentThread().getContextClassLoader() != null) {
            loaders.add(Thread.currentThread().getContextClassLoader());
        }
        loaders.add(Reflect.class.getClassLoader());
        loaders.add(ClassLoader.getSystemClassLoader());
        for (ClassLoader l : loaders) {
            try {
                return Class.forName(name, false, l);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }

    /** The public method of {@code type} with this name and parameter count (first match). */
    static Method method(Class<?> type, String name, int parameters) {
        List<Method> found = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == parameters) {
                found.add(m);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException(type.getName() + " has no public method " + name + " with "
                    + parameters + " parameters");
        }
        return found.get(0);
    }

    static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(m + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m, e);
        }
    }
}
