package io.neuromask.notebook;

import io.neuromask.viz.ExplanationFigure;
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

    /**
     * Shows an image: as PNG, or as JPEG when the PNG would exceed 256 KB (a grid of photographs), so that a notebook
     * saved with its outputs stays small.
     */
    public static void image(BufferedImage image) {
        display().display(MimeBundle.picture(image));
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
     * Shows one explanation as the panel that {@code explain} writes to {@code figure.png} (image | mask with a colour
     * bar | overlay, titled with the class and its probability before and after masking: {@link ExplanationFigure}),
     * preceded by its {@link io.neuromask.engine.Explanation#warning() warning} when the mask explains a class the
     * model does not predict. The paper's layout is {@code Show.figure(FigureGrid.paper(explanation))}.
     */
    public static void explanation(io.neuromask.engine.Explanation explanation) {
        explanation(explanation, null);
    }

    /**
     * {@link #explanation(io.neuromask.engine.Explanation)} on the photo the explanation was made from (see
     * {@link io.neuromask.engine.Explanation#withPhotoGeometry}): the photo at its own aspect ratio, the mask mapped
     * back onto it and the crop box outlined.
     *
     * @param photo the photo, or null for the explained image
     * @throws IllegalArgumentException when the photo is not the size the explanation was made from
     */
    public static void explanation(io.neuromask.engine.Explanation explanation, io.neuromask.base.RgbImage photo) {
        ExplanationFigure panel = ExplanationFigure.of(explanation, photo);
        explanation.warning().ifPresent(w -> text("Warning: " + w));
        figure(panel);
    }

    /** Shows an explanation's panel as an image ({@link #image}; text/plain: its title). */
    public static void figure(ExplanationFigure figure) {
        java.util.Map<String, String> data = new java.util.LinkedHashMap<>(MimeBundle.picture(figure.toImage()).data());
        data.put(MimeBundle.TEXT, "<figure " + figure.width() + "x" + figure.height() + ": " + figure.title() + ">");
        display().display(new MimeBundle(data));
    }

    /** Shows a grid figure as an image ({@link #image}). */
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
