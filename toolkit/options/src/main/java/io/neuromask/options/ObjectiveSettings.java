package io.neuromask.options;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --iterations} and {@code --set NAME=VALUE}: settings of any mask objective, by name. A picocli mixin, which
 * {@link HyperparameterOptions} extends with the named settings.
 */
public class ObjectiveSettings extends IterationsOption {

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Change any other setting of the objective, "
            + "named as in explanation.json's settings (e.g. tvBeta=2, step=5, rmsDecay=0.95); repeatable; applied "
            + "after the other options of the objective.")
    Map<String, String> set = new LinkedHashMap<>();

    /** The {@code --set} settings in the order given (empty for none). */
    public Map<String, String> settings() {
        return set;
    }
}
