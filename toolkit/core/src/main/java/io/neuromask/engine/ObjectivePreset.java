package io.neuromask.engine;

/**
 * A named, ready objective that {@link MaskEngine.Builder#preset} starts from; the toolkit's are the constants of
 * {@code io.neuromask.Preset}.
 */
public interface ObjectivePreset {

    /** The preset's objective and settings. */
    MaskObjective<?> objective();
}
