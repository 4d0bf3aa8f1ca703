package io.neuromask.notebook;

import io.neuromask.store.DownloadListener;
import io.neuromask.store.DownloadListenerProvider;
import io.neuromask.store.DownloadProgress;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The store's downloads as a live bar in the running notebook cell: shown once, then updated in place
 * through its display id (at most every {@link NotebookProgress#DEFAULT_INTERVAL_MS} ms, and always when a
 * file is complete); one bar per store, showing the file in progress. {@code Models.load(...)} and
 * {@code Datasets.open(...)} use it by themselves inside a Jupyter kernel: {@link Provider} is registered
 * for {@link java.util.ServiceLoader} and offers it when {@link Show#display()} is a kernel's display.
 */
public final class NotebookDownloadProgress implements DownloadListener {

    private final KernelDisplay display;
    private final long intervalNanos;
    private final LongSupplier clock;
    private String id;
    private long last;

    /** A bar on the detected kernel display. */
    public NotebookDownloadProgress() {
        this(Show.display(), NotebookProgress.DEFAULT_INTERVAL_MS, System::nanoTime);
    }

    /**
     * A bar on a given display.
     *
     * @param intervalMs least time between updates; 0 updates at every report
     * @param clock nanosecond clock
     */
    public NotebookDownloadProgress(KernelDisplay display, long intervalMs, LongSupplier clock) {
        this.display = Objects.requireNonNull(display, "display");
        this.intervalNanos = intervalMs * 1_000_000L;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void onProgress(DownloadProgress p) {
        long now = clock.getAsLong();
        if (id == null) {
            id = display.display(render(p));
            last = now;
        } else if (p.finished() || now - last >= intervalNanos) {
            display.update(id, render(p));
            last = now;
        }
    }

    /** The display id of the bar, null before the first report. */
    public synchronized String displayId() {
        return id;
    }

    /** The bar as HTML (a {@code <progress>} element and the status line) and as text. */
    static MimeBundle render(DownloadProgress p) {
        double f = Double.isNaN(p.fraction()) ? (p.finished() ? 1 : 0) : p.fraction();
        int percent = (int) Math.floor(f * 100 + 1e-9);
        String status = p.status();
        int filled = (int) Math.round(f * 30);
        String text = "[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + status;
        String html = "<div class=\"neuromask-download\"><progress value=\"" + percent
                + "\" max=\"100\" style=\"width:320px\"></progress> <code>"
                + status.replace("&", "&amp;").replace("<", "&lt;") + "</code></div>";
        return MimeBundle.html(html, text);
    }

    /** Offers a {@link NotebookDownloadProgress} when this JVM runs in a Jupyter kernel, else nothing. */
    public static final class Provider implements DownloadListenerProvider {

        /** For {@link java.util.ServiceLoader}. */
        public Provider() {}

        @Override
        public DownloadListener listener() {
            KernelDisplay d = Show.display();
            return d instanceof PlainTextDisplay ? null
                    : new NotebookDownloadProgress(d, NotebookProgress.DEFAULT_INTERVAL_MS, System::nanoTime);
        }
    }
}
