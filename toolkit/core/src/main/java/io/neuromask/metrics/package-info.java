/** Metrics layer (5): the {@link io.neuromask.metrics.Metric} contract, its registry {@link io.neuromask.metrics.Metrics} and the one {@link io.neuromask.metrics.Scorer}; deletion/insertion, pointing game, MaxBoxAcc, sparseness, accuracy, Evaluator. */
package io.neuromask.metrics;
