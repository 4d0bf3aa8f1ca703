package io.neuromask.engine;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A settings record's components by name, in declaration order, enums as lower-case names: for exports; and the
 * record with one component replaced from its text ({@link MaskObjective#withSetting}).
 */
final class RecordSettings {

    private RecordSettings() {}

    static Map<String, Object> of(Record record) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object v = value(record, c);
            if (group(c)) {
                m.putAll(of((Record) v));
            } else {
                m.put(c.getName(), v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : v);
            }
        }
        return m;
    }

    /** Whether a component is a group of settings (a nested record), flattened into its components' names. */
    static boolean group(RecordComponent c) {
        return c.getType().isRecord();
    }

    /** The record's settings by flat name, in order: each group's components in place of the group. */
    static List<RecordComponent> flat(Class<?> type) {
        List<RecordComponent> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (group(c)) {
                out.addAll(flat(c.getType()));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * {@code record} with the setting {@code name} (a component, or a component of a nested group record) set to
     * {@code text} (a number, {@code true}/{@code false}, an enum constant's name in any case, or comma-separated
     * numbers for a list), built by the canonical constructors so that their checks apply.
     *
     * @throws IllegalArgumentException naming the setting and the fix, for an unknown name, text that is not of the
     *     setting's type, or a value the record refuses
     */
    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R record, String objective, String name, String text) {
        if (name == null || text == null) {
            throw new IllegalArgumentException("a setting needs a name and a value, got " + name + "=" + text);
        }
        R out = (R) replace(record, objective, name.trim(), text.trim(), name, text);
        if (out == null) {
            List<String> names = new ArrayList<>();
            for (RecordComponent c : flat(record.getClass())) {
                names.add(c.getName());
            }
            throw new IllegalArgumentException("unknown setting '" + name + "' of the " + objective
                    + " objective; its settings are " + String.join(", ", names));
        }
        return out;
    }

    /** The record with the setting replaced, or null when neither it nor a nested group has it. */
    private static Record replace(Record record, String objective, String name, String text, String given,
            String givenText) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        int index = -1;
        for (int i = 0; i < components.length; i++) {
            values[i] = value(record, components[i]);
            types[i] = components[i].getType();
        }
        for (int i = 0; i < components.length && index < 0; i++) {
            if (group(components[i])) {
                Record nested = replace((Record) values[i], objective, name, text, given, givenText);
                if (nested != null) {
                    values[i] = nested;
                    index = i;
                }
            } else if (components[i].getName().equals(name)) {
                values[i] = parse(components[i], objective, text);
                index = i;
            }
        }
        if (index < 0) {
            return null;
        }
        try {
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            return (Record) canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                if (bad.getMessage() != null && bad.getMessage().startsWith(objective + " setting ")) {
                    throw bad; // from a nested group, already named
                }
                throw new IllegalArgumentException(objective + " setting " + given + "=" + givenText + ": "
                        + bad.getMessage(), bad);
            }
            throw new IllegalStateException("cannot build the " + objective + " settings", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the " + objective + " settings", e);
        }
    }

    private static Object parse(RecordComponent c, String objective, String text) {
        Class<?> type = c.getType();
        String what = objective + " setting " + c.getName();
        try {
            if (type == int.class) {
                return Integer.parseInt(text);
            }
            if (type == long.class) {
                return Long.parseLong(text);
            }
            if (type == double.class) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " takes " + (type == double.class ? "a number" : "an integer")
                    + ", got '" + text + "'");
        }
        if (type == boolean.class) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            throw new IllegalArgumentException(what + " takes true or false, got '" + text + "'");
        }
        if (type.isEnum()) {
            List<String> constants = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                String n = ((Enum<?>) constant).name();
                if (n.equalsIgnoreCase(text)) {
                    return constant;
                }
                constants.add(n.toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(what + " takes one of " + String.join(", ", constants) + ", got '"
                    + text + "'");
        }
        if (type == List.class && c.getGenericType() instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == Double.class) {
            List<Double> list = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                try {
                    list.add(Double.parseDouble(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " takes comma-separated numbers, e.g. 0.05,0.1, got '"
                            + text + "'");
                }
            }
            return List.copyOf(list);
        }
        if (type == String.class) {
            return text;
        }
        throw new IllegalArgumentException(what + " cannot be set from text (type " + type.getSimpleName() + ")");
    }

    private static Object value(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read setting " + c.getName(), e);
        }
    }
}
