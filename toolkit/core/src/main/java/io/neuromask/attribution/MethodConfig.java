package io.neuromask.attribution;

import io.neuromask.engine.MaskObjective;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to create a method ({@link Methods#create(String, io.neuromask.base.Classifier, MethodConfig)}): the model
 * inputs per forward pass, the seed, the name the method reports, a mask method's objective, and methods' own
 * settings by name ({@link MethodDescriptor#settings()}, e.g. RISE's {@code rise_masks}). Immutable; each
 * {@code with} method returns a copy.
 *
 * @param batchSize model inputs per forward pass, at least 1
 * @param seed seed of the methods that draw random numbers (mask methods, SmoothGrad, RISE)
 * @param label the name the method reports, null for its own
 * @param objective the objective of a mask method of the same name (or of {@code neuromask}, which takes any),
 *     null for the objective's preset at the model's input size
 * @param settings methods' own settings by name, as text; a method reads those it has
 */
public record MethodConfig(int batchSize, long seed, String label, MaskObjective<?> objective,
        Map<String, String> settings) {

    /** Checks the config. */
    public MethodConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        settings = Map.copyOf(settings == null ? Map.of() : settings);
    }

    /** Batch 64, seed 0, every method at its default. */
    public static MethodConfig defaults() {
        return new MethodConfig(ModelAttribution.DEFAULT_BATCH_SIZE, 0, null, null, Map.of());
    }

    public MethodConfig batchSize(int batchSize) {
        return new MethodConfig(batchSize, seed, label, objective, settings);
    }

    public MethodConfig seed(long seed) {
        return new MethodConfig(batchSize, seed, label, objective, settings);
    }

    public MethodConfig label(String label) {
        return new MethodConfig(batchSize, seed, label, objective, settings);
    }

    public MethodConfig objective(MaskObjective<?> objective) {
        return new MethodConfig(batchSize, seed, label, objective, settings);
    }

    /**
     * This config with a method's setting given, or removed when {@code value} is null.
     * {@link Methods#create(String, io.neuromask.base.Classifier, MethodConfig)} refuses a name no method has.
     */
    public MethodConfig with(String name, String value) {
        Objects.requireNonNull(name, "name");
        Map<String, String> m = new LinkedHashMap<>(settings);
        if (value == null) {
            m.remove(name);
        } else {
            m.put(name, value);
        }
        return new MethodConfig(batchSize, seed, label, objective, m);
    }

    /** The setting {@code name} as given, or null. */
    public String setting(String name) {
        return settings.get(name);
    }
}
