package io.neuromask.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * A metric whose per-image value depends on the whole set: MaxBoxAcc chooses its threshold over all the images of a
 * method. Per image it keeps a record (a string, e.g. MaxBoxAcc's hit at each threshold as {@code 0}/{@code 1}),
 * which the results file and Spark's table store under {@link #recordName()}; the values come from
 * {@link #reduce} over a method's records, so that a resumed run, or a summary of a Spark table, chooses as an
 * uninterrupted run does.
 */
public interface SetMetric extends Metric {

    /**
     * The values of a set and what it chose.
     *
     * @param values per record, NaN for a null record
     * @param setting what the set chose (MaxBoxAcc: the threshold), NaN when no record applies
     */
    record Reduction(double[] values, double setting) {}

    /** The key of the per-image record in the results file and its column in Spark's table. */
    String recordName();

    /**
     * The per-image records of a batch.
     *
     * @return one per image, null where the metric does not apply
     */
    String[] records(MetricBatch batch);

    /**
     * What is wrong with a record read back from a results file of this scorer's settings, or null when it is valid.
     */
    default String recordProblem(String record, Scorer scorer) {
        return null;
    }

    /**
     * The values of a whole set of records (one method's images; null where the metric does not apply).
     *
     * @throws IllegalArgumentException when the records do not belong together (e.g. other settings)
     */
    Reduction reduce(List<String> records);

    /** The values of the batch taken as the whole set. */
    @Override
    default double[] score(MetricBatch batch) {
        return reduce(Arrays.asList(records(batch))).values();
    }
}
