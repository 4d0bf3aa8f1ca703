package io.neuromask.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one setting of an objective: on a component of the objective's settings record, read by
 * {@link SettingSpec#of} for {@code --set}, the CLI's named options and help, sweeps and exports.
 *
 * <pre>{@code
 * public record MyObjective(
 *         @SettingDoc(value = "weight of the area term", range = ">= 0", option = "--area-weight") double areaWeight,
 *         ...) implements MaskObjective { ... }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface SettingDoc {

    /** One line: what the setting does. */
    String value();

    /** The accepted values in words, e.g. {@code >= 0}, {@code (0, 1)}, {@code 3 or 5}; empty when any value of the type is. */
    String range() default "";

    /**
     * The CLI option that sets it (e.g. {@code --temperature}), empty for none ({@code --set} reaches every setting).
     * Objectives may share an option name ({@code --learning-rate}); it sets the setting of the run's objective.
     */
    String option() default "";

    /**
     * For an option that sets several settings from comma-separated values (NeuroMask's {@code --lambdas}): this
     * setting's position in the list, from 0; -1 (the default) for an option of its own.
     */
    int optionIndex() default -1;
}
