package io.neuromask.options;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --out}: where a command writes, required unless the command has a default. A picocli mixin. */
public final class OutOption {

    @Option(names = "--out", required = true,
            description = "Where to write: the folder, file or table of the command's description.")
    String out;

    /** The output as a local path. */
    public Path path() {
        return Path.of(out);
    }

    /** The output as given: a path or a URI ({@code hdfs:///...}), for the Spark job. */
    public String uri() {
        return out;
    }

    /** For a command's model transformer: {@code --out} is optional and defaults to {@code value}. */
    public static CommandSpec defaultTo(CommandSpec spec, String value) {
        return SharedOption.change(spec, "--out", o -> o.required(false).defaultValue(value)
                .description("Where to write: the folder, file or table of the command's description (default "
                        + "${DEFAULT-VALUE})."));
    }
}
