package io.neuromask.cli;

import io.neuromask.Hyperparameters;
import io.neuromask.Preset;
import io.neuromask.base.Classifier;
import picocli.CommandLine.Option;

/** Overrides of a preset's NeuroMask hyperparameters, shared by the commands that learn masks. */
final class HyperparameterOptions {

    @Option(names = "--iterations", description = "Optimiser steps (default: the preset's).")
    Integer iterations;

    @Option(names = "--learning-rate", description = "RMSProp learning rate (default: the preset's).")
    Double learningRate;

    @Option(names = "--temperature", description = "Sigmoid temperature T (default: the preset's).")
    Double temperature;

    @Option(names = "--lambdas", split = ",", arity = "1",
            description = "Prediction, sparsity and smoothness weights, e.g. 0.4,0.35,0.15 (default: the preset's).")
    double[] lambdas;

    @Option(names = "--initial-accumulator",
            description = "Starting value of RMSProp's mean-square accumulator (TF1: 1, PyTorch: 0).")
    Double initialAccumulator;

    @Option(names = "--init-spread",
            description = "Starting weights' range as a fraction of the init limit: 1 = the paper's U(-10, 10), 0 = all 0.")
    Double initSpread;

    /** The preset's values with the given overrides; invalid values fail with the reason. */
    Hyperparameters apply(Hyperparameters hp) {
        if (iterations != null) {
            hp = hp.withIterations(iterations);
        }
        if (learningRate != null) {
            hp = hp.withLearningRate(learningRate);
        }
        if (temperature != null) {
            hp = hp.withTemperature(temperature);
        }
        if (lambdas != null) {
            if (lambdas.length != 3) {
                throw new IllegalArgumentException("--lambdas takes 3 comma-separated values (prediction, sparsity, "
                        + "smoothness), got " + lambdas.length);
            }
            hp = hp.withLambdas(lambdas[0], lambdas[1], lambdas[2]);
        }
        if (initialAccumulator != null) {
            hp = hp.withInitialAccumulator(initialAccumulator);
        }
        if (initSpread != null) {
            hp = hp.withInitSpread(initSpread);
        }
        return hp;
    }

    /** The named preset, or the model's paper preset when {@code preset} is null, with the overrides. */
    Hyperparameters resolve(String preset, Classifier model) {
        return apply((preset != null ? Preset.parse(preset) : Presets.forModel(model)).hyperparameters());
    }
}
