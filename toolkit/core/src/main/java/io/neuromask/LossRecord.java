package io.neuromask;

/**
 * The objective of one image at one iteration, before that iteration's update. The weighted terms add
 * up to {@code total}.
 *
 * @param iteration 0-based iteration
 * @param total λ-weighted sum of the three terms
 * @param prediction λ_pred · cross-entropy
 * @param sparsity λ_sparse · mean|w + limit|
 * @param smoothness λ_spatial · mean((K ∗ w)²)
 * @param maskMean mean of the mask
 * @param targetProbability softmax probability of the target class on the masked image
 */
public record LossRecord(
        int iteration,
        double total,
        double prediction,
        double sparsity,
        double smoothness,
        double maskMean,
        double targetProbability) {}
