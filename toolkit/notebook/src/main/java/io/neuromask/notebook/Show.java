package io.neuromask.notebook;

import io.neuromask.viz.ExplanationTable;
import io.neuromask.viz.FigureGrid;
import io.neuromask.viz.LossChart;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Shows figures, charts and tables inline in a Jupyter notebook, on rapaio-jupyter-kernel, IJava or JJava
 * alike; outside a kernel it prints a plain-text description.
 *
 * <p>Every method returns nothing, so a call as a cell's last statement adds no {@code Out[n]} entry.
 *
 * <pre>{@code
 * Show.figure(FigureGrid.paper(explanation));
 * Show.table(ExplanationTable.of(explanations));
 * }</pre>
 */
public final class Show {

    private static volatile KernelDisplay display;

    private Show() {}

    /** The display in use: detected on first use, see {@link KernelDisplays#detect()}. */
    public static KernelDisplay display() {
        KernelDisplay d = display;
        if (d == null) {
            synchronized (Show.class) {
                if (display == null) {
                    display = KernelDisplays.detect();
                }
                d = display;
            }
        }
        return d;
    }

    /** Replaces the display (for tests, or to force plain text with {@code new PlainTextDisplay()}). */
    public static void use(KernelDisplay kernelDisplay) {
        display = Objects.requireNonNull(kernelDisplay, "kernelDisplay");
    }

    /** Shows an image as PNG. */
    public static void image(BufferedImage image) {
        display().display(MimeBundle.png(image));
    }

    /** Shows an HTML fragment. */
    public static void html(String html) {
        display().display(MimeBundle.html(html, html.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim()));
    }

    /** Shows plain text. */
    public static void text(String text) {
        display().display(MimeBundle.text(text));
    }

    /**
     * Shows one explanation in the paper's layout (image | overlay | mask), preceded by its {@link
     * io.neuromask.engine.Explanation#warning() warning} when the mask explains a class the model does not predict.
     */
    public static void explanation(io.neuromask.engine.Explanation explanation) {
        explanation.warning().ifPresent(w -> text("Warning: " + w));
        figure(FigureGrid.paper(java.util.List.of(explanation)));
    }

    /** Shows a grid figure as PNG. */
    public static void figure(FigureGrid grid) {
        image(grid.toImage());
    }

    /** Shows the loss and mask-mean charts as PNG. */
    public static void chart(LossChart chart) {
        image(chart.toImage());
    }

    /**
     * Shows a sweep as the interactive explorer: one self-contained HTML output with a slider per swept value
     * ({@link io.neuromask.sweep.SweepPage}); text/plain: the result's summary.
     */
    public static void sweep(io.neuromask.sweep.SweepResult result) {
        display().display(MimeBundle.html(result.toHtml(), result.toString()));
    }

    /**
     * Shows how a mask formed: a player with a slider, play/pause and the loss curve with a moving marker
     * ({@link io.neuromask.viz.EvolutionPage}). The explanation must come from a run with
     * {@code NeuroMask.builder().recordEvery(k)}.
     *
     * @throws IllegalStateException when it has no recorded evolution
     */
    public static void evolution(io.neuromask.engine.Explanation explanation) {
        display().display(MimeBundle.html(io.neuromask.viz.EvolutionPage.fragment(explanation),
                explanation.evolution().map(Object::toString).orElse("")));
    }

    /** Shows a table as HTML (text/plain: Tablesaw's printout). */
    public static void table(ExplanationTable table) {
        display().display(MimeBundle.html(table.toHtml(), table.toString()));
    }
}
