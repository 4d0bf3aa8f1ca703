/**
 * Hyperparameter sweeps: {@link io.neuromask.sweep.Sweep} runs a grid of NeuroMask settings on one image as one
 * batched optimisation, {@link io.neuromask.sweep.SweepResult} holds the masks and
 * {@link io.neuromask.sweep.SweepPage} renders them as one self-contained interactive HTML page. Above the
 * presentation layer: uses the engine, {@code viz} and {@code export}.
 */
package io.neuromask.sweep;
