package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYSeries;

class LossChartTest {

    @Test
    void seriesFollowTheLossHistory() {
        Explanation e = Fixtures.halfMask(8, 0.5f, 0.5f, 0.5f);
        LossChart chart = LossChart.of(e);
        assertEquals(List.of("total", "prediction", "sparsity", "smoothness"),
                List.copyOf(chart.lossChart().getSeriesMap().keySet()));
        XYSeries total = chart.lossChart().getSeriesMap().get("total");
        assertArrayEquals(new double[] {0, 10, 20, 30, 40}, total.getXData());
        assertArrayEquals(new double[] {10, 9, 8, 7, 6}, total.getYData());
        // Fixtures.halfMask's history: prediction 1 + 0.1i, sparsity 2 − 0.2i, smoothness 3 − 0.3i, mean 0.5 − 0.05i
        assertArrayEquals(new double[] {1, 1.1, 1.2, 1.3, 1.4},
                chart.lossChart().getSeriesMap().get("prediction").getYData(), 1e-12);
        assertArrayEquals(new double[] {2, 1.8, 1.6, 1.4, 1.2},
                chart.lossChart().getSeriesMap().get("sparsity").getYData(), 1e-12);
        assertArrayEquals(new double[] {3, 2.7, 2.4, 2.1, 1.8},
                chart.lossChart().getSeriesMap().get("smoothness").getYData(), 1e-12);
        XYSeries mean = chart.maskMeanChart().getSeriesMap().get("mask mean");
        assertArrayEquals(new double[] {0.5, 0.45, 0.4, 0.35, 0.3}, mean.getYData(), 1e-12);
        assertEquals(1, chart.maskMeanChart().getSeriesMap().size());
    }

    @Test
    void rendersBothChartsSideBySide() {
        BufferedImage img = LossChart.of(Fixtures.halfMask(8, 0, 0, 0)).toImage();
        assertEquals(960, img.getWidth());
        assertEquals(320, img.getHeight());
    }

    @Test
    void emptyHistoryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LossChart.of(List.of(), 100, 100));
    }
}
