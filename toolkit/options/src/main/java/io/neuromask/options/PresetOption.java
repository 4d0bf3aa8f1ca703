package io.neuromask.options;

import io.neuromask.Preset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --preset}: a preset of a mask objective ({@link Preset}). A picocli mixin. */
public final class PresetOption {

    @Option(names = "--preset", completionCandidates = Names.class,
            description = "Preset of the mask objective: ${COMPLETION-CANDIDATES} (default: the objective's preset for "
                    + "the model's input size); commands that compare presets take several, comma-separated.")
    String preset;

    /** The preset given, or null. */
    public String value() {
        return preset;
    }

    /** The comma-separated presets given (blank items dropped), or null when the option is absent. */
    public List<String> values() {
        return split(preset);
    }

    static List<String> split(String text) {
        return text == null ? null
                : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The presets' names, for completion and the help. */
    static final class Names extends ArrayList<String> {
        Names() {
            super(Arrays.stream(Preset.values()).map(Preset::cliName).toList());
        }
    }
}
