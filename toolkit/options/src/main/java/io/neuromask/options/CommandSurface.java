package io.neuromask.options;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The rule of one command surface: an option shared by several commands is declared once, by its mixin of this
 * package, and every command takes it from there; the batch size is {@code --batch} everywhere.
 */
public final class CommandSurface {

    /** The shared options and the mixin class that declares each. */
    public static final Map<String, Class<?>> SHARED = shared();

    /** Spellings that the shared options replaced; no command may declare them. */
    public static final List<String> RETIRED = List.of("--batch-size");

    private CommandSurface() {}

    private static Map<String, Class<?>> shared() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("--model", ModelOption.class);
        for (String option : ModelOption.FILE_OPTIONS) {
            m.put(option, ModelOption.class);
        }
        m.put("--device", DeviceOption.class);
        m.put("--batch", BatchOption.class);
        m.put("--objective", ObjectiveOption.class);
        m.put("--preset", PresetOption.class);
        m.put("--iterations", IterationsOption.class);
        m.put("--set", ObjectiveSettings.class);
        m.put("--out", OutOption.class);
        m.put("--json", JsonOption.class);
        m.put("--resize", PreprocessingOption.class);
        m.put("--center-crop", PreprocessingOption.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * What breaks the rule in {@code root} and the commands below it: a shared option declared by a command (or any
     * class but its mixin), one whose mixin is not among the command's mixins, a retired spelling. Empty when none.
     */
    public static List<String> problems(CommandLine root) {
        List<String> problems = new ArrayList<>();
        check(root, problems);
        return problems;
    }

    /** The class that declares the field (or method) an option writes to, or null for a programmatic option. */
    public static Class<?> declaringClass(OptionSpec option) {
        Object element = option.userObject();
        if (element instanceof Field f) {
            return f.getDeclaringClass();
        }
        if (element instanceof java.lang.reflect.Method m) {
            return m.getDeclaringClass();
        }
        return null;
    }

    private static void check(CommandLine command, List<String> problems) {
        CommandSpec spec = command.getCommandSpec();
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                if (RETIRED.contains(name)) {
                    problems.add(spec.qualifiedName() + " declares " + name + ", which is --batch now");
                }
                Class<?> mixin = SHARED.get(name);
                if (mixin == null) {
                    continue;
                }
                Class<?> declared = declaringClass(option);
                if (declared != mixin) {
                    problems.add(spec.qualifiedName() + ": " + name + " is declared by "
                            + (declared == null ? "no class" : declared.getName()) + ", not by its mixin "
                            + mixin.getName());
                } else if (!hasMixin(spec, mixin)) {
                    problems.add(spec.qualifiedName() + ": " + name + " is not among the options of the command's "
                            + "mixins (" + spec.mixins().keySet() + ")");
                }
            }
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                check(sub, problems);
            }
        });
    }

    /** Whether {@code spec} has a mixin (or a mixin of a mixin) that is a {@code type}. */
    private static boolean hasMixin(CommandSpec spec, Class<?> type) {
        for (CommandSpec mixin : spec.mixins().values()) {
            if (type.isInstance(mixin.userObject()) || hasMixin(mixin, type)) {
                return true;
            }
        }
        return false;
    }
}
