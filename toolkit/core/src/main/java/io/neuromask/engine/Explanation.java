package io.neuromask.engine;

import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import java.time.Duration;
import java.util.List;

/**
 * The result of explaining one image with a {@link MaskObjective} (NeuroMask, meaningful or extremal
 * perturbation): the learned mask as a {@link SaliencyMap} (the map type every method returns) plus the mask
 * engine's extras: what the mask does to the model, the loss history with the objective's named terms, the
 * objective's settings, the optimiser and the seed.
 *
 * <p>Export with {@code io.neuromask.export.ExplanationFiles.saveAll(explanation, dir)} (mask PNG, overlay PNG,
 * mask {@code .npy}, JSON summary) or its single-file methods.
 */
public final class Explanation {

    private final String model;
    private final RgbImage image;
    private final SaliencyMap mask;
    private final int target;
    private final String targetLabel;
    private final int predictedOriginal;
    private final double probabilityOriginal;
    private final double probabilityMasked;
    private final int predictedMasked;
    private final List<LossRecord> lossHistory;
    private final int iterations;
    private final Duration wallTime;
    private final StopReason stopReason;
    private final MaskObjective<?> objective;
    private final Optimizer optimizer;
    private final float[] tieBreak;
    private final long seed;
    private final String device;
    private final MaskEvolution evolution;
    private final int targetRank;
    private final io.neuromask.base.PhotoGeometry photoGeometry;

    /** Below this probability of the target on the image, {@link #warning()} speaks. */
    public static final double WARN_BELOW_PROBABILITY = 0.1;
    /** Below this rank of the target among the classes (1 = predicted), {@link #warning()} speaks. */
    public static final int WARN_BELOW_RANK = 5;

    /** A copy with the recorded mask evolution, the target's rank and the photo's geometry. */
    private Explanation(Explanation e, MaskEvolution evolution, int targetRank,
            io.neuromask.base.PhotoGeometry photoGeometry) {
        this.model = e.model;
        this.image = e.image;
        this.mask = e.mask;
        this.target = e.target;
        this.targetLabel = e.targetLabel;
        this.predictedOriginal = e.predictedOriginal;
        this.probabilityOriginal = e.probabilityOriginal;
        this.probabilityMasked = e.probabilityMasked;
        this.predictedMasked = e.predictedMasked;
        this.lossHistory = e.lossHistory;
        this.iterations = e.iterations;
        this.wallTime = e.wallTime;
        this.stopReason = e.stopReason;
        this.objective = e.objective;
        this.optimizer = e.optimizer;
        this.tieBreak = e.tieBreak;
        this.seed = e.seed;
        this.device = e.device;
        this.evolution = evolution;
        this.targetRank = targetRank;
        this.photoGeometry = photoGeometry;
    }

    /**
     * Starts an explanation of {@code image} by {@code mask}; the engine builds them, tests and readers of saved
     * results may too. Every part but the tie-break, the seed and the device is required.
     *
     * @param mask the saliency, row-major H×W in [0, 1]
     */
    public static Builder builder(String model, RgbImage image, float[] mask) {
        return new Builder(model, image, mask);
    }

    /** The parts of an {@link Explanation}; {@link #build()} checks them. */
    public static final class Builder {
        private final String model;
        private final RgbImage image;
        private final float[] mask;
        private float[] tieBreak;
        private Integer target;
        private String targetLabel;
        private int predictedOriginal = -1;
        private double probabilityOriginal = Double.NaN;
        private int predictedMasked = -1;
        private double probabilityMasked = Double.NaN;
        private List<LossRecord> lossHistory = List.of();
        private int iterations;
        private Duration wallTime = Duration.ZERO;
        private StopReason stopReason = StopReason.COMPLETED;
        private MaskObjective<?> objective;
        private Optimizer optimizer;
        private long seed;
        private String device;

        private Builder(String model, RgbImage image, float[] mask) {
            this.model = java.util.Objects.requireNonNull(model, "model");
            this.image = java.util.Objects.requireNonNull(image, "image");
            this.mask = java.util.Objects.requireNonNull(mask, "mask");
        }

        /** The score that orders pixels where the mask ties (same length as the mask); none by default. */
        public Builder tieBreak(float[] tieBreak) {
            this.tieBreak = tieBreak;
            return this;
        }

        /** The explained class and its label. */
        public Builder target(int index, String label) {
            this.target = index;
            this.targetLabel = label;
            return this;
        }

        /** The model's prediction on the image and the target's probability there. */
        public Builder original(int predicted, double targetProbability) {
            this.predictedOriginal = predicted;
            this.probabilityOriginal = targetProbability;
            return this;
        }

        /** The model's prediction on the masked image and the target's probability there. */
        public Builder masked(int predicted, double targetProbability) {
            this.predictedMasked = predicted;
            this.probabilityMasked = targetProbability;
            return this;
        }

        /** The optimisation: the recorded losses, the iterations run, its wall time and why it stopped. */
        public Builder run(List<LossRecord> lossHistory, int iterations, Duration wallTime, StopReason stopReason) {
            this.lossHistory = lossHistory;
            this.iterations = iterations;
            this.wallTime = wallTime;
            this.stopReason = stopReason;
            return this;
        }

        /** The objective and optimiser the mask was learnt with. */
        public Builder objective(MaskObjective<?> objective, Optimizer optimizer) {
            this.objective = objective;
            this.optimizer = optimizer;
            return this;
        }

        /** The seed of the starting parameters. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The device the mask was optimised on (DJL's name, e.g. {@code cpu()}, {@code gpu(0)}). */
        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /**
         * The explanation.
         *
         * @throws IllegalArgumentException when the mask or the tie-break does not fit the image
         * @throws NullPointerException when the target, the objective or the optimiser is missing
         */
        public Explanation build() {
            return new Explanation(this);
        }
    }

    private Explanation(Builder b) {
        if (b.mask.length != b.image.height() * b.image.width()) {
            throw new IllegalArgumentException("mask has " + b.mask.length + " values for a " + b.image + " image");
        }
        if (b.tieBreak != null && b.tieBreak.length != b.mask.length) {
            throw new IllegalArgumentException("tie-break has " + b.tieBreak.length + " values for a " + b.image
                    + " image");
        }
        this.model = b.model;
        this.image = b.image;
        SaliencyMap map = SaliencyMap.of(b.mask, b.image.height(), b.image.width());
        this.mask = b.tieBreak == null ? map : map.withTieBreak(b.tieBreak);
        this.target = java.util.Objects.requireNonNull(b.target, "target (Builder.target)");
        this.targetLabel = b.targetLabel;
        this.predictedOriginal = b.predictedOriginal;
        this.probabilityOriginal = b.probabilityOriginal;
        this.predictedMasked = b.predictedMasked;
        this.probabilityMasked = b.probabilityMasked;
        this.lossHistory = List.copyOf(b.lossHistory);
        this.iterations = b.iterations;
        this.wallTime = b.wallTime;
        this.stopReason = b.stopReason;
        this.objective = java.util.Objects.requireNonNull(b.objective, "objective (Builder.objective)");
        this.optimizer = java.util.Objects.requireNonNull(b.optimizer, "optimizer (Builder.objective)");
        this.tieBreak = b.tieBreak == null ? null : b.tieBreak.clone();
        this.seed = b.seed;
        this.device = b.device;
        this.evolution = null;
        this.targetRank = 0;
        this.photoGeometry = null;
    }

    /** This explanation with its recorded mask evolution. */
    Explanation withEvolution(MaskEvolution recorded) {
        if (recorded.height() != height() || recorded.width() != width()) {
            throw new IllegalArgumentException("evolution frames are " + recorded.width() + "x" + recorded.height()
                    + " for a " + width() + "x" + height() + " mask");
        }
        return new Explanation(this, recorded, targetRank, photoGeometry);
    }

    /** This explanation with the target's rank among the classes on the unmasked image (1 = predicted). */
    Explanation withTargetRank(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        return new Explanation(this, evolution, rank, photoGeometry);
    }

    /**
     * This explanation with the geometry of the photo its image was made from
     * ({@code Preprocessing.defaultFor(model).geometry(photo)}): {@code ExplanationFiles.saveAll(e, photo, dir)},
     * {@link #photoMask()} and the figure then map the mask back onto the photo, and {@code explanation.json} records
     * the preprocessing. The mask and every number stay as they are.
     *
     * @throws IllegalArgumentException when the geometry's model input is not this explanation's image size
     */
    public Explanation withPhotoGeometry(io.neuromask.base.PhotoGeometry geometry) {
        java.util.Objects.requireNonNull(geometry, "geometry");
        if (geometry.inputWidth() != width() || geometry.inputHeight() != height()) {
            throw new IllegalArgumentException("the geometry's model input is " + geometry.inputWidth() + "x"
                    + geometry.inputHeight() + " but the explained image is " + width() + "x" + height());
        }
        return new Explanation(this, evolution, targetRank, geometry);
    }

    /**
     * How the explained image was made from a photo, when known ({@link #withPhotoGeometry}); empty for an image given
     * at the model's size (then the image is the photo).
     */
    public java.util.Optional<io.neuromask.base.PhotoGeometry> photoGeometry() {
        return java.util.Optional.ofNullable(photoGeometry);
    }

    /**
     * The mask at the photo's resolution, row-major {@code photoHeight × photoWidth}: bilinearly interpolated inside
     * the crop box, NaN outside it, where the model saw nothing ({@link io.neuromask.base.PhotoGeometry#toPhoto}).
     * Without a {@link #photoGeometry()}, the mask itself ({@link #mask()}).
     */
    public float[] photoMask() {
        return photoGeometry == null ? mask() : photoGeometry.toPhoto(mask.values());
    }

    /**
     * The target's rank among the model's classes on the unmasked image: 1 when the model predicts it; 0 when
     * unknown (an explanation built outside {@link MaskEngine}).
     */
    public int targetRankOriginal() {
        return targetRank;
    }

    /**
     * A warning when the mask explains a class the model does not see in the image: the target's probability on the
     * unmasked image is below {@value #WARN_BELOW_PROBABILITY}, or it is not among the top {@value #WARN_BELOW_RANK}
     * classes. Such a mask may invent evidence: the optimisation keeps whatever pixels raise the target most, and
     * the masked image can reach a high probability that the image itself never had. The CLI's {@code explain} and
     * {@code Show.explanation} print it; {@code explanation.json} records it.
     */
    public java.util.Optional<String> warning() {
        boolean unlikely = probabilityOriginal < WARN_BELOW_PROBABILITY;
        boolean lowRank = targetRank > WARN_BELOW_RANK;
        if (!unlikely && !lowRank) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(java.util.Locale.ROOT,
                "the mask explains class %d (%s), which the model does not predict for this image: p = %.4f on the "
                        + "image%s, and it predicts class %d; on the masked image p = %.4f. The mask may show evidence "
                        + "the optimisation invented rather than what the model sees; explain the predicted class "
                        + "(Target.predicted()) to see what the model uses",
                target, targetLabel, probabilityOriginal,
                targetRank > 0 ? " (rank " + targetRank + " among the classes)" : "", predictedOriginal,
                probabilityMasked));
    }

    /**
     * How the mask formed, when the run recorded it ({@link MaskEngine.Builder#recordEvery(int)}); empty otherwise.
     * Show it with {@code Show.evolution(explanation)}, write it with {@link #saveGif}.
     */
    public java.util.Optional<MaskEvolution> evolution() {
        return java.util.Optional.ofNullable(evolution);
    }

    /**
     * Writes the recorded evolution as an animated GIF (the JDK's ImageIO GIF writer): each frame the mask in grey
     * (white = kept), upscaled by nearest neighbour to at least 128 pixels, 100 ms per frame, looping. Written
     * atomically.
     *
     * @throws IllegalStateException when no evolution was recorded, naming the builder option that records it
     */
    public void saveGif(java.nio.file.Path file) throws java.io.IOException {
        if (evolution == null) {
            throw new IllegalStateException("this explanation has no recorded evolution; record one with "
                    + "NeuroMask.builder().recordEvery(k) (CLI: explain --record-every K)");
        }
        EvolutionGif.write(evolution, file);
    }

    /** The model's name. */
    public String model() {
        return model;
    }

    /** The explained image, at the model's input size. */
    public RgbImage image() {
        return image;
    }

    public int height() {
        return image.height();
    }

    public int width() {
        return image.width();
    }

    /**
     * The mask as a saliency map, values in [0, 1]: what every other method returns too. Pixels where the mask
     * ties (a converged NeuroMask mask is mostly exactly 0 or 1) are ranked by the objective's tie-break score
     * ({@link SaliencyMap#ranking()}): NeuroMask's weights {@code w}, extremal perturbation's unclamped masks.
     */
    public SaliencyMap map() {
        return mask;
    }

    /** The mask, row-major H×W, values in [0, 1]; a copy. */
    public float[] mask() {
        return mask.values();
    }

    /** The mask value at row {@code y}, column {@code x}. */
    public float maskAt(int y, int x) {
        return mask.get(y, x);
    }

    /** The mean of the mask: the fraction of the image kept. */
    public double maskMean() {
        return mask.mean();
    }

    /** The explained class. */
    public int target() {
        return target;
    }

    /** The explained class's label. */
    public String targetLabel() {
        return targetLabel;
    }

    /** The class the model predicts for the unmasked image. */
    public int predictedOriginal() {
        return predictedOriginal;
    }

    /** Softmax probability of the target on the unmasked image. */
    public double probabilityOriginal() {
        return probabilityOriginal;
    }

    /** The class the model predicts for the masked image {@code x ⊙ m}. */
    public int predictedMasked() {
        return predictedMasked;
    }

    /** Softmax probability of the target on the masked image {@code x ⊙ m}. */
    public double probabilityMasked() {
        return probabilityMasked;
    }

    /** Whether the masked image is still classified as the target. */
    public boolean classPreserved() {
        return predictedMasked == target;
    }

    /** The objective every {@code logEvery} iterations, and at the last one. */
    public List<LossRecord> lossHistory() {
        return lossHistory;
    }

    /** Iterations run. */
    public int iterations() {
        return iterations;
    }

    /** Wall time of the batch this image was optimised in. */
    public Duration wallTime() {
        return wallTime;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** The objective (and its settings) this image was optimised with. */
    public MaskObjective<?> objective() {
        return objective;
    }

    /**
     * The objective as its own type, e.g. {@code e.objective(NeuroMaskObjective.class).temperature()}.
     *
     * @throws IllegalStateException for an objective of another type (see {@link #objective()})
     */
    public <O extends MaskObjective<?>> O objective(Class<O> type) {
        if (type.isInstance(objective)) {
            return type.cast(objective);
        }
        throw new IllegalStateException("this explanation's objective is '" + objective.name() + "' ("
                + objective.getClass().getSimpleName() + "), not a " + type.getSimpleName() + "; use objective()");
    }

    /** The optimiser this image's mask was learned with. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The seed of the starting weights. */
    public long seed() {
        return seed;
    }

    /** The device the mask was optimised on, in DJL's words ({@code cpu()}, {@code gpu(0)}). */
    public String device() {
        return device;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "Explanation[%s, %s, target=%d (%s), p=%.4f -> %.4f, mask mean=%.4f, %d iterations, %.2fs]", model,
                objective.name(),
                target, targetLabel, probabilityOriginal, probabilityMasked, maskMean(), iterations,
                wallTime.toMillis() / 1000.0);
    }
}
