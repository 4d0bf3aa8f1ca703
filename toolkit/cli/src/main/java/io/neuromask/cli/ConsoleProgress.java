package io.neuromask.cli;

import io.neuromask.engine.Progress;
import io.neuromask.engine.ProgressListener;
import io.neuromask.io.ConsoleLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * NeuroMask's progress on a console stream through a {@link ConsoleLine}: redrawn in place at most ten times a
 * second on a terminal, else one line per 10 % (set {@code NEUROMASK_PROGRESS=bar|lines} to choose).
 */
final class ConsoleProgress implements ProgressListener {

    private final ConsoleLine line;
    private final String label;
    private String lastText;

    ConsoleProgress(PrintStream out, String label) {
        this.line = new ConsoleLine(out);
        this.label = label;
    }

    @Override
    public void onProgress(Progress p) {
        lastText = String.format(Locale.ROOT, "%s: %5.1f%%  iteration %d/%d  images %d/%d  loss %.4f  %.1fs", label,
                100 * p.fraction(), p.iteration(), p.iterations(), p.imagesDone(), p.images(), p.meanLoss(),
                p.elapsed().toMillis() / 1000.0);
        line.update(p.fraction(), lastText);
    }

    /** Ends the progress display with the last state. */
    void done() {
        if (lastText != null) {
            line.finish(lastText);
        }
    }
}
