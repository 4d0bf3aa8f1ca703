package io.neuromask.metrics;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean and 95 % confidence interval of per-image values: {@code mean ± t(0.975, n−1) · sd/√n} with
 * the sample standard deviation and Student's t quantile (commons-math3's {@link TDistribution}; not 1.96,
 * which is too narrow for small n).
 * With one value the interval is undefined (NaN bounds); NaN inputs are ignored.
 *
 * @param n values used
 * @param mean their mean
 * @param sd sample standard deviation (n − 1 denominator)
 * @param low lower 95 % bound
 * @param high upper 95 % bound
 */
public record Summary(int n, double mean, double sd, double low, double high) {

    /** Summarises values, skipping NaNs. */
    public static Summary of(double[] values) {
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
            }
        }
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double sd = Math.sqrt(ss / (n - 1));
        double half = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }

    /** Half the interval width. */
    public double halfWidth() {
        return (high - low) / 2;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4f ± %.4f (n=%d)", mean, halfWidth(), n);
    }
}
