package io.neuromask.store;

import io.neuromask.io.ConsoleLine;
import java.io.PrintStream;

/**
 * Downloads as a console line: name, percentage, bytes, rate and time left, e.g.
 * {@code downloading data/cifar10/...: 45% 73.1 of 162.4 MB, 12.5 MB/s, 7s left}. Redrawn in place on a
 * terminal, else one line per 10 % (see {@link ConsoleLine}).
 */
public final class ConsoleDownloadListener implements DownloadListener {

    private final ConsoleLine line;
    private String current;

    /** A listener on {@code out}; terminal detection as in {@link ConsoleLine#isTerminal(PrintStream)}. */
    public ConsoleDownloadListener(PrintStream out) {
        this.line = new ConsoleLine(out);
    }

    /** A listener on a given line. */
    public ConsoleDownloadListener(ConsoleLine line) {
        this.line = line;
    }

    @Override
    public synchronized void onProgress(DownloadProgress p) {
        if (current != null && !current.equals(p.name() + p.url())) {
            line.end();
        }
        current = p.name() + p.url();
        String text = p.status();
        if (p.finished()) {
            line.finish(text);
            current = null;
        } else {
            line.update(p.fraction(), text);
        }
    }
}
