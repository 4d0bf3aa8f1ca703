package io.neuromask.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on a console stream. On a terminal it is redrawn in place with {@code \r}, at most ten
 * times a second; elsewhere (a log file, a pipe, CI) it prints a plain line each time the progress passes a
 * further 10 %, so logs get no {@code \r} frames. The mode is detected with {@link #isTerminal(PrintStream)}
 * and can be forced with env {@code NEUROMASK_PROGRESS} or system property {@code neuromask.progress}:
 * {@code bar} (redraw in place) or {@code lines}.
 */
public final class ConsoleLine {

    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;
    private int lastDecile = -1;
    private boolean open;

    /** A line on {@code out}, in the mode {@link #isTerminal(PrintStream)} detects. */
    public ConsoleLine(PrintStream out) {
        this(out, isTerminal(out));
    }

    /** A line on {@code out}; {@code terminal} chooses redrawing in place over one line per 10 %. */
    public ConsoleLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Whether progress on {@code out} is redrawn in place: the {@code neuromask.progress} property or
     * {@code NEUROMASK_PROGRESS} env when set to {@code bar} or {@code lines}, else true when {@code out} is
     * {@code System.out} or {@code System.err} and the JVM has a console ({@code System.console() != null}).
     *
     * @throws IllegalArgumentException for another setting value
     */
    public static boolean isTerminal(PrintStream out) {
        String mode = System.getProperty("neuromask.progress", System.getenv("NEUROMASK_PROGRESS"));
        if (mode != null && !mode.isBlank()) {
            switch (mode.trim().toLowerCase(Locale.ROOT)) {
                case "bar":
                    return true;
                case "lines":
                    return false;
                default:
                    throw new IllegalArgumentException("NEUROMASK_PROGRESS (or -Dneuromask.progress) is '" + mode
                            + "'; use bar (redraw in place) or lines (one line per 10 %)");
            }
        }
        return (out == System.out || out == System.err) && System.console() != null;
    }

    /** Whether this line redraws in place. */
    public boolean terminal() {
        return terminal;
    }

    /**
     * Shows the progress.
     *
     * @param fraction in [0, 1], or NaN when unknown (then a plain line is printed only by {@link #finish})
     * @param text the whole status text
     */
    public void update(double fraction, String text) {
        if (terminal) {
            long now = System.nanoTime();
            if (open && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            out.print("\r" + text + "   ");
            out.flush();
            open = true;
        } else if (!Double.isNaN(fraction)) {
            int decile = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 10 + 1e-9);
            if (decile > lastDecile) {
                lastDecile = decile;
                if (decile < 10) { // 100 % is printed by finish
                    out.println(text);
                }
            }
        }
    }

    /** Shows the final text and ends the line. */
    public void finish(String text) {
        if (terminal) {
            out.print("\r" + text + "   ");
            out.println();
        } else {
            out.println(text);
        }
        out.flush();
        open = false;
        lastDecile = -1;
    }

    /** Ends a line in progress without new text (a terminal gets its newline; nothing otherwise). */
    public void end() {
        if (terminal && open) {
            out.println();
            out.flush();
        }
        open = false;
        lastDecile = -1;
    }
}
