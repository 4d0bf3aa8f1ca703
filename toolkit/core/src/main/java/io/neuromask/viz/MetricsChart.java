package io.neuromask.viz;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Metrics;
import io.neuromask.metrics.Summary;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** An XChart bar chart of chosen metrics per method, from an {@link Evaluator.Report}. */
public final class MetricsChart {

    private MetricsChart() {}

    /**
     * Bars of the mean of each metric (one series per metric, named by it, one group per method), with the 95 %
     * interval half-width as error bars; the legend gives each metric's direction ({@link Metrics#heading}).
     *
     * @throws IllegalArgumentException for a metric the report does not have
     */
    public static CategoryChart bars(Evaluator.Report report, List<String> metrics, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
                .title(report.model() + " on " + report.data() + " (" + report.images() + " images)")
                .xAxisTitle("method").yAxisTitle("score").build();
        List<String> methods = new ArrayList<>();
        report.methods().forEach(m -> methods.add(m.method()));
        for (String metric : metrics) {
            List<Double> means = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (Evaluator.MethodReport m : report.methods()) {
                Summary s = m.metrics().get(metric);
                if (s == null) {
                    throw new IllegalArgumentException("unknown metric '" + metric + "'; the report has "
                            + m.metrics().keySet());
                }
                means.add(Double.isFinite(s.mean()) ? s.mean() : 0.0);
                errors.add(Double.isFinite(s.halfWidth()) ? s.halfWidth() : 0.0);
            }
            // the series keeps the metric's name; its legend shows the direction (deletion_auc ↓)
            chart.addSeries(metric, methods, means, errors).setLabel(Metrics.heading(metric));
        }
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return chart;
    }

    /** The chart as an image, e.g. the last expression of a notebook cell. */
    public static BufferedImage image(CategoryChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }
}
