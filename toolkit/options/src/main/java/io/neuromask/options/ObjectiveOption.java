package io.neuromask.options;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --objective}: the mask objective, one of {@link io.neuromask.Objectives#names()}. A picocli mixin. */
public final class ObjectiveOption {

    @Option(names = "--objective", completionCandidates = Names.class,
            description = "Mask objective: ${COMPLETION-CANDIDATES} (default neuromask), each at its preset for the "
                    + "model's input size; commands that compare objectives take several, comma-separated.")
    String objective;

    /** The objective given, or null. */
    public String value() {
        return objective;
    }

    /** The comma-separated objectives given (blank items dropped), or null when the option is absent. */
    public List<String> values() {
        return PresetOption.split(objective);
    }

    /**
     * For a command's model transformer: {@code --objective} also takes {@code all} (every registered objective),
     * with {@code description} in the help.
     */
    public static CommandSpec allowingAll(CommandSpec spec, String description) {
        return SharedOption.change(spec, "--objective", o -> o.description(description));
    }

    /** The mask objectives, for completion and the help. */
    static final class Names extends ArrayList<String> {
        Names() {
            super(io.neuromask.Objectives.names());
        }
    }
}
