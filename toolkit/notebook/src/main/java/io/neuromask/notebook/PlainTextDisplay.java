package io.neuromask.notebook;

import java.io.PrintStream;
import java.util.Objects;
import java.util.UUID;

/** The fallback outside a notebook: prints each bundle's text/plain version, updates as new lines. */
final class PlainTextDisplay implements KernelDisplay {

    private final PrintStream out;

    /** Prints to {@code System.out} as it is at each call. */
    public PlainTextDisplay() {
        this.out = null;
    }

    /** Prints to {@code out}. */
    public PlainTextDisplay(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public String name() {
        return "plain-text";
    }

    @Override
    public String display(MimeBundle bundle) {
        stream().println(bundle.plainText());
        return UUID.randomUUID().toString();
    }

    @Override
    public void update(String displayId, MimeBundle bundle) {
        stream().println(bundle.plainText());
    }

    private PrintStream stream() {
        return out != null ? out : System.out;
    }
}
