package io.neuromask.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimiser of a mask objective's parameters, chosen per run ({@link MaskEngine.Builder#optimizer}) or left
 * to the objective's default ({@link MaskObjective#optimizer()}). Every image of a batch keeps its own state.
 *
 * <ul>
 *   <li>{@link RmsPropTf1}: TensorFlow 1's {@code RMSPropOptimizer} without momentum, NeuroMask's;</li>
 *   <li>{@link Adam}: PyTorch's {@code torch.optim.Adam}, meaningful perturbation's;</li>
 *   <li>{@link Sgd}: PyTorch's {@code torch.optim.SGD} with momentum and dampening, extremal perturbation's.</li>
 * </ul>
 */
public sealed interface Optimizer permits Optimizer.RmsPropTf1, Optimizer.Adam, Optimizer.Sgd {

    /** The learning rate. */
    double learningRate();

    /** The optimiser's name ({@code rmsprop-tf1}, {@code adam}, {@code sgd}). */
    String name();

    /** Every setting by name, for exports. */
    Map<String, Object> settings();

    /** The same optimiser at another learning rate. */
    Optimizer withLearningRate(double learningRate);

    /**
     * {@code ms = decay·ms + (1−decay)·g²; w −= lr·g / sqrt(ms + epsilon)}, {@code ms} starting at
     * {@code initialAccumulator} (TF1: 1; PyTorch and Keras: 0).
     */
    record RmsPropTf1(double learningRate, double decay, double epsilon, double initialAccumulator)
            implements Optimizer {
        public RmsPropTf1 {
            positive("learningRate", learningRate);
            if (!(decay >= 0 && decay < 1)) {
                throw new IllegalArgumentException("rmsprop decay must be in [0, 1), got " + decay);
            }
            positive("epsilon", epsilon);
            nonNegative("initialAccumulator", initialAccumulator);
        }

        @Override
        public String name() {
            return "rmsprop-tf1";
        }

        @Override
        public Map<String, Object> settings() {
            return map("learningRate", learningRate, "decay", decay, "epsilon", epsilon, "initialAccumulator",
                    initialAccumulator);
        }

        @Override
        public RmsPropTf1 withLearningRate(double lr) {
            return new RmsPropTf1(lr, decay, epsilon, initialAccumulator);
        }
    }

    /**
     * {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; w −= lr·m̂ / (sqrt(v̂) + epsilon)} with the bias
     * corrections {@code m̂ = m / (1−β1^t)}, {@code v̂ = v / (1−β2^t)} (Kingma &amp; Ba 2015; PyTorch's defaults
     * β = (0.9, 0.999), epsilon 1e-8).
     */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
        public Adam {
            positive("learningRate", learningRate);
            unitInterval("beta1", beta1);
            unitInterval("beta2", beta2);
            positive("epsilon", epsilon);
        }

        /** PyTorch's defaults at this learning rate. */
        public static Adam of(double learningRate) {
            return new Adam(learningRate, 0.9, 0.999, 1e-8);
        }

        @Override
        public String name() {
            return "adam";
        }

        @Override
        public Map<String, Object> settings() {
            return map("learningRate", learningRate, "beta1", beta1, "beta2", beta2, "epsilon", epsilon);
        }

        @Override
        public Adam withLearningRate(double lr) {
            return new Adam(lr, beta1, beta2, epsilon);
        }
    }

    /**
     * PyTorch's SGD: {@code b = g} at the first step, then {@code b = μ·b + (1−dampening)·g}; {@code w −= lr·b}.
     * TorchRay's extremal perturbation uses lr 0.01, μ 0.9, dampening 0.9.
     */
    record Sgd(double learningRate, double momentum, double dampening) implements Optimizer {
        public Sgd {
            positive("learningRate", learningRate);
            unitInterval("momentum", momentum);
            unitInterval("dampening", dampening);
        }

        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public Map<String, Object> settings() {
            return map("learningRate", learningRate, "momentum", momentum, "dampening", dampening);
        }

        @Override
        public Sgd withLearningRate(double lr) {
            return new Sgd(lr, momentum, dampening);
        }
    }

    private static void positive(String name, double v) {
        if (!Double.isFinite(v) || v <= 0) {
            throw new IllegalArgumentException("optimizer " + name + " must be a finite number > 0, got " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw new IllegalArgumentException("optimizer " + name + " must be a finite number >= 0, got " + v);
        }
    }

    private static void unitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("optimizer " + name + " must be in [0, 1), got " + v);
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
