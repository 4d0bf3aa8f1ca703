package io.neuromask.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates one iteration of a {@link MaskBatch} (loss and gradient) in passes of a few images each, so that what
 * a forward and backward pass holds, the model's activations above all, is bounded whatever the batch size. Each
 * image's loss depends only on its own parameter rows, so the passes give the same loss and gradient as one pass
 * over the whole batch; per image the model costs about the same in passes of a dozen images as in one of a hundred
 * on a CPU (measured with SqueezeNet at 224², docs/performance.md).
 *
 * <p>A pass holds at most {@link #pixelsPerPass} input pixels over its parameter rows (images × rows per image ×
 * H × W), and at least one image: on a CPU {@value #CPU_PIXELS} unless the system property {@value #PROPERTY} says
 * otherwise; on a GPU the whole batch (a GPU is fastest on large batches, and {@link AutoBatchSize} sizes them to its
 * memory). An objective may ask for fewer images per pass ({@link MaskBatch#imagesPerPass}).
 */
final class Passes {

    /** System property: input pixels per pass (a positive number), overriding the default. */
    static final String PROPERTY = "neuromask.passPixels";

    /**
     * Input pixels per pass on a CPU: 2<sup>19</sup>, e.g. ten 224² rows (three images of extremal perturbation with
     * its three areas, ten of NeuroMask) or 512 rows of 32². SqueezeNet's forward and backward pass at 224² holds
     * about 43 MB per row.
     */
    static final long CPU_PIXELS = 1L << 19;

    private final Engine engine = Engine.getEngine("PyTorch");
    private final int rowsPerImage;
    private final int[] starts; // image index where each pass starts, and the end
    private final List<MaskBatch> parts;

    private Passes(MaskBatch batch, int images, int imagesPerPass, NDManager manager) {
        this.rowsPerImage = batch.rowsPerImage();
        int count = (images + imagesPerPass - 1) / imagesPerPass;
        this.starts = new int[count + 1];
        this.parts = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            starts[p] = p * imagesPerPass;
            starts[p + 1] = Math.min(images, (p + 1) * imagesPerPass);
            parts.add(count == 1 ? batch
                    : batch.select(manager.arange(starts[p], starts[p + 1], 1, DataType.INT64)));
        }
    }

    /**
     * The passes over a batch of {@code images} images of H×W pixels on {@code device}; each pass is a
     * {@link MaskBatch#select} of consecutive images (the built-in objectives' views of the batch's tensors), made
     * once here, with index arrays in {@code manager}.
     */
    static Passes of(MaskBatch batch, int images, int height, int width, Device device, NDManager manager) {
        int perPass = Math.max(1, Math.min(images, batch.imagesPerPass(pixelsPerPass(device), height, width)));
        return new Passes(batch, images, perPass, manager);
    }

    /** Input pixels per pass on {@code device} (see the class comment). */
    static long pixelsPerPass(Device device) {
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            long v;
            try {
                v = Long.parseLong(set.trim());
            } catch (NumberFormatException e) {
                v = 0;
            }
            if (v < 1) {
                throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive number of input pixels per "
                        + "forward and backward pass, got '" + set + "'");
            }
            return v;
        }
        return device != null && device.isGpu() ? Long.MAX_VALUE : CPU_PIXELS;
    }

    /** The loss at {@code weights} (one pass at a time) and its gradient, both without autograd graphs. */
    Result evaluate(NDArray weights, int iteration) {
        List<MaskBatch.Step> steps = new ArrayList<>(parts.size());
        NDList gradients = new NDList(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            NDArray rows = rowsOf(weights, p);
            List<NDArray> kept = new ArrayList<>();
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray leaf = rows.duplicate();
                leaf.setRequiresGradient(true);
                MaskBatch.Step step;
                try (GradientCollector collector = engine.newGradientCollector()) {
                    step = parts.get(p).evaluate(leaf, iteration);
                    collector.backward(step.total());
                }
                MaskBatch.ManualBackward manual = step.manual();
                NDArray gradient = manual == null ? leaf.getGradient()
                        : manual.parameterGradient().apply(manual.input().getGradient());
                List<NDArray> terms = new ArrayList<>(step.terms().size());
                for (NDArray t : step.terms()) {
                    terms.add(keep(t, kept));
                }
                steps.add(new MaskBatch.Step(keep(step.saliency(), kept),
                        step.logits() == null ? null : keep(step.logits(), kept), terms, keep(step.perImage(), kept),
                        keep(step.total(), kept)));
                gradients.add(keep(gradient, kept));
            }
            for (NDArray a : kept) {
                NDScope.register(a);
            }
        }
        if (steps.size() == 1) {
            return new Result(steps.get(0), gradients.get(0));
        }
        return new Result(join(steps), NDArrays.concat(gradients, 0));
    }

    /** The batch's saliency ({@link MaskBatch#saliency}) at {@code weights}, one pass at a time. */
    NDArray saliency(NDArray weights) {
        return perPass((part, p) -> part.saliency(rowsOf(weights, p)));
    }

    /** The batch's tie-break scores ({@link MaskBatch#tieBreak}) at {@code weights}, one pass at a time. */
    NDArray tieBreak(NDArray weights) {
        return perPass((part, p) -> part.tieBreak(rowsOf(weights, p)));
    }

    /** The model's logits on the inputs that keep {@code saliency} ({@link MaskBatch#keptLogits}), one pass at a time. */
    NDArray keptLogits(NDArray saliency) {
        return perPass((part, p) -> part.keptLogits(parts.size() == 1 ? saliency
                : saliency.get(starts[p] + ":" + starts[p + 1])));
    }

    /** Pass {@code p}'s parameter rows of {@code weights}. */
    private NDArray rowsOf(NDArray weights, int p) {
        return parts.size() == 1 ? weights
                : weights.get(((long) starts[p] * rowsPerImage) + ":" + ((long) starts[p + 1] * rowsPerImage));
    }

    /** A forward computation per pass, each pass's intermediate arrays freed before the next, joined by image. */
    private NDArray perPass(java.util.function.BiFunction<MaskBatch, Integer, NDArray> computation) {
        NDList results = new NDList(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            List<NDArray> kept = new ArrayList<>(1);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                results.add(keep(computation.apply(parts.get(p), p), kept));
            }
            NDScope.register(kept.get(0));
        }
        return results.size() == 1 ? results.get(0) : NDArrays.concat(results, 0);
    }

    /** {@code a} without its graph, taken out of the pass's scope (the caller's scope gets it). */
    private static NDArray keep(NDArray a, List<NDArray> kept) {
        NDArray d = a.stopGradient();
        NDScope.unregister(d);
        kept.add(d);
        return d;
    }

    /** The passes' steps as one, images in order. */
    private static MaskBatch.Step join(List<MaskBatch.Step> steps) {
        NDList saliency = new NDList();
        NDList logits = new NDList();
        NDList perImage = new NDList();
        List<NDList> terms = new ArrayList<>();
        NDArray total = null;
        boolean allLogits = true;
        for (MaskBatch.Step s : steps) {
            saliency.add(s.saliency());
            perImage.add(s.perImage());
            allLogits &= s.logits() != null;
            if (s.logits() != null) {
                logits.add(s.logits());
            }
            for (int t = 0; t < s.terms().size(); t++) {
                if (terms.size() <= t) {
                    terms.add(new NDList());
                }
                terms.get(t).add(s.terms().get(t));
            }
            total = total == null ? s.total() : total.add(s.total());
        }
        List<NDArray> joinedTerms = new ArrayList<>(terms.size());
        for (NDList t : terms) {
            joinedTerms.add(NDArrays.concat(t, 0));
        }
        return new MaskBatch.Step(NDArrays.concat(saliency, 0), allLogits ? NDArrays.concat(logits, 0) : null,
                joinedTerms, NDArrays.concat(perImage, 0), total);
    }

    /**
     * One iteration's evaluation.
     *
     * @param step the loss, its terms, saliency and logits, images in order, without graphs
     * @param gradient the loss's gradient with respect to the parameters, rows in order
     */
    record Result(MaskBatch.Step step, NDArray gradient) {}
}
