package io.neuromask.options;

import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a command may change of an option that a mixin of this package declares, in its model transformer
 * ({@code @Command(modelTransformer = ...)}): the default, whether it is required and the description that says
 * so. The option keeps its name, type, label and field, so its value still lands in the mixin.
 */
final class SharedOption {
    private SharedOption() {}

    /** {@code spec} with its option {@code name} rebuilt by {@code change}. */
    static CommandSpec change(CommandSpec spec, String name, UnaryOperator<OptionSpec.Builder> change) {
        OptionSpec option = spec.findOption(name);
        if (option == null) {
            throw new IllegalStateException(spec.qualifiedName() + " has no " + name + " to change; add its mixin");
        }
        spec.remove(option);
        spec.addOption(change.apply(option.toBuilder()).build());
        return spec;
    }
}
