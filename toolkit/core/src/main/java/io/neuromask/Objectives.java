package io.neuromask;

import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.base.Classifier;
import io.neuromask.engine.extremal.ExtremalPerturbation;
import io.neuromask.engine.meaningful.MeaningfulPerturbation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.BiFunction;

/**
 * The registry of objectives: NeuroMask, meaningful and extremal perturbation, then those found by
 * {@link ServiceLoader} (see {@link ObjectiveDescriptor}), then those {@link #register registered} at run time.
 * Everything that chooses an objective by name asks here.
 *
 * <pre>{@code
 * MaskObjective o = Objectives.presetFor("extremal", model);   // EXTREMAL_CIFAR10 for a 32-pixel model
 * }</pre>
 */
public final class Objectives {

    /** The objective of commands and methods that are given none: {@code neuromask}. */
    public static final String DEFAULT = NeuroMaskObjective.NAME;

    private static final Map<String, ObjectiveDescriptor> REGISTERED = new LinkedHashMap<>();
    private static List<ObjectiveDescriptor> loaded;

    private Objectives() {}

    private static ObjectiveDescriptor builtIn(String name, String description,
            BiFunction<Integer, Integer, MaskObjective<?>> preset) {
        return new ObjectiveDescriptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public MaskObjective<?> preset(int inputHeight, int inputWidth) {
                return preset.apply(inputHeight, inputWidth);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static boolean small(int height, int width) {
        return Math.max(height, width) <= 64;
    }

    private static final List<ObjectiveDescriptor> BUILT_IN = List.of(
            builtIn(NeuroMaskObjective.NAME, "NeuroMask (Alzantot et al. 2019), the paper's presets",
                    (h, w) -> (small(h, w) ? Preset.PAPER_CIFAR10 : Preset.PAPER_IMAGENET).objective()),
            builtIn(MeaningfulPerturbation.NAME, "meaningful perturbation (Fong & Vedaldi, ICCV 2017)",
                    (h, w) -> (small(h, w) ? Preset.MEANINGFUL_CIFAR10 : Preset.MEANINGFUL_IMAGENET).objective()),
            builtIn(ExtremalPerturbation.NAME, "extremal perturbation (Fong, Patrick & Vedaldi, ICCV 2019), TorchRay's defaults",
                    (h, w) -> (small(h, w) ? Preset.EXTREMAL_CIFAR10 : Preset.EXTREMAL_IMAGENET).objective()));

    /** Every objective, built-in first, then service-loaded, then registered, each name once. */
    public static synchronized List<ObjectiveDescriptor> all() {
        Map<String, ObjectiveDescriptor> all = new LinkedHashMap<>();
        for (ObjectiveDescriptor d : BUILT_IN) {
            all.put(d.name(), d);
        }
        for (ObjectiveDescriptor d : serviceLoaded()) {
            all.putIfAbsent(d.name(), d);
        }
        REGISTERED.forEach(all::putIfAbsent);
        return List.copyOf(all.values());
    }

    /** The objectives' names, in {@link #all()}'s order. */
    public static List<String> names() {
        return all().stream().map(ObjectiveDescriptor::name).toList();
    }

    /**
     * The objective {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ObjectiveDescriptor get(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (ObjectiveDescriptor d : all()) {
            if (d.name().equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown objective '" + name + "'; choose " + String.join(", ", names()));
    }

    /** Whether {@code name} is a registered objective. */
    public static boolean contains(String name) {
        return name != null && names().contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /** The preset of objective {@code name} for the model's input size ({@link ObjectiveDescriptor#preset}). */
    public static MaskObjective<?> presetFor(String name, Classifier model) {
        return get(name).preset(model.inputHeight(), model.inputWidth());
    }

    /**
     * Adds an objective at run time, e.g. from a notebook.
     *
     * @throws IllegalArgumentException when its name is taken or not lower case
     */
    public static synchronized void register(ObjectiveDescriptor descriptor) {
        Objects.requireNonNull(descriptor, "descriptor");
        check(descriptor);
        for (ObjectiveDescriptor d : all()) {
            if (d.name().equals(descriptor.name())) {
                throw new IllegalArgumentException("an objective named " + descriptor.name() + " is registered "
                        + "already; choose another name");
            }
        }
        REGISTERED.put(descriptor.name(), descriptor);
    }

    private static void check(ObjectiveDescriptor d) {
        String n = d.name();
        if (n == null || n.isBlank() || !n.equals(n.trim().toLowerCase(Locale.ROOT)) || n.contains(":")
                || n.contains(",")) {
            throw new IllegalArgumentException("objective name '" + n + "' of " + d.getClass().getName()
                    + " must be lower case, without spaces, ':' or ','");
        }
    }

    private static List<ObjectiveDescriptor> serviceLoaded() {
        if (loaded == null) {
            List<ObjectiveDescriptor> found = new ArrayList<>();
            try {
                for (ObjectiveDescriptor d : ServiceLoader.load(ObjectiveDescriptor.class)) {
                    check(d);
                    found.add(d);
                }
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("cannot load an objective plug-in: " + e.getMessage()
                        + "; check the META-INF/services/io.neuromask.engine.ObjectiveDescriptor files on the class path", e);
            }
            loaded = List.copyOf(found);
        }
        return loaded;
    }
}
