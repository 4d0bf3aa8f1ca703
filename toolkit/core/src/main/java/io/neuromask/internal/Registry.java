package io.neuromask.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Plug-ins of one kind by name: the built-ins, then those {@link ServiceLoader} finds, then those registered at run
 * time, each name once (the first wins). The objectives, the attribution methods and the metrics are registries of
 * this shape.
 *
 * @param <T> the service type
 */
public final class Registry<T> {

    private final String kind;
    private final Class<T> service;
    private final Function<T, String> nameOf;
    private final Supplier<List<T>> builtIns;
    private final Map<String, T> registered = new LinkedHashMap<>();
    private List<T> loaded;

    /**
     * @param kind what the plug-ins are, in messages ({@code objective}, {@code method})
     * @param builtIns the built-ins, asked on every {@link #all()} (they may depend on another registry)
     */
    public Registry(String kind, Class<T> service, Function<T, String> nameOf, Supplier<List<T>> builtIns) {
        this.kind = kind;
        this.service = service;
        this.nameOf = nameOf;
        this.builtIns = builtIns;
    }

    /** Every plug-in: built-ins, service-loaded, registered; each name once. */
    public synchronized List<T> all() {
        Map<String, T> all = new LinkedHashMap<>();
        for (T t : builtIns.get()) {
            all.putIfAbsent(nameOf.apply(t), t);
        }
        for (T t : loaded()) {
            all.putIfAbsent(nameOf.apply(t), t);
        }
        registered.forEach(all::putIfAbsent);
        return List.copyOf(all.values());
    }

    /** The names of {@link #all()}, in order. */
    public List<String> names() {
        return all().stream().map(nameOf).toList();
    }

    /**
     * The plug-in {@code name} (case-insensitive, trimmed).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public T get(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (T t : all()) {
            if (nameOf.apply(t).equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; choose from "
                + String.join(", ", names()));
    }

    /**
     * Adds a plug-in for the rest of this JVM's life.
     *
     * @throws IllegalArgumentException when its name is not a valid name or is taken
     */
    public synchronized void register(T plugin) {
        Objects.requireNonNull(plugin, kind);
        check(plugin);
        if (names().contains(nameOf.apply(plugin))) {
            throw new IllegalArgumentException(kind + " name " + nameOf.apply(plugin) + " is registered already; "
                    + "choose another name");
        }
        registered.put(nameOf.apply(plugin), plugin);
    }

    private void check(T plugin) {
        String n = nameOf.apply(plugin);
        if (n == null || n.isBlank() || !n.equals(n.trim().toLowerCase(Locale.ROOT)) || n.contains(":")
                || n.contains(",") || n.contains(" ")) {
            throw new IllegalArgumentException(kind + " name '" + n + "' of " + plugin.getClass().getName()
                    + " must be lower case, without spaces, ':' or ','");
        }
    }

    private synchronized List<T> loaded() {
        if (loaded == null) {
            List<T> found = load(service);
            for (T t : found) {
                try {
                    check(t);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(kind + " plug-in " + t.getClass().getName() + ": " + e.getMessage(),
                            e);
                }
            }
            loaded = found;
        }
        return loaded;
    }

    /**
     * The providers of {@code service} that {@link ServiceLoader} finds from this module (providers of modules on
     * the module path, {@code META-INF/services} files on the class path) and from the thread's context class loader
     * (e.g. a notebook kernel's), each class once.
     *
     * @throws IllegalStateException naming the services file when a provider cannot be loaded
     */
    public static <T> List<T> load(Class<T> service) {
        Map<String, T> byClass = new LinkedHashMap<>();
        try {
            for (T t : ServiceLoader.load(service)) {
                byClass.putIfAbsent(t.getClass().getName(), t);
            }
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != service.getClassLoader()) {
                for (T t : ServiceLoader.load(service, context)) {
                    byClass.putIfAbsent(t.getClass().getName(), t);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a plug-in of " + service.getName() + " (META-INF/services/"
                    + service.getName() + " or a module's provides clause) cannot be loaded: " + e.getMessage()
                    + "; fix or remove it", e);
        }
        return List.copyOf(new ArrayList<>(byClass.values()));
    }
}
