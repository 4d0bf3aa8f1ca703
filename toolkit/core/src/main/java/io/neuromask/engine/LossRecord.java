package io.neuromask.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objective of one image at one iteration, before that iteration's update. The weighted terms add
 * up to {@code total}; their names are the objective's ({@link MaskObjective#termNames()}): NeuroMask's
 * {@code prediction}, {@code sparsity}, {@code smoothness}; meaningful perturbation's {@code prediction},
 * {@code area}, {@code smoothness}; extremal perturbation's {@code reward}, {@code area}.
 *
 * @param iteration 0-based iteration
 * @param total the weighted sum of the terms
 * @param terms each weighted term by name, in the objective's order (unmodifiable)
 * @param maskMean mean of the saliency mask
 * @param targetProbability softmax probability of the target on the input keeping the mask, or NaN when the
 *     objective does not compute it during optimisation
 */
public record LossRecord(int iteration, double total, Map<String, Double> terms, double maskMean,
        double targetProbability) {

    public LossRecord {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /**
     * One weighted term.
     *
     * @throws IllegalArgumentException naming the terms this record has
     */
    public double term(String name) {
        Double v = terms.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no loss term '" + name + "'; this objective's terms are "
                    + terms.keySet());
        }
        return v;
    }
}
