package io.neuromask.engine;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One setting of an objective or a method, described once: its name (as {@code --set NAME=VALUE}, explanation.json
 * and sweep axes spell it), the type of its text, the accepted range, its default and a one-line doc, and the CLI
 * option that sets it when there is one. An objective's list comes from its settings record ({@link #of}); the
 * CLI builds {@code --set}, its named options and their help from it, {@link io.neuromask.sweep.Sweep#axis} sweeps
 * any of them.
 *
 * @param name the setting's name, e.g. {@code temperature}
 * @param type the text it takes: {@code number}, {@code integer}, {@code true|false}, {@code numbers} (comma-separated),
 *     {@code text}, or the choices ({@code black|blur})
 * @param range the accepted values in words, empty for any value of the type
 * @param defaultValue the value at the preset it was read from (or the method's default), possibly null
 * @param doc one line
 * @param option the CLI option that sets it, empty for none
 * @param optionIndex its position in a comma-separated option that sets several settings, -1 for none
 */
public record SettingSpec(String name, String type, String range, Object defaultValue, String doc, String option,
        int optionIndex) {

    /** Checks the description. */
    public SettingSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        range = range == null ? "" : range;
        doc = doc == null ? "" : doc;
        option = option == null ? "" : option;
        if (name.isBlank()) {
            throw new IllegalArgumentException("a setting needs a name");
        }
        if (!option.isEmpty() && !option.startsWith("--")) {
            throw new IllegalArgumentException("setting " + name + ": option '" + option + "' must start with --");
        }
        if (optionIndex < -1 || (optionIndex >= 0 && option.isEmpty())) {
            throw new IllegalArgumentException("setting " + name + ": optionIndex " + optionIndex
                    + " needs an option and must be >= -1");
        }
    }

    /** A setting with no CLI option of its own. */
    public static SettingSpec of(String name, String type, String range, Object defaultValue, String doc) {
        return new SettingSpec(name, type, range, defaultValue, doc, "", -1);
    }

    /**
     * The settings of an objective, in its record's order, with the values of {@code objective} as defaults and the
     * docs of its {@link SettingDoc} annotations (empty for a component without one).
     *
     * @throws IllegalArgumentException when the objective is not a record (its settings are then not described)
     */
    public static List<SettingSpec> of(MaskObjective<?> objective) {
        Objects.requireNonNull(objective, "objective");
        if (!(objective instanceof Record record)) {
            throw new IllegalArgumentException("objective " + objective.name() + " is a "
                    + objective.getClass().getName() + ", not a record; make its settings a record so that they are "
                    + "described, or override ObjectiveDescriptor.settings");
        }
        Map<String, Object> values = RecordSettings.of(record);
        List<SettingSpec> out = new ArrayList<>();
        for (RecordComponent c : RecordSettings.flat(record.getClass())) {
            SettingDoc d = c.getAnnotation(SettingDoc.class);
            out.add(new SettingSpec(c.getName(), typeOf(c), d == null ? "" : d.range(), values.get(c.getName()),
                    d == null ? "" : d.value(), d == null ? "" : d.option(), d == null ? -1 : d.optionIndex()));
        }
        return List.copyOf(out);
    }

    private static String typeOf(RecordComponent c) {
        Class<?> t = c.getType();
        if (t == double.class || t == float.class) {
            return "number";
        }
        if (t == int.class || t == long.class) {
            return "integer";
        }
        if (t == boolean.class) {
            return "true|false";
        }
        if (t.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object e : t.getEnumConstants()) {
                names.add(((Enum<?>) e).name().toLowerCase(Locale.ROOT));
            }
            return String.join("|", names);
        }
        if (t == List.class && c.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == Double.class) {
            return "numbers";
        }
        return "text";
    }

    /** The default as {@code --set} would take it: lists comma-separated, enums in lower case. */
    public String defaultText() {
        if (defaultValue instanceof List<?> list) {
            StringBuilder b = new StringBuilder();
            for (Object v : list) {
                b.append(b.length() == 0 ? "" : ",").append(v);
            }
            return b.toString();
        }
        return String.valueOf(defaultValue);
    }
}
