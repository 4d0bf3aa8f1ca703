package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * XChart plots of an optimisation run: the loss (total and each of the objective's weighted terms, under their
 * own names) and the mask mean over iterations, side by side.
 *
 * <pre>{@code
 * BufferedImage curves = LossChart.of(explanation).toImage();
 * }</pre>
 */
public final class LossChart {

    /** The name of the total's series in {@link #lossChart()}; the terms follow under their own names. */
    public static final String TOTAL_SERIES = "total";

    /** Series name of {@link #maskMeanChart()}. */
    public static final String MASK_MEAN_SERIES = "mask mean";

    private final XYChart loss;
    private final XYChart maskMean;

    private LossChart(XYChart loss, XYChart maskMean) {
        this.loss = loss;
        this.maskMean = maskMean;
    }

    /** Plots an explanation's {@link Explanation#lossHistory()}, each chart 480×320 pixels. */
    public static LossChart of(Explanation explanation) {
        return of(explanation.lossHistory(), 480, 320);
    }

    /**
     * Plots a loss history.
     *
     * @throws IllegalArgumentException when the history is empty
     */
    public static LossChart of(List<LossRecord> history, int chartWidth, int chartHeight) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("the loss history is empty: nothing to plot");
        }
        double[] x = column(history, LossRecord::iteration);
        XYChart loss = chart("Loss", "loss", chartWidth, chartHeight);
        loss.addSeries(TOTAL_SERIES, x, column(history, LossRecord::total));
        for (String term : history.get(0).terms().keySet()) {
            loss.addSeries(term, x, column(history, r -> r.term(term)));
        }
        XYChart mean = chart("Mask mean", "mean of the mask", chartWidth, chartHeight);
        mean.addSeries(MASK_MEAN_SERIES, x, column(history, LossRecord::maskMean));
        return new LossChart(loss, mean);
    }

    private static XYChart chart(String title, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("iteration")
                .yAxisTitle(yTitle).build();
        c.getStyler().setMarkerSize(0);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return c;
    }

    private static double[] column(List<LossRecord> history, ToDoubleFunction<LossRecord> f) {
        double[] out = new double[history.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(history.get(i));
        }
        return out;
    }

    /**
     * The loss chart: series {@link #TOTAL_SERIES}, then one per loss term of the objective (NeuroMask's
     * {@code prediction}, {@code sparsity}, {@code smoothness}). Mutable XChart object: style it freely.
     */
    public XYChart lossChart() {
        return loss;
    }

    /** The mask-mean chart: one series, {@link #MASK_MEAN_SERIES}. */
    public XYChart maskMeanChart() {
        return maskMean;
    }

    /** Both charts side by side (loss left, mask mean right). */
    public BufferedImage toImage() {
        BufferedImage a = BitmapEncoder.getBufferedImage(loss);
        BufferedImage b = BitmapEncoder.getBufferedImage(maskMean);
        BufferedImage out = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(a, 0, 0, null);
            g.drawImage(b, a.getWidth(), 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
