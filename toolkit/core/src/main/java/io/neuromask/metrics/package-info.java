/** Metrics layer (5): deletion/insertion, pointing game, MaxBoxAcc, sparseness, accuracy, Evaluator. */
package io.neuromask.metrics;
