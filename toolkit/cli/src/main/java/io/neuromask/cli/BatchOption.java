package io.neuromask.cli;

/** The {@code --batch} value of the commands that learn masks: a positive number, or {@code auto}. */
final class BatchOption {
    private BatchOption() {}

    /** The batch size, or 0 for {@code auto}; anything else fails with the accepted forms. */
    static int parse(String text) {
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
}
