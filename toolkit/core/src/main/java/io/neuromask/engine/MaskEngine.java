package io.neuromask.engine;

import io.neuromask.engine.extremal.ExtremalPerturbation;
import io.neuromask.engine.meaningful.MeaningfulPerturbation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.SaliencyMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The mask engine: learns mask explanations of a {@link Classifier} for any {@link MaskObjective}: NeuroMask
 * (Alzantot et al. 2019, {@code engine.neuromask}), meaningful perturbation (Fong &amp; Vedaldi 2017,
 * {@code engine.meaningful}), extremal perturbation (Fong, Patrick &amp; Vedaldi 2019, {@code engine.extremal}) or a
 * plug-in's. The engine knows no objective by name: it owns the loop (batching, per-image settings, early stopping,
 * progress, cancellation, seeds, auto batch size) and asks the objective for each batch's computation.
 *
 * <pre>{@code
 * MaskEngine explainer = NeuroMask.builder()          // io.neuromask.NeuroMask: the engine at PAPER_CIFAR10
 *         .model(classifier)
 *         .preset(Preset.PAPER_CIFAR10)          // or .objective(ExtremalPerturbation.imagenet())
 *         .iterations(2000)
 *         .build();
 * List<Explanation> explanations = explainer.explain(images, targets);
 * }</pre>
 *
 * <p>Images are optimised together in batches of up to {@link Builder#batchSize(int)}: one forward and
 * one backward pass per iteration for the whole batch. Each image has its own loss and optimiser state,
 * and its starting weights depend only on the seed, so a batch gives the same masks as one-at-a-time
 * runs. Computation runs on the classifier's device (GPU when DJL sees one at model load time, CPU
 * otherwise).
 *
 * <p>On a CPU the engine evaluates a batch's loss and gradient in passes of a few images (at most 2<sup>19</sup>
 * input pixels over the images' mask rows, e.g. ten 224² images of NeuroMask or three of extremal perturbation with
 * its three areas; {@code -Dneuromask.passPixels=N} changes it), one forward and backward pass after the other, so
 * that memory does not grow with the batch size; the masks are those of a single pass. On a GPU a batch is one pass.
 *
 * <p>The engine is an {@link Attribution} like every other method: {@link #attribute} returns the masks as
 * saliency maps, {@link #explain} the full {@link Explanation}s. Instances are immutable and safe to share between
 * threads; {@link #toBuilder()} derives a variant.
 */
public final class MaskEngine implements Attribution {

    /** Default seed of the starting weights: runs are reproducible unless a seed is chosen. */
    public static final long DEFAULT_SEED = 42L;

    /** Default largest batch. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final Classifier model;
    private final MaskObjective<?> objective;
    private final Optimizer optimizer;
    private final long seed;
    private final int batchSize;
    private final boolean autoBatchSize;
    private final ProgressListener progress;
    private final Cancellation cancellation;
    private final EarlyStopping earlyStopping;
    private final String name;
    private final int recordEvery;

    private MaskEngine(Builder b) {
        this.model = b.model;
        this.objective = b.objective;
        this.optimizer = b.optimizer;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.autoBatchSize = b.autoBatchSize;
        this.progress = b.progress;
        this.cancellation = b.cancellation;
        this.earlyStopping = b.earlyStopping;
        this.name = b.name != null ? b.name : b.objective.name();
        this.recordEvery = b.recordEvery;
    }

    /** A builder holding this instance's settings, to derive a variant: {@code nm.toBuilder().seed(7).build()}. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.objective = objective;
        b.optimizer = optimizer;
        b.seed = seed;
        b.batchSize = batchSize;
        b.autoBatchSize = autoBatchSize;
        b.progress = progress;
        b.cancellation = cancellation;
        b.earlyStopping = earlyStopping;
        b.name = name;
        b.recordEvery = recordEvery;
        return b;
    }

    /** The objective's name ({@code neuromask}, {@code meaningful}, {@code extremal}) unless the builder gave a label. */
    @Override
    public String name() {
        return name;
    }

    /** The masks as saliency maps, values in [0, 1] ({@link Explanation#map()} of {@link #explain}). */
    @Override
    public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
        List<SaliencyMap> maps = new ArrayList<>(images.size());
        for (Explanation e : explain(images, targets)) {
            maps.add(e.map());
        }
        return maps;
    }

    /**
     * Starts a builder; {@link Builder#model} and an objective ({@link Builder#objective} or {@link Builder#preset})
     * are required. {@code io.neuromask.NeuroMask.builder()} starts from NeuroMask's {@code PAPER_CIFAR10} preset.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Classifier model() {
        return model;
    }

    /** The objective used for every image unless given per image. */
    public MaskObjective<?> objective() {
        return objective;
    }

    /**
     * The objective as its own type, e.g. {@code engine.objective(NeuroMaskObjective.class).temperature()}.
     *
     * @throws IllegalStateException for an objective of another type (see {@link #objective()})
     */
    public <O extends MaskObjective<?>> O objective(Class<O> type) {
        if (type.isInstance(objective)) {
            return type.cast(objective);
        }
        throw new IllegalStateException("this explainer runs the '" + objective.name() + "' objective ("
                + objective.getClass().getSimpleName() + "), not a " + type.getSimpleName() + "; use objective()");
    }

    /** The optimiser chosen for this run, or {@code null} when each objective uses its own. */
    public Optimizer optimizer() {
        return optimizer;
    }

    public long seed() {
        return seed;
    }

    /** Explains one image for the given target. */
    public Explanation explain(RgbImage image, Target target) {
        return explain(List.of(image), List.of(target)).get(0);
    }

    /** Explains each image for the class the model predicts on it. */
    public List<Explanation> explain(List<RgbImage> images) {
        return explain(images, Collections.nCopies(images.size(), Target.predicted()));
    }

    /** Explains {@code images.get(i)} for {@code targets.get(i)}. */
    public List<Explanation> explain(List<RgbImage> images, List<Target> targets) {
        return explain(images, targets, Collections.nCopies(images.size(), objective));
    }

    /**
     * Explains {@code images.get(i)} for {@code targets.get(i)} with {@code perImage.get(i)} (e.g. a list of
     * {@link NeuroMaskObjective}): one image repeated with different settings is a batched sweep. Images whose
     * objectives share a class, a {@link MaskObjective#batchKey()} and an optimiser kind are batched together.
     *
     * @throws IllegalArgumentException on mismatched list sizes, an image of the wrong size for the
     *     model, or a target the model does not have; nothing is computed then
     * @throws java.util.concurrent.CancellationException when cancelled or interrupted
     */
    public List<Explanation> explain(List<RgbImage> images, List<Target> targets,
            List<? extends MaskObjective<?>> perImage) {
        validate(images, targets, perImage);
        long start = System.nanoTime();
        List<Explanation> results = new ArrayList<>(Collections.nCopies(images.size(), null));
        int limit = autoBatchSize && !images.isEmpty()
                ? io.neuromask.engine.AutoBatchSize.choose(model, perImage.get(0), message -> {}).batchSize()
                : batchSize;
        List<List<Integer>> batches = planBatches(perImage, limit);
        int[] done = {0};
        for (List<Integer> batch : batches) {
            List<RgbImage> bi = new ArrayList<>();
            List<Target> bt = new ArrayList<>();
            List<MaskObjective<?>> bh = new ArrayList<>();
            for (int i : batch) {
                bi.add(images.get(i));
                bt.add(targets.get(i));
                bh.add(perImage.get(i));
            }
            int imagesDone = done[0];
            List<Explanation> out = BatchOptimizer.run(model, bi, bt, bh, optimizer, seed, earlyStopping,
                    (it, total, active, loss) -> progress.onProgress(new Progress(it, total, imagesDone,
                            batch.size(), images.size(), active, loss, Duration.ofNanos(System.nanoTime() - start))),
                    this::cancelRequested, recordEvery);
            for (int j = 0; j < batch.size(); j++) {
                results.set(batch.get(j), out.get(j));
            }
            done[0] += batch.size();
        }
        return results;
    }

    private boolean cancelRequested() {
        return (cancellation != null && cancellation.isCancelled()) || Thread.currentThread().isInterrupted();
    }

    private List<List<Integer>> planBatches(List<? extends MaskObjective<?>> perImage, int batchSize) {
        List<List<Integer>> batches = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < perImage.size(); i++) {
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            Object first = batchKey(perImage.get(pending.get(0)));
            List<Integer> batch = new ArrayList<>();
            for (var it = pending.iterator(); it.hasNext() && batch.size() < batchSize; ) {
                int i = it.next();
                if (batchKey(perImage.get(i)).equals(first)) {
                    batch.add(i);
                    it.remove();
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    private Object batchKey(MaskObjective<?> o) {
        Optimizer opt = optimizer != null ? optimizer : o.optimizer();
        return List.of(o.getClass().getName(), o.batchKey(), opt.getClass().getName());
    }

    private void validate(List<RgbImage> images, List<Target> targets, List<? extends MaskObjective<?>> perImage) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(perImage, "perImage");
        if (images.size() != targets.size() || images.size() != perImage.size()) {
            throw new IllegalArgumentException("got " + images.size() + " images, " + targets.size() + " targets and "
                    + perImage.size() + " hyperparameter sets; give one of each per image");
        }
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = Objects.requireNonNull(images.get(i), "image " + i);
            if (img.height() != model.inputHeight() || img.width() != model.inputWidth()) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                        + " but model " + model.name() + " takes " + model.inputWidth() + "x" + model.inputHeight()
                        + "; resize it first (image.resize(" + model.inputWidth() + ", " + model.inputHeight()
                        + ")) or load it with ImageFiles.read(path, model)");
            }
            Target t = Objects.requireNonNull(targets.get(i), "target " + i);
            if (!t.isPredicted()) {
                t.resolve(model);
            }
            Objects.requireNonNull(perImage.get(i), "objective " + i);
        }
    }

    /** Configures a {@link MaskEngine}. Every value can be set in any order; {@link #build()} checks them. */
    public static final class Builder {
        private Classifier model;
        private MaskObjective<?> objective;
        private Optimizer optimizer;
        private long seed = DEFAULT_SEED;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean autoBatchSize;
        private ProgressListener progress = ProgressListener.none();
        private Cancellation cancellation;
        private EarlyStopping earlyStopping = EarlyStopping.NEVER;
        private String name;
        private int recordEvery;

        private Builder() {}

        /**
         * Records each image's mask every {@code k} iterations ({@link Explanation#evolution()}), memory-bounded:
         * one byte per pixel per frame, at most {@value MaskEvolution#MAX_FRAMES} frames per image (see
         * {@link MaskEvolution}). Recording reads the masks only: they are the same as without it. Default: off.
         *
         * @throws IllegalArgumentException when {@code k} is below 1
         */
        public Builder recordEvery(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("recordEvery must be at least 1 (a frame every k iterations), got "
                        + k);
            }
            this.recordEvery = k;
            return this;
        }

        /** The name reported as an {@link Attribution} (default: the objective's, e.g. {@code neuromask}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The classifier to explain (required). */
        public Builder model(Classifier model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Starts from a preset's objective (e.g. {@code Preset.PAPER_CIFAR10}); later calls override single values. */
        public Builder preset(ObjectivePreset preset) {
            this.objective = Objects.requireNonNull(preset, "preset").objective();
            return this;
        }

        /**
         * The objective for every image: {@link NeuroMaskObjective} (MaskEngine), {@link MeaningfulPerturbation} or
         * {@link ExtremalPerturbation}.
         */
        public Builder objective(MaskObjective<?> objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /** The optimiser for every image, instead of each objective's own ({@link MaskObjective#optimizer()}). */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        public Builder iterations(int iterations) {
            if (objective == null) {
                throw new IllegalStateException("give the objective or preset before iterations(" + iterations + ")");
            }
            this.objective = objective.withIterations(iterations);
            return this;
        }

        /**
         * The objective with one setting changed, by name ({@link MaskObjective#withSetting}), e.g.
         * {@code .set("temperature", "0.3")}; give the objective or preset first.
         */
        public Builder set(String setting, String value) {
            if (objective == null) {
                throw new IllegalStateException("give the objective or preset before set(" + setting + ", ...)");
            }
            this.objective = objective.withSetting(setting, value);
            return this;
        }

        /** Record the loss every {@code n} iterations. */
        public Builder logEvery(int n) {
            if (objective == null) {
                throw new IllegalStateException("give the objective or preset before logEvery(" + n + ")");
            }
            this.objective = objective.withLogEvery(n);
            return this;
        }

        /** Seed of the starting weights (default {@value #DEFAULT_SEED}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Largest number of images optimised together (default {@value #DEFAULT_BATCH_SIZE}). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            this.autoBatchSize = false;
            return this;
        }

        /**
         * Lets the first {@code explain} call measure the batch size (once per model and device in this JVM):
         * on a CPU the batch with the best per-image time, on a GPU the largest that fits in memory. See
         * {@link AutoBatchSize}; it costs a few seconds of timing runs.
         */
        public Builder autoBatchSize() {
            this.autoBatchSize = true;
            return this;
        }

        /** Receives a report after every iteration. */
        public Builder progress(ProgressListener listener) {
            this.progress = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** A token another thread can use to stop a running explanation. */
        public Builder cancellation(Cancellation cancellation) {
            this.cancellation = cancellation;
            return this;
        }

        /** Per-image early stopping (default {@link EarlyStopping#NEVER}: all iterations run). */
        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = Objects.requireNonNull(earlyStopping, "earlyStopping");
            return this;
        }

        public MaskEngine build() {
            if (model == null) {
                throw new IllegalStateException("builder().model(classifier) is required");
            }
            if (objective == null) {
                throw new IllegalStateException("builder().objective(...) or .preset(...) is required, e.g. "
                        + ".preset(Preset.PAPER_CIFAR10); NeuroMask.builder() starts from it");
            }
            // the mask is learnt by gradient descent through the model
            if (!model.supportsGradients()) {
                String why = model instanceof io.neuromask.model.ForwardOnlyClassifier f ? f.reason()
                        : "its supportsGradients() is false";
                throw new IllegalArgumentException("the mask engine (objective " + objective.name() + ") needs "
                        + "gradients of the model's logits with respect to the pixels, and " + model.name()
                        + " computes none (" + why + "); explain it with a forward-only method (occlusion, RISE; "
                        + "Methods.unavailable says which)");
            }
            return new MaskEngine(this);
        }
    }
}
