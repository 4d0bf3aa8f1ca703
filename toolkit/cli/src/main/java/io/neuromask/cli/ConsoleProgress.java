package io.neuromask.cli;

import io.neuromask.Progress;
import io.neuromask.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress display on a terminal stream, redrawn at most ten times a second. */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream out;
    private final String label;
    private long lastDraw;
    private boolean drawn;

    ConsoleProgress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void onProgress(Progress p) {
        long now = System.nanoTime();
        boolean last = p.iteration() == p.iterations() && p.imagesDone() + p.batchSize() == p.images();
        if (!last && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.printf(Locale.ROOT, "\r%s: %5.1f%%  iteration %d/%d  images %d/%d  loss %.4f  %.1fs   ", label,
                100 * p.fraction(), p.iteration(), p.iterations(), p.imagesDone(), p.images(), p.meanLoss(),
                p.elapsed().toMillis() / 1000.0);
        out.flush();
    }

    /** Ends the progress line. */
    void done() {
        if (drawn) {
            out.println();
        }
    }
}
