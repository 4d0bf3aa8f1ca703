package io.neuromask.options;

import io.neuromask.base.Classifier;
import io.neuromask.model.Models;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --model}: the model's name, required unless the command has a default. A picocli mixin. */
public final class ModelOption {

    @Option(names = "--model", required = true, description = "Model name (see 'neuromask models list').")
    String model;

    /** The name given (or the command's default; null where the option is optional and absent). */
    public String name() {
        return model;
    }

    /** Loads the model on the device given ({@link Models#load}: unknown names fail with the known ones). */
    public Classifier load(DeviceOption device) {
        return Models.load(model, device.device());
    }

    /** For a command's model transformer: {@code --model} is optional and defaults to {@code model}. */
    public static CommandSpec defaultTo(CommandSpec spec, String model) {
        return SharedOption.change(spec, "--model", o -> o.required(false).defaultValue(model)
                .description("Model name (see 'neuromask models list'; default ${DEFAULT-VALUE})."));
    }

    /**
     * For a command's model transformer: {@code --model} is optional, without a default; {@code absent} says what
     * the command does without it.
     */
    public static CommandSpec optional(CommandSpec spec, String absent) {
        return SharedOption.change(spec, "--model", o -> o.required(false)
                .description("Model name (see 'neuromask models list'; " + absent + ")."));
    }
}
