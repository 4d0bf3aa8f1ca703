package io.neuromask.options;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --batch}: images processed together, a positive number or {@code auto} (measure the best batch first, where
 * the command supports it). The one spelling of the batch size in the CLI and the Spark job. A picocli mixin.
 */
public final class BatchOption {

    static final String DESCRIPTION = "Images processed together, or 'auto' to measure the best batch first "
            + "(default ${DEFAULT-VALUE}).";

    @Option(names = "--batch", defaultValue = "64", description = DESCRIPTION)
    String batch;

    /** The batch size, or 0 for {@code auto}; anything else fails with the accepted forms. */
    public int size() {
        return parse(batch);
    }

    /** The batch size, for commands without {@code auto}: a positive number, else fails naming the accepted form. */
    public int positive() {
        int b = parse(batch);
        if (b == 0) {
            throw new IllegalArgumentException("--batch takes a positive number here ('auto' is for the commands that "
                    + "learn masks), got '" + batch + "'");
        }
        return b;
    }

    /** The batch size, or 0 for {@code auto}; anything else fails with the accepted forms. */
    public static int parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("auto")) {
            return 0;
        }
        try {
            int b = Integer.parseInt(t);
            if (b >= 1) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--batch takes a positive number or 'auto', got '" + text + "'");
    }

    /** For a command's model transformer: {@code --batch} defaults to {@code value} (a number or {@code auto}). */
    public static CommandSpec defaultTo(CommandSpec spec, String value) {
        parse(value);
        return SharedOption.change(spec, "--batch", o -> o.defaultValue(value));
    }

    /**
     * For a command's model transformer, when the command has no {@code auto} (it reads the size with
     * {@link #positive()}): {@code --batch} defaults to {@code value} and says so.
     */
    public static CommandSpec numbersOnly(CommandSpec spec, String value) {
        if (parse(value) == 0) {
            throw new IllegalArgumentException("the default of a --batch without 'auto' must be a number: " + value);
        }
        return SharedOption.change(spec, "--batch", o -> o.defaultValue(value)
                .description("Images processed together, a positive number (default ${DEFAULT-VALUE})."));
    }
}
