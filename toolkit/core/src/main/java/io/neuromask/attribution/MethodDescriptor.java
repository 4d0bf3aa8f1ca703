package io.neuromask.attribution;

import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.engine.SettingSpec;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An attribution method as a plug-in: its name, kind, capabilities and settings, and how to create it for a model.
 * The registry ({@link Methods}) holds the built-in methods, one mask method per objective of
 * {@link io.neuromask.Objectives}, and others found by {@link java.util.ServiceLoader} (a line naming the class in
 * {@code META-INF/services/io.neuromask.attribution.MethodDescriptor}); the CLI's {@code evaluate}, {@code Evaluator},
 * the Spark job and notebook 05 take every method from it by name.
 *
 * <p>An implementation needs a public no-argument constructor.
 */
public interface MethodDescriptor {

    /** What a method computes its map from. */
    enum Kind {
        /** A mask learnt by the mask engine for an objective. */
        MASK,
        /** Input gradients (vanilla, SmoothGrad, Integrated Gradients). */
        GRADIENT,
        /** A class activation map of a layer (Grad-CAM, Grad-CAM++, Score-CAM, LayerCAM). */
        CAM,
        /** The model's output on perturbed inputs (occlusion, RISE). */
        PERTURBATION,
        /** No model at all: a fixed map (the centre baseline). */
        BASELINE
    }

    /** What a method promises of its maps. */
    enum Capability {
        /**
         * An image's map does not depend on the other images of the call, nor on its position there: runs may batch
         * images freely with one seed (the Spark job does).
         */
        BATCH_INVARIANT,
        /** Values may be negative: evidence against the class. */
        SIGNED,
        /** Maps carry a tie-break ({@link io.neuromask.base.SaliencyMap#hasTieBreak()}). */
        TIE_BREAK
    }

    /** The name, lower case, as {@code evaluate --methods} and results files spell it. */
    String name();

    /** What it computes its map from. */
    Kind kind();

    /** What it promises of its maps. */
    Set<Capability> capabilities();

    /**
     * Its own settings, set by name through {@link MethodConfig#with(String, String)} (the batch size, seed and
     * label are the config's; a mask method's objective settings are its objective's).
     */
    List<SettingSpec> settings();

    /** A mask method's objective; empty for the others. */
    default Optional<ObjectiveDescriptor> objective() {
        return Optional.empty();
    }

    /**
     * The method for {@code model}.
     *
     * @throws IllegalArgumentException when the config or the model does not fit the method, saying why
     */
    Attribution create(Classifier model, MethodConfig config);

    /**
     * The settings of {@code config} that change this method's maps (not the batch size, which changes only speed,
     * nor the label), as a results file records them so that results of other settings are not mixed in.
     */
    Map<String, Object> recordedSettings(MethodConfig config);
}
