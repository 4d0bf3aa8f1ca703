package io.neuromask.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --iterations}: optimiser steps of a mask objective, the preset's unless given. A picocli mixin. */
public class IterationsOption {

    @Option(names = "--iterations", description = "Optimiser steps (default: the preset's).")
    Integer iterations;

    /** The steps given (or the command's default), or null for the preset's. */
    public Integer iterations() {
        return iterations;
    }

    /** Sets the steps (null: the preset's), for commands that fill these options themselves. */
    public void iterations(Integer steps) {
        iterations = steps;
    }

    /** For a command's model transformer: {@code --iterations} defaults to {@code steps}, not the preset's. */
    public static CommandSpec defaultTo(CommandSpec spec, int steps) {
        return SharedOption.change(spec, "--iterations", o -> o.defaultValue(String.valueOf(steps))
                .description("Optimiser steps (default ${DEFAULT-VALUE})."));
    }
}
