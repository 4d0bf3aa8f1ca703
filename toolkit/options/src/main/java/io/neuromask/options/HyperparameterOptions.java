package io.neuromask.options;

import io.neuromask.ExtremalPerturbation;
import io.neuromask.Game;
import io.neuromask.Hyperparameters;
import io.neuromask.MaskObjective;
import io.neuromask.MeaningfulPerturbation;
import io.neuromask.Preset;
import io.neuromask.base.Classifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The mask objective of the commands that learn masks: {@code --objective} or {@code --preset}, then overrides of
 * single settings. NeuroMask's own settings ({@code --temperature}, {@code --lambdas}, ...) are refused for the
 * other objectives, naming the objective. A picocli mixin; {@code --iterations} and {@code --set} come from
 * {@link ObjectiveSettings}, which the Spark job shares.
 */
public final class HyperparameterOptions extends ObjectiveSettings {

    @Option(names = "--learning-rate",
            description = "Learning rate of NeuroMask's RMSProp or meaningful perturbation's Adam (default: the preset's).")
    Double learningRate;

    @Option(names = "--temperature", description = "NeuroMask: sigmoid temperature T (default: the preset's).")
    Double temperature;

    @Option(names = "--lambdas", split = ",", arity = "1",
            description = "NeuroMask: prediction, sparsity and smoothness weights, e.g. 0.4,0.35,0.15 (default: the "
                    + "preset's).")
    double[] lambdas;

    @Option(names = "--initial-accumulator",
            description = "NeuroMask: starting value of RMSProp's mean-square accumulator (TF1: 1, PyTorch: 0).")
    Double initialAccumulator;

    @Option(names = "--init-spread",
            description = "NeuroMask: starting weights' range as a fraction of the init limit: 1 = the paper's "
                    + "U(-10, 10), 0 = all 0.")
    Double initSpread;

    @Option(names = "--init-centre",
            description = "NeuroMask: centre of the starting weights, in [-init limit, init limit]: 0 = the paper's "
                    + "(a mask of 0.5), -3 = a mask of about 0.05.")
    Double initCentre;

    @Option(names = "--lambda-deletion",
            description = "NeuroMask: weight of the deletion term (the mask's complement, blacked out, should lose the "
                    + "class); 0 = the paper's, none.")
    Double lambdaDeletion;

    @Option(names = "--baseline",
            description = "NeuroMask: what removed pixels become in the preserved image: black (the paper's x*m) or "
                    + "blur (the insertion metric's blurred image).")
    String baseline;

    @Option(names = "--smoothness-border",
            description = "NeuroMask: the smoothness term at the image border: valid (the paper's, the border strip "
                    + "is never a window centre) or replicate (every pixel, over edge-replicated weights).")
    String smoothnessBorder;

    @Option(names = "--areas", split = ",",
            description = "Extremal perturbation: target areas, e.g. 0.05,0.1,0.2 (default: the preset's).")
    double[] areas;

    @Option(names = "--game", description = "Meaningful or extremal perturbation: preserve, delete or dual "
            + "(extremal only).")
    String game;

    /**
     * The objective with the given overrides: the named options, then each {@code --set} in order
     * ({@link MaskObjective#withSetting}); invalid values or settings of another objective fail with the reason.
     */
    public MaskObjective apply(MaskObjective objective) {
        refuseTwice();
        MaskObjective o = applyNamed(objective);
        for (Map.Entry<String, String> e : set.entrySet()) {
            try {
                o = o.withSetting(e.getKey(), e.getValue());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("--set " + e.getKey() + "=" + e.getValue() + ": "
                        + bad.getMessage(), bad);
            }
        }
        return o;
    }

    /**
     * Refuses a {@code --set} of a setting that a named option also sets ({@code --iterations 50 --set
     * iterations=80}): one of the two would silently lose.
     */
    private void refuseTwice() {
        Map<String, String> named = new LinkedHashMap<>();
        given(named, iterations, "--iterations", "iterations");
        given(named, learningRate, "--learning-rate", "learningRate");
        given(named, temperature, "--temperature", "temperature");
        given(named, lambdas, "--lambdas", "lambdaPrediction", "lambdaSparsity", "lambdaSmoothness");
        given(named, initialAccumulator, "--initial-accumulator", "rmsInitialAccumulator");
        given(named, initSpread, "--init-spread", "initSpread");
        given(named, initCentre, "--init-centre", "initCentre");
        given(named, lambdaDeletion, "--lambda-deletion", "lambdaDeletion");
        given(named, baseline, "--baseline", "baseline");
        given(named, smoothnessBorder, "--smoothness-border", "smoothnessBorder");
        given(named, areas, "--areas", "areas");
        given(named, game, "--game", "game");
        for (Map.Entry<String, String> e : set.entrySet()) {
            String option = named.get(e.getKey() == null ? "" : e.getKey().trim());
            if (option != null) {
                throw new IllegalArgumentException("--set " + e.getKey().trim() + "=" + e.getValue() + " and "
                        + option + " both set " + e.getKey().trim() + "; keep one of them");
            }
        }
    }

    private static void given(Map<String, String> named, Object value, String option, String... settings) {
        if (value != null) {
            for (String setting : settings) {
                named.put(setting, option);
            }
        }
    }

    private MaskObjective applyNamed(MaskObjective objective) {
        if (iterations != null) {
            objective = objective.withIterations(iterations);
        }
        if (objective instanceof Hyperparameters hp) {
            refuse(hp, areas != null, "--areas");
            refuse(hp, game != null, "--game");
            return applyNeuroMask(hp);
        }
        refuse(objective, temperature != null, "--temperature");
        refuse(objective, lambdas != null, "--lambdas");
        refuse(objective, initialAccumulator != null, "--initial-accumulator");
        refuse(objective, initSpread != null, "--init-spread");
        refuse(objective, initCentre != null, "--init-centre");
        refuse(objective, lambdaDeletion != null, "--lambda-deletion");
        refuse(objective, baseline != null, "--baseline");
        refuse(objective, smoothnessBorder != null, "--smoothness-border");
        if (objective instanceof MeaningfulPerturbation mp) {
            refuse(mp, areas != null, "--areas");
            if (learningRate != null) {
                mp = new MeaningfulPerturbation(mp.game(), mp.maskSize(), mp.blurSigma(), mp.lambdaArea(),
                        mp.lambdaSmoothness(), mp.tvBeta(), mp.iterations(), learningRate, mp.logEvery());
            }
            return game != null ? mp.withGame(Game.parse(game)) : mp;
        }
        if (objective instanceof ExtremalPerturbation ep) {
            if (learningRate != null) {
                throw new IllegalArgumentException("--learning-rate: extremal perturbation uses TorchRay's SGD (lr "
                        + "0.01, momentum 0.9); choose another optimiser in the library (NeuroMask.Builder.optimizer)");
            }
            if (areas != null) {
                ep = ep.withAreas(Arrays.stream(areas).boxed().toList());
            }
            return game != null ? ep.withGame(Game.parse(game)) : ep;
        }
        return objective;
    }

    private Hyperparameters applyNeuroMask(Hyperparameters hp) {
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
        if (initCentre != null) {
            hp = hp.withInitCentre(initCentre);
        }
        if (lambdaDeletion != null) {
            hp = hp.withLambdaDeletion(lambdaDeletion);
        }
        if (baseline != null) {
            hp = hp.withBaseline(parseBaseline(baseline));
        }
        if (smoothnessBorder != null) {
            hp = hp.withSmoothnessBorder(parseBorder(smoothnessBorder));
        }
        return hp;
    }

    private static Hyperparameters.Baseline parseBaseline(String name) {
        for (Hyperparameters.Baseline b : Hyperparameters.Baseline.values()) {
            if (b.name().equalsIgnoreCase(name.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown --baseline '" + name + "'; use black (the paper's) or blur");
    }

    private static Hyperparameters.Border parseBorder(String name) {
        for (Hyperparameters.Border b : Hyperparameters.Border.values()) {
            if (b.name().equalsIgnoreCase(name.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown --smoothness-border '" + name + "'; use valid (the paper's) or "
                + "replicate");
    }

    private static void refuse(MaskObjective objective, boolean given, String option) {
        if (given) {
            throw new IllegalArgumentException(option + " is not a setting of the '" + objective.name()
                    + "' objective; drop it or choose an objective that has it (see --help)");
        }
    }

    /**
     * The objective of a run: the named preset, else the objective's preset for the model's size (NeuroMask's paper
     * preset by default), with the overrides.
     *
     * @param objective {@code neuromask}, {@code meaningful}, {@code extremal} or null
     * @throws IllegalArgumentException when the preset belongs to another objective than {@code objective}
     */
    public MaskObjective resolve(String preset, String objective, Classifier model) {
        if (preset != null) {
            Preset p = Preset.parse(preset);
            if (objective != null && !p.objective().name().equals(objective.trim().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("--preset " + p.cliName() + " belongs to the " + p.objective().name()
                        + " objective but --objective is " + objective + "; drop one of them");
            }
            return apply(p.objective());
        }
        return apply(Preset.forObjective(objective == null ? "neuromask" : objective, model).objective());
    }
}
