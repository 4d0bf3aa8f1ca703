package io.neuromask.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Runs many model inputs through a classifier in chunks: softmax scores without gradients, or
 * input gradients of a class logit. Each chunk lives in its own {@link NDManager}, closed at the end
 * of the chunk, so native memory stays bounded whatever the number of rows. An interrupted thread stops before
 * the next chunk with a {@link java.util.concurrent.CancellationException} ({@link Interruption}).
 */
public final class Scoring {

    /** Writes the {@code 3·H·W} CHW input values of one row into {@code dst} at {@code offset}. */
    public interface Rows {
        void fill(int row, float[] dst, int offset);
    }

    /** Receives one row's input gradient ({@code 3·H·W} values at {@code offset}) and its class logit. */
    public interface GradientSink {
        void accept(int row, float[] gradient, int offset, float logit);
    }

    private Scoring() {}

    /** The model's predicted class for each image. */
    public static int[] predictions(Classifier model, List<RgbImage> images, int batchSize) {
        int n = images.size();
        int classes = model.numClasses();
        int[] out = new int[n];
        Rows rows = (row, dst, offset) -> {
            float[] chw = images.get(row).toChw();
            System.arraycopy(chw, 0, dst, offset, chw.length);
        };
        forEachChunk(model, n, batchSize, rows, (start, count, manager, x) -> {
            float[] p = model.logits(x).toFloatArray();
            for (int r = 0; r < count; r++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[r * classes + c] > p[r * classes + best]) {
                        best = c;
                    }
                }
                out[start + r] = best;
            }
        });
        return out;
    }

    /**
     * The softmax probability of class {@code rowClass(row)} for each row, without gradients.
     *
     * @param rows number of rows
     */
    public static float[] probabilities(Classifier model, int rows, Rows source, IntUnaryOperator rowClass,
            int batchSize) {
        float[] out = new float[rows];
        int classes = model.numClasses();
        forEachChunk(model, rows, batchSize, source, (start, count, manager, x) -> {
            float[] p = model.logits(x).softmax(1).toFloatArray();
            for (int r = 0; r < count; r++) {
                out[start + r] = p[r * classes + rowClass.applyAsInt(start + r)];
            }
        });
        return out;
    }

    /**
     * The gradient of the logit of class {@code rowClass(row)} with respect to each row's input pixels
     * ([0, 1] space, before the model's normalisation). Rows are independent: the chunk's score is the
     * sum of its rows' logits and the model runs in inference mode.
     */
    public static void gradients(Classifier model, int rows, Rows source, IntUnaryOperator rowClass, int batchSize,
            GradientSink sink) {
        int classes = model.numClasses();
        Engine engine = Engine.getEngine("PyTorch");
        forEachChunk(model, rows, batchSize, source, (start, count, manager, x) -> {
            float[] oneHot = new float[count * classes];
            for (int r = 0; r < count; r++) {
                oneHot[r * classes + rowClass.applyAsInt(start + r)] = 1f;
            }
            NDArray mask = manager.create(oneHot, new Shape(count, classes));
            float[] grad;
            float[] logit;
            synchronized (Autograd.LOCK) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray score = model.logits(leaf).mul(mask).sum(new int[] {1});
                    collector.backward(score.sum());
                    logit = score.toFloatArray();
                }
                grad = leaf.getGradient().toFloatArray();
            }
            int size = grad.length / count;
            for (int r = 0; r < count; r++) {
                sink.accept(start + r, grad, r * size, logit[r]);
            }
        });
    }

    /** A chunk of rows as one N×3×H×W array. */
    public interface ChunkAction {
        void run(int start, int count, NDManager manager, NDArray inputs);
    }

    /**
     * Packs rows into chunks of at most {@code batchSize} and runs {@code action} on each in a fresh manager.
     *
     * @throws java.util.concurrent.CancellationException before a chunk when the thread has been interrupted (see
     *     {@link Interruption}); the chunks already run are lost
     */
    public static void forEachChunk(Classifier model, int rows, int batchSize, Rows source, ChunkAction action) {
        NativeAllocator.tune(model.device());
        int h = model.inputHeight();
        int w = model.inputWidth();
        int size = 3 * h * w;
        float[] buffer = null;
        for (int start = 0; start < rows; start += batchSize) {
            Interruption.check(model.name() + " batch " + (start / batchSize + 1) + " of "
                    + ((rows + batchSize - 1) / batchSize));
            int count = Math.min(batchSize, rows - start);
            io.neuromask.model.Threads.adapt(model.device(), (long) count * h * w);
            if (buffer == null || buffer.length != count * size) {
                buffer = new float[count * size];
            }
            for (int r = 0; r < count; r++) {
                source.fill(start + r, buffer, r * size);
            }
            try (NDManager manager = NDManager.newBaseManager(model.device(), "PyTorch")) {
                action.run(start, count, manager, manager.create(buffer, new Shape(count, 3, h, w)));
            }
        }
    }
}
