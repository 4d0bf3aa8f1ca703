package io.neuromask.engine;

import java.util.List;

/**
 * An objective as a plug-in: its name, a one-line description, and its preset for an input size. The registry
 * ({@code io.neuromask.Objectives}) holds the built-in three and finds others with {@link java.util.ServiceLoader} (a line naming
 * the implementing class in {@code META-INF/services/io.neuromask.engine.ObjectiveDescriptor}, or {@code provides} in a
 * module), so that a new objective reaches the engine, the attribution methods ({@code Methods}: a mask method of
 * the same name), the CLI's {@code --objective}, {@code --set} and named options, {@code evaluate} and its
 * {@code --resume}, sweeps and the Spark job with no edit to the toolkit.
 *
 * <p>An implementation needs a public no-argument constructor.
 */
public interface ObjectiveDescriptor {

    /** The objective's name, as {@link MaskObjective#name()} and {@code --objective} spell it: lower case. */
    String name();

    /** One line for help and tables, e.g. "NeuroMask (Alzantot et al. 2019)". */
    String description();

    /**
     * The objective's settings for a model of this input size (the toolkit's presets switch at 64 pixels between
     * their CIFAR-10 and ImageNet settings); its {@link MaskObjective#name()} is {@link #name()}.
     */
    MaskObjective<?> preset(int inputHeight, int inputWidth);

    /** The settings and their descriptions, with the defaults of {@link #preset} at this size. */
    default List<SettingSpec> settings(int inputHeight, int inputWidth) {
        return SettingSpec.of(preset(inputHeight, inputWidth));
    }
}
