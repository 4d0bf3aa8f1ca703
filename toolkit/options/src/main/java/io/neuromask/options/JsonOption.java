package io.neuromask.options;

import picocli.CommandLine.Option;

/** {@code --json}: the result as one JSON object on standard output. A picocli mixin. */
public final class JsonOption {

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    /** Whether {@code --json} was given. */
    public boolean on() {
        return json;
    }
}
