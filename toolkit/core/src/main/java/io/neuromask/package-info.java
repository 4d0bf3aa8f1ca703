/** Engine (layer 3): NeuroMask, its builder, hyperparameters, presets and the Explanation it returns. */
package io.neuromask;
