package io.neuromask.metrics;

import java.util.Arrays;
import java.util.Set;

/**
 * A metric defined only in the test sources and found by {@link java.util.ServiceLoader} through
 * {@code src/test/resources/META-INF/services/io.neuromask.metrics.Metric}: the share of a map's positive mass in
 * its 10 % most salient pixels (NaN for a map without positive mass). The core, CLI and Spark tests (which have
 * core's test jar) see it in evaluate's report and results file and in the Spark table.
 */
public final class TopDecileMass implements Metric {

    /** Its name. */
    public static final String NAME = "top_decile_mass";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER_IS_BETTER;
    }

    @Override
    public Category category() {
        return Category.COMPLEXITY;
    }

    @Override
    public Set<Need> needs() {
        return Set.of();
    }

    @Override
    public double[] score(MetricBatch batch) {
        double[] out = new double[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = of(batch.maps().get(i).values());
        }
        return out;
    }

    /** The share of the positive mass of {@code values} in its ⌈10 %⌉ largest values. */
    static double of(float[] values) {
        double[] positive = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            positive[k] = Math.max(0, values[k]);
        }
        Arrays.sort(positive);
        int top = (int) Math.ceil(values.length / 10.0);
        double inTop = 0;
        double total = 0;
        for (int k = 0; k < positive.length; k++) {
            total += positive[k];
            if (k >= positive.length - top) {
                inTop += positive[k];
            }
        }
        return total > 0 ? inTop / total : Double.NaN;
    }
}
