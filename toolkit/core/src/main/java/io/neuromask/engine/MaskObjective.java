package io.neuromask.engine;

import io.neuromask.engine.extremal.ExtremalPerturbation;
import io.neuromask.engine.meaningful.MeaningfulPerturbation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import java.util.List;
import java.util.Map;

/**
 * What a mask-learning method optimises: its settings, and how to build the computation of one batch
 * ({@link MaskBatch}). The {@link MaskEngine} runs every objective with the same loop: batching, per-image
 * settings, early stopping with batch shrinking, progress, cancellation, seeds and auto batch size.
 *
 * <p>Three objectives ship with the toolkit, each an immutable record:
 * <ul>
 *   <li>{@link NeuroMaskObjective}: NeuroMask (Alzantot et al. 2019), the {@code PAPER_*} and {@code FAST_*}
 *       presets;</li>
 *   <li>{@link MeaningfulPerturbation}: Fong &amp; Vedaldi, ICCV 2017;</li>
 *   <li>{@link ExtremalPerturbation}: Fong, Patrick &amp; Vedaldi, ICCV 2019 (TorchRay's defaults).</li>
 * </ul>
 * <p>The type parameter is the objective's own type ({@code record MyObjective(...) implements
 * MaskObjective<MyObjective>}): {@code with} methods return it, and {@link #start} gets the batch's objectives as it,
 * with no cast. A new objective is one more record implementing this interface (its components described by {@link SettingDoc}),
 * a {@link MaskBatch}, and an {@link ObjectiveDescriptor} registered with {@code io.neuromask.Objectives}.
 */
public interface MaskObjective<O extends MaskObjective<O>> {

    /** The method's name, used as the attribution name: {@code neuromask}, {@code meaningful}, {@code extremal}. */
    String name();

    /** Optimiser steps, at least 1. */
    int iterations();

    /** The loss is recorded every this many iterations, and at the last. */
    int logEvery();

    /** The same objective with another iteration count; by default {@code withSetting("iterations", ...)}. */
    default O withIterations(int iterations) {
        return withSetting("iterations", Integer.toString(iterations));
    }

    /**
     * The same objective cut to {@code iterations} iterations for a sample of a full run (the batch-size probe, the
     * benchmark): by default {@link #withIterations}. An objective whose iterations fall into phases keeps each
     * phase's share, so that the sample does the kinds of iteration a full run does.
     */
    default O shortened(int iterations) {
        return withIterations(iterations);
    }

    /** The same objective recording the loss every {@code n} iterations; by default {@code withSetting("logEvery", ...)}. */
    default O withLogEvery(int n) {
        return withSetting("logEvery", Integer.toString(n));
    }

    /** The optimiser this objective uses unless the run chooses another. */
    Optimizer optimizer();

    /** The names of the loss terms, in the order {@link LossRecord#terms()} holds them. */
    List<String> termNames();

    /**
     * Every setting by name (numbers, strings, lists of numbers), for exports and tables. By default a settings
     * record's components, in declaration order, enums as lower-case names.
     */
    default Map<String, Object> settings() {
        if (this instanceof Record record) {
            return RecordSettings.of(record);
        }
        throw new UnsupportedOperationException(name() + " is not a record: override settings()");
    }

    /**
     * The same objective with one setting changed, named as in {@link #settings()} (which leaves out some settings
     * at their defaults; every one can be set) and given as text: a number, {@code true}/{@code false}, a name such
     * as {@code blur} or {@code preserve} in any case, or comma-separated numbers for a list ({@code 0.05,0.1}).
     * The CLI's {@code spark-explain --set name=value} and per-setting overrides in notebooks use it, e.g.
     * {@code Preset.FAST_CIFAR10.objective().withSetting("temperature", "0.3")}.
     *
     * By default a settings record's component, set through the record's canonical constructor so that its checks
     * apply.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the objective's settings), text of
     *     the wrong type, or a value the objective refuses (with the reason)
     */
    @SuppressWarnings("unchecked")
    default O withSetting(String name, String value) {
        if (this instanceof Record record) {
            return (O) RecordSettings.with(record, name(), name, value);
        }
        throw new UnsupportedOperationException(name() + " is not a record: override withSetting(name, value)");
    }

    /**
     * What must be equal for two images to share a batch (e.g. mask resolution and iteration count); the rest
     * of the settings may differ per image.
     */
    Object batchKey();

    /**
     * Builds the computation of one batch.
     *
     * @param perImage one objective per image of the batch, all with this objective's {@link #batchKey()} and
     *     class
     */
    MaskBatch start(MaskBatch.Context context, List<O> perImage);
}
