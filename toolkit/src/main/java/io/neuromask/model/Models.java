package io.neuromask.model;

import ai.djl.Device;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads classifiers by name. Built-in test models:
 * <ul>
 *   <li>{@code test-planted-32}, {@code test-planted-224}: {@link PlantedEvidence} models;</li>
 *   <li>{@code test-cnn32}: a seeded random {@link TinyCnn}.</li>
 * </ul>
 */
public final class Models {

    private static final Map<String, Function<Device, Classifier>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("test-planted-32", d -> PlantedEvidence.model(32, d));
        BUILT_IN.put("test-planted-224", d -> PlantedEvidence.model(224, d));
        BUILT_IN.put("test-cnn32", d -> TinyCnn.model(0, d));
    }

    private Models() {}

    /**
     * Loads a model.
     *
     * @param name a registered name
     * @param device where to run; {@code null} for the default (GPU when present)
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Classifier load(String name, Device device) {
        Function<Device, Classifier> factory = BUILT_IN.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                    + String.join(", ", BUILT_IN.keySet()));
        }
        return factory.apply(device);
    }

    /** The registered names. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(BUILT_IN.keySet());
    }
}
