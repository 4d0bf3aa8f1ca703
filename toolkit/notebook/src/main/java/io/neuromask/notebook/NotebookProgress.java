package io.neuromask.notebook;

import io.neuromask.engine.Progress;
import io.neuromask.engine.ProgressListener;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A live progress bar for {@link io.neuromask.engine.MaskEngine.Builder#progress}: shown once as an output of the
 * running cell, then updated in place through its display id, at most every {@link #DEFAULT_INTERVAL_MS}
 * milliseconds and always at the last iteration.
 *
 * <pre>{@code
 * NeuroMask.builder().model(model).progress(new NotebookProgress("explaining")).build()
 * }</pre>
 */
public final class NotebookProgress implements ProgressListener {

    /** Least time between two updates. */
    public static final long DEFAULT_INTERVAL_MS = 250;

    private final String label;
    private final KernelDisplay display;
    private final long intervalNanos;
    private final LongSupplier clock;
    private String id;
    private long last;

    /** A bar labelled {@code label} on the detected kernel display ({@link Show#display()}). */
    public NotebookProgress(String label) {
        this(label, Show.display(), DEFAULT_INTERVAL_MS, System::nanoTime);
    }

    /** A bar labelled "NeuroMask". */
    public NotebookProgress() {
        this("NeuroMask");
    }

    /**
     * A bar on a given display.
     *
     * @param intervalMs least time between updates; 0 updates at every iteration
     * @param clock nanosecond clock
     */
    public NotebookProgress(String label, KernelDisplay display, long intervalMs, LongSupplier clock) {
        this.label = Objects.requireNonNull(label, "label");
        this.display = Objects.requireNonNull(display, "display");
        this.intervalNanos = intervalMs * 1_000_000L;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void onProgress(Progress p) {
        long now = clock.getAsLong();
        boolean finished = p.iteration() >= p.iterations() && p.imagesDone() + p.batchSize() >= p.images();
        if (id == null) {
            id = display.display(render(p));
            last = now;
        } else if (finished || now - last >= intervalNanos) {
            display.update(id, render(p));
            last = now;
        }
    }

    /** The display id of the bar, null before the first report. */
    public synchronized String displayId() {
        return id;
    }

    /** The bar as HTML (a {@code <progress>} element and a status line) and as text. */
    MimeBundle render(Progress p) {
        double f = Math.max(0, Math.min(1, p.fraction()));
        int percent = (int) Math.floor(f * 100 + 1e-9);
        String status = String.format(Locale.ROOT, "%s: %d%%, iteration %d/%d, images %d/%d, loss %s, %.1fs",
                label, percent, p.iteration(), p.iterations(), Math.min(p.images(), p.imagesDone() + p.batchSize()),
                p.images(), Double.isNaN(p.meanLoss()) ? "-" : String.format(Locale.ROOT, "%.4f", p.meanLoss()),
                p.elapsed().toMillis() / 1000.0);
        int filled = (int) Math.round(f * 30);
        String text = "[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + status;
        String html = "<div class=\"neuromask-progress\"><progress value=\"" + percent
                + "\" max=\"100\" style=\"width:320px\"></progress> <code>"
                + status.replace("&", "&amp;").replace("<", "&lt;") + "</code></div>";
        return MimeBundle.html(html, text);
    }
}
