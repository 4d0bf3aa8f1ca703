package io.neuromask.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.neuromask.Explanation;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYSeries;

class LossChartTest {

    @Test
    void seriesFollowTheLossHistory() {
        Explanation e = Fixtures.halfMask(8, 0.5f, 0.5f, 0.5f);
        LossChart chart = LossChart.of(e);
        assertEquals(LossChart.LOSS_SERIES, List.copyOf(chart.lossChart().getSeriesMap().keySet()));
        XYSeries total = chart.lossChart().getSeriesMap().get("total");
        assertArrayEquals(new double[] {0, 10, 20, 30, 40}, total.getXData());
        assertArrayEquals(new double[] {10, 9, 8, 7, 6}, total.getYData());
        assertArrayEquals(new double[] {3, 2.7, 2.4, 2.1, 1.8},
                chart.lossChart().getSeriesMap().get("smoothness").getYData(), 1e-12);
        XYSeries mean = chart.maskMeanChart().getSeriesMap().get(LossChart.MASK_MEAN_SERIES);
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
