package io.neuromask.engine.extremal;

import io.neuromask.engine.Game;
import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.Optimizer;
import io.neuromask.engine.SettingDoc;
import java.util.List;
import java.util.Map;

/**
 * Extremal perturbation (Fong, Patrick &amp; Vedaldi, "Understanding Deep Networks via Extremal Perturbations and
 * Smooth Masks", ICCV 2019) as a {@link MaskObjective}, with the defaults of the reference implementation,
 * TorchRay's {@code torchray/attribution/extremal_perturbation.py}.
 *
 * <p>For each target area {@code a} (one parameter row per area, all in one batch) a smooth mask {@code M} is
 * generated from parameters on a grid of {@code step} pixels by a smooth maximum of Gaussian-like bumps of radius
 * σ (TorchRay's {@code MaskGenerator}). The input is perturbed through a blur pyramid of {@code levels} levels,
 * blur σ from {@code maxBlur} to 0, the mask choosing the level per pixel (TorchRay's {@code Perturbation}). The
 * energy to maximise is
 * <pre>
 *   reward(M) − λ_t · mean((sort(M) − r_a)²)       λ_t = regularizerWeight · regularizerGrowth^t
 * </pre>
 * where {@code r_a} has {@code a·H·W} ones: unlike TorchRay, which counts the ones over the mask with its margin
 * (so that at 224² its masks cover about 1.35·a of the image), the area here is a fraction of the image. The reward
 * is the target's logit on the preserved input (preservation game), minus it on the deleted
 * input {@code 1 − M} (deletion game), or their difference (dual game); {@code r_a} is the sorted ideal mask of
 * area {@code a} (zeros, then ones); the horizontal flip of the input at every even
 * iteration is TorchRay's jitter. SGD with lr 0.01, momentum 0.9 and dampening 0.9 (TorchRay's values), with the
 * parameters starting at 1 and clamped to [0, 1] after every step.
 *
 * <p>Loss terms (per image, summed over its areas): {@code reward} (the negated reward) and {@code area} (the
 * weighted constraint). The saliency is the mean of the area masks (TorchRay sums them; the mean keeps [0, 1]
 * and ranks pixels the same); ties where the masks saturate are broken by the same mean of the unclamped masks.
 *
 * <p>{@link #imagenet()}: areas 0.05, 0.1, 0.2, preservation game, step 7, σ 21, 8 levels, max blur 20, λ 300
 * growing ×1.0035 per step, jitter, 800 iterations: TorchRay's defaults at 224² (TorchRay's default is one area,
 * 0.1; its pointing-game benchmark sums several). {@link #cifar10()} divides every length by 7 (224/32): step 1,
 * σ 3, max blur 20/7.
 *
 * @param areas target areas, each in (0, 1), at least one
 * @param game the perturbation game
 * @param step parameter grid spacing in pixels, ≥ 1
 * @param sigma mask smoothing radius in pixels, &gt; 0
 * @param levels blur pyramid levels, ≥ 2
 * @param maxBlur the strongest blur's σ in pixels, ≥ 0
 * @param regularizer the area constraint's starting weight and growth per step ({@link Regularizer})
 * @param jitter flip the input horizontally at every even iteration
 * @param iterations SGD steps, ≥ 1
 * @param logEvery record the loss every this many iterations, ≥ 1
 */
public record ExtremalPerturbation(
        @SettingDoc(value = "target areas, fractions of the image, e.g. 0.05,0.1,0.2", range = "each in (0, 1), at least one", option = "--areas")
        List<Double> areas,
        @SettingDoc(value = "the game: preserve, delete or dual", option = "--game")
        Game game,
        @SettingDoc(value = "parameter grid spacing in pixels", range = ">= 1")
        int step,
        @SettingDoc(value = "mask smoothing radius in pixels", range = "> 0")
        double sigma,
        @SettingDoc(value = "blur pyramid levels", range = ">= 2")
        int levels,
        @SettingDoc(value = "the strongest blur's sigma in pixels", range = ">= 0")
        double maxBlur,
        Regularizer regularizer,
        @SettingDoc("flip the input horizontally at every even iteration")
        boolean jitter,
        @SettingDoc(value = "SGD steps", range = ">= 1")
        int iterations,
        @SettingDoc(value = "record the loss every this many iterations", range = ">= 1")
        int logEvery)
        implements MaskObjective<ExtremalPerturbation> {

    /**
     * The area constraint's weight {@code regularizerWeight · regularizerGrowth^iteration}.
     *
     * @param regularizerWeight the starting weight, &gt; 0
     * @param regularizerGrowth the factor the weight grows by each step, ≥ 1
     */
    public record Regularizer(
            @SettingDoc(value = "the area constraint's starting weight", range = "> 0") double regularizerWeight,
            @SettingDoc(value = "the factor the weight grows by each step", range = ">= 1") double regularizerGrowth) {

        /** Checks both. */
        public Regularizer {
            if (!(regularizerWeight > 0) || !Double.isFinite(regularizerWeight)) {
                throw new IllegalArgumentException("regularizerWeight must be a finite number > 0, got "
                        + regularizerWeight);
            }
            if (!(regularizerGrowth >= 1) || !Double.isFinite(regularizerGrowth)) {
                throw new IllegalArgumentException("regularizerGrowth must be a finite number >= 1, got "
                        + regularizerGrowth);
            }
        }
    }

    public ExtremalPerturbation {
        if (areas == null || areas.isEmpty()) {
            throw new IllegalArgumentException("extremal perturbation needs at least one target area, e.g. 0.1");
        }
        areas = List.copyOf(areas);
        for (double a : areas) {
            if (!(a > 0 && a < 1)) {
                throw new IllegalArgumentException("every target area must lie strictly between 0 and 1, got " + a);
            }
        }
        if (game == null) {
            throw new IllegalArgumentException("game is required: preserve, delete or dual");
        }
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1 pixel, got " + step);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number > 0, got " + sigma);
        }
        if (levels < 2) {
            throw new IllegalArgumentException("levels must be at least 2, got " + levels);
        }
        if (!(maxBlur >= 0) || !Double.isFinite(maxBlur)) {
            throw new IllegalArgumentException("maxBlur must be a finite number >= 0, got " + maxBlur);
        }
        java.util.Objects.requireNonNull(regularizer, "regularizer");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery must be at least 1, got " + logEvery);
        }
    }

    /** TorchRay's defaults for 224² inputs, with areas 0.05, 0.1 and 0.2 (see the class comment). */
    public static ExtremalPerturbation imagenet() {
        return new ExtremalPerturbation(List.of(0.05, 0.1, 0.2), Game.PRESERVE, 7, 21, 8, 20, new Regularizer(300, 1.0035), true, 800,
                10);
    }

    /** {@link #imagenet()} with every length divided by 7, for 32² inputs. */
    public static ExtremalPerturbation cifar10() {
        return new ExtremalPerturbation(List.of(0.05, 0.1, 0.2), Game.PRESERVE, 1, 3, 8, 20.0 / 7, new Regularizer(300, 1.0035), true,
                800, 10);
    }

    public ExtremalPerturbation withAreas(List<Double> a) {
        return new ExtremalPerturbation(a, game, step, sigma, levels, maxBlur, regularizer,
                jitter, iterations, logEvery);
    }

    public ExtremalPerturbation withGame(Game g) {
        return new ExtremalPerturbation(areas, g, step, sigma, levels, maxBlur, regularizer,
                jitter, iterations, logEvery);
    }

    @Override
    public ExtremalPerturbation withIterations(int n) {
        return new ExtremalPerturbation(areas, game, step, sigma, levels, maxBlur, regularizer, jitter, n, logEvery);
    }

    @Override
    public ExtremalPerturbation withLogEvery(int n) {
        return new ExtremalPerturbation(areas, game, step, sigma, levels, maxBlur, regularizer, jitter, iterations, n);
    }

    public double regularizerWeight() {
        return regularizer.regularizerWeight();
    }

    public double regularizerGrowth() {
        return regularizer.regularizerGrowth();
    }

    /** The objective's name: {@code extremal}. */
    public static final String NAME = "extremal";

    /** {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** SGD with lr 0.01, momentum 0.9 and dampening 0.9 (TorchRay's). */
    @Override
    public Optimizer optimizer() {
        return new Optimizer.Sgd(0.01, 0.9, 0.9);
    }

    @Override
    public List<String> termNames() {
        return List.of("reward", "area");
    }



    /** Every setting must match to share a batch. */
    @Override
    public Object batchKey() {
        return this;
    }

    @Override
    public MaskBatch start(MaskBatch.Context context, List<ExtremalPerturbation> perImage) {
        return ExtremalBatch.start(context, this, perImage.size());
    }
}
