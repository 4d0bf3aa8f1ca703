package io.neuromask.options;

import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.engine.SettingSpec;
import io.neuromask.Objectives;
import io.neuromask.Preset;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The mask objective of the commands that learn masks: {@code --objective} or {@code --preset}, then overrides of
 * single settings. The named options ({@code --temperature}, {@code --lambdas}, {@code --areas}, ...) are not
 * declared here: they are made from the objectives' setting descriptions ({@link SettingSpec#option()}, from
 * {@link io.neuromask.engine.SettingDoc} on each objective's settings record), for every objective of
 * {@link Objectives}, plug-ins included. An option is refused for an objective that has no setting of that option,
 * naming the objective. A picocli mixin; {@code --iterations} and {@code --set} come from {@link ObjectiveSettings},
 * which the Spark job shares.
 */
@Command(modelTransformer = HyperparameterOptions.NamedOptions.class)
public final class HyperparameterOptions extends ObjectiveSettings {

    /** The named options given, option name to text, in the order given. */
    final Map<String, String> named = new LinkedHashMap<>();

    /** A setting that a named option sets: the objective it belongs to and its description. */
    record Target(ObjectiveDescriptor objective, SettingSpec setting) {}

    /**
     * Every objective's settings that have a CLI option, by option, in the objectives' order (described at the
     * ImageNet input size: the option and doc do not depend on it).
     */
    static Map<String, List<Target>> namedOptions() {
        Map<String, List<Target>> out = new LinkedHashMap<>();
        for (ObjectiveDescriptor d : Objectives.all()) {
            for (SettingSpec s : d.settings(224, 224)) {
                if (!s.option().isEmpty()) {
                    out.computeIfAbsent(s.option(), k -> new ArrayList<>()).add(new Target(d, s));
                }
            }
        }
        return out;
    }

    /**
     * For the root command ({@code @Command(modelTransformer = HyperparameterOptions.InSubcommands.class)}): adds the
     * named options to every subcommand that mixes these options in. Picocli applies a mixin's own model transformer
     * only to commands without one of their own, so the root does it for all.
     */
    public static final class InSubcommands implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            NamedOptions named = new NamedOptions();
            for (picocli.CommandLine sub : spec.subcommands().values()) {
                named.transform(sub.getCommandSpec());
                transform(sub.getCommandSpec());
            }
            return spec;
        }
    }

    /** Adds the named options to each command that mixes these options in, storing given values in {@link #named}. */
    public static final class NamedOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            HyperparameterOptions self = null;
            for (CommandSpec mixin : spec.mixins().values()) {
                if (mixin.userObject() instanceof HyperparameterOptions h) {
                    self = h;
                }
            }
            if (self == null) {
                return spec;
            }
            Map<String, String> given = self.named;
            namedOptions().forEach((option, targets) -> {
                if (spec.findOption(option) != null) {
                    return;
                }
                ISetter setter = new ISetter() {
                    @Override
                    public <T> T set(T value) {
                        if (value == null) {
                            given.remove(option); // picocli resets every option to its initial value before parsing
                        } else {
                            given.put(option, (String) value);
                        }
                        return null;
                    }
                };
                spec.addOption(OptionSpec.builder(option).type(String.class).paramLabel(paramLabel(targets))
                        .description(description(targets)).setter(setter).build());
            });
            return spec;
        }

        private static String paramLabel(List<Target> targets) {
            SettingSpec s = targets.get(0).setting();
            if (s.optionIndex() >= 0) {
                return "<" + String.join(",", targets.stream().filter(t -> t.objective() == targets.get(0).objective())
                        .sorted(Comparator.comparingInt(t -> t.setting().optionIndex()))
                        .map(t -> t.setting().name()).toList()) + ">";
            }
            return "<" + s.type() + ">";
        }

        private static String description(List<Target> targets) {
            StringBuilder b = new StringBuilder();
            Map<ObjectiveDescriptor, List<SettingSpec>> byObjective = new LinkedHashMap<>();
            for (Target t : targets) {
                byObjective.computeIfAbsent(t.objective(), k -> new ArrayList<>()).add(t.setting());
            }
            byObjective.forEach((objective, settings) -> {
                b.append(b.length() == 0 ? "" : "; ").append(objective.name()).append(": ");
                if (settings.size() > 1) {
                    b.append("comma-separated ");
                }
                for (int i = 0; i < settings.size(); i++) {
                    SettingSpec s = settings.get(i);
                    String range = s.range().isEmpty() ? "" : ", " + s.range();
                    b.append(i == 0 ? "" : ", ").append(settings.size() > 1 ? s.name() + " (" + s.doc() + range + ")"
                            : s.doc() + (range.isEmpty() ? "" : " (" + range.substring(2) + ")"));
                }
            });
            return b.append(" (default: the preset's).").toString().replace("%", "%%");
        }
    }

    /**
     * The objective with the given overrides: {@code --iterations}, the named options, then each {@code --set} in
     * order ({@link MaskObjective#withSetting}); invalid values or settings of another objective fail with the
     * reason.
     */
    public MaskObjective<?> apply(MaskObjective<?> objective) {
        Map<String, List<SettingSpec>> byOption = optionsOf(objective);
        for (String option : named.keySet()) {
            if (!byOption.containsKey(option)) {
                throw new IllegalArgumentException(option + " is not a setting of the '" + objective.name()
                        + "' objective; drop it or choose an objective that has it (see --help)");
            }
        }
        refuseTwice(byOption);
        MaskObjective<?> o = iterations != null ? objective.withIterations(iterations) : objective;
        for (Map.Entry<String, String> e : named.entrySet()) {
            o = applyOption(o, e.getKey(), e.getValue(), byOption.get(e.getKey()));
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            try {
                o = o.withSetting(e.getKey(), e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("--set " + e.getKey() + "=" + e.getValue() + ": "
                        + bad.getMessage(), bad);
            }
        }
        return o;
    }

    /** The objective's settings by their option, those of a list option in list order. */
    private static Map<String, List<SettingSpec>> optionsOf(MaskObjective<?> objective) {
        Map<String, List<SettingSpec>> out = new LinkedHashMap<>();
        if (!(objective instanceof Record)) {
            return out;
        }
        for (SettingSpec s : SettingSpec.of(objective)) {
            if (!s.option().isEmpty()) {
                out.computeIfAbsent(s.option(), k -> new ArrayList<>()).add(s);
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparingInt(SettingSpec::optionIndex)));
        return out;
    }

    private static MaskObjective<?> applyOption(MaskObjective<?> o, String option, String text, List<SettingSpec> settings) {
        String[] values = settings.size() > 1 ? text.split(",", -1) : new String[] {text};
        if (values.length != settings.size()) {
            throw new IllegalArgumentException(option + " takes " + settings.size() + " comma-separated values ("
                    + String.join(", ", settings.stream().map(SettingSpec::name).toList()) + "), got "
                    + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            try {
                o = o.withSetting(settings.get(i).name(), values[i]);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(option + " " + text + ": " + bad.getMessage(), bad);
            }
        }
        return o;
    }

    /**
     * Refuses a {@code --set} of a setting that a named option also sets ({@code --iterations 50 --set
     * iterations=80}): one of the two would silently lose.
     */
    private void refuseTwice(Map<String, List<SettingSpec>> byOption) {
        Map<String, String> setBy = new LinkedHashMap<>();
        if (iterations != null) {
            setBy.put("iterations", "--iterations");
        }
        for (String option : named.keySet()) {
            for (SettingSpec s : byOption.get(option)) {
                setBy.put(s.name(), option);
            }
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            String option = setBy.get(e.getKey() == null ? "" : e.getKey().trim());
            if (option != null) {
                throw new IllegalArgumentException("--set " + e.getKey().trim() + "=" + e.getValue() + " and "
                        + option + " both set " + e.getKey().trim() + "; keep one of them");
            }
        }
    }

    /**
     * The objective of a run: the named preset, else the objective's preset for the model's size (NeuroMask's paper
     * preset by default), with the overrides.
     *
     * @param objective an objective's name ({@link Objectives#names()}) or null
     * @throws IllegalArgumentException when the preset belongs to another objective than {@code objective}
     */
    public MaskObjective<?> resolve(String preset, String objective, Classifier model) {
        if (preset != null) {
            Preset p = Preset.parse(preset);
            if (objective != null && !p.objective().name().equals(objective.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--preset " + p.cliName() + " belongs to the " + p.objective().name()
                        + " objective but --objective is " + objective + "; drop one of them");
            }
            return apply(p.objective());
        }
        return apply(Objectives.presetFor(objective == null ? Objectives.DEFAULT : objective, model));
    }
}
