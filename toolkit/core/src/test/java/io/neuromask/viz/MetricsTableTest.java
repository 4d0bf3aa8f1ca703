package io.neuromask.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Summary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTableTest {

    private static Evaluator.MethodReport method(String name, double deletion, double pointing) {
        Map<String, Summary> m = new LinkedHashMap<>();
        m.put("deletion_auc", Summary.of(new double[] {deletion - 0.1, deletion, deletion + 0.1}));
        m.put("pointing_game", Summary.of(new double[] {Double.NaN, Double.NaN}));
        m.put("gini", Summary.of(new double[] {pointing, pointing}));
        return new Evaluator.MethodReport(name, 0.25, m, new LinkedHashMap<>(), Double.NaN, Map.of());
    }

    private static final Evaluator.Report REPORT = new Evaluator.Report("m", "d", 3,
            List.of(method("neuromask", 0.2, 0.7), method("center", 0.4, 0.3)));

    @Test
    void oneRowPerMethodWithMeansAndIntervalsAndNoEmptyMetrics() {
        MetricsTable t = MetricsTable.of(REPORT);
        var table = t.table();
        assertEquals(2, table.rowCount());
        assertEquals(List.of("method", "time (s/image)", "deletion_auc", "deletion_auc ±95%", "gini", "gini ±95%"),
                table.columnNames(), "pointing_game has no values and is left out");
        assertEquals("center", table.stringColumn("method").get(1));
        assertEquals(0.4, table.doubleColumn("deletion_auc").get(1), 1e-12);
        // t(0.975, 2) * sd / sqrt(3) with sd = 0.1
        assertEquals(4.302652729911275 * 0.1 / Math.sqrt(3), table.doubleColumn("deletion_auc ±95%").get(0), 1e-6);
        String html = t.toHtml();
        assertTrue(html.contains("<td>neuromask</td><td>0.25</td><td>0.2000</td>"), html);
    }

    @Test
    void barChartHasOneSeriesPerMetricAndRejectsUnknownMetrics() {
        var chart = MetricsChart.bars(REPORT, List.of("deletion_auc", "gini"), 500, 300);
        assertEquals(List.of("deletion_auc", "gini"), List.copyOf(chart.getSeriesMap().keySet()));
        var image = MetricsChart.image(chart);
        assertEquals(500, image.getWidth());
        var e = assertThrows(IllegalArgumentException.class, () -> MetricsChart.bars(REPORT, List.of("auc"), 500, 300));
        assertTrue(e.getMessage().contains("auc"), e.getMessage());
    }
}
