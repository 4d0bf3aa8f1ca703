package io.neuromask;

import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.base.Classifier;
import io.neuromask.internal.Registry;
import io.neuromask.engine.extremal.ExtremalPerturbation;
import io.neuromask.engine.meaningful.MeaningfulPerturbation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The registry of objectives: NeuroMask, meaningful and extremal perturbation, then those found by
 * {@link java.util.ServiceLoader} (see {@link ObjectiveDescriptor}), then those {@link #register registered} at run time.
 * Everything that chooses an objective by name asks here.
 *
 * <pre>{@code
 * MaskObjective o = Objectives.presetFor("extremal", model);   // EXTREMAL_CIFAR10 for a 32-pixel model
 * }</pre>
 */
public final class Objectives {

    /** The objective of commands and methods that are given none: {@code neuromask}. */
    public static final String DEFAULT = NeuroMaskObjective.NAME;

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

    private static final Registry<ObjectiveDescriptor> REGISTRY = new Registry<>("objective",
            ObjectiveDescriptor.class, ObjectiveDescriptor::name, () -> BUILT_IN);

    /** Every objective, built-in first, then service-loaded, then registered, each name once. */
    public static List<ObjectiveDescriptor> all() {
        return REGISTRY.all();
    }

    /** The objectives' names, in {@link #all()}'s order. */
    public static List<String> names() {
        return REGISTRY.names();
    }

    /**
     * The objective {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ObjectiveDescriptor get(String name) {
        return REGISTRY.get(name);
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
    public static void register(ObjectiveDescriptor descriptor) {
        REGISTRY.register(descriptor);
    }
}
