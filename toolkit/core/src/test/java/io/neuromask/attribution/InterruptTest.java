package io.neuromask.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interrupting the thread stops every batched method between two model batches with a
 * {@link CancellationException}, without timing: a wrapping classifier counts forward passes and interrupts its
 * thread during the first one; the method must then make no further forward pass, where an uninterrupted run makes
 * several. The interrupt flag stays set for the caller.
 */
class InterruptTest {

    /** Counts forward passes; interrupts the calling thread during pass number {@code interruptAt} (0: never). */
    static final class Counting implements Classifier {
        final Classifier inner;
        final AtomicInteger forwards = new AtomicInteger();
        int interruptAt;

        Counting(Classifier inner) {
            this.inner = inner;
        }

        @Override
        public NDArray logits(NDArray pixels) {
            if (forwards.incrementAndGet() == interruptAt) {
                Thread.currentThread().interrupt();
            }
            return inner.logits(pixels);
        }

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int inputHeight() {
            return inner.inputHeight();
        }

        @Override
        public int inputWidth() {
            return inner.inputWidth();
        }

        @Override
        public List<String> labels() {
            return inner.labels();
        }

        @Override
        public Device device() {
            return inner.device();
        }

        @Override
        public void close() {
            // the inner model is closed by its owner
        }
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private static final List<RgbImage> IMAGES = List.of(AttributionTest.image(1), AttributionTest.image(2));
    private static final List<Target> TARGETS = List.of(Target.index(0), Target.index(0));

    /**
     * Runs {@code method} (built on the counting model) once uninterrupted, then interrupted during its first forward
     * pass: it must throw, keep the interrupt flag, and stop after that pass.
     */
    private static void stopsAfterTheFirstBatch(Function<Classifier, Attribution> method) {
        BlockClassifier planted = AttributionTest.pooledPlanted();
        try {
            Counting model = new Counting(planted);
            Attribution m = method.apply(model);
            m.attribute(IMAGES, TARGETS);
            int uninterrupted = model.forwards.getAndSet(0);
            assertTrue(uninterrupted >= 2, m.name() + " makes " + uninterrupted + " forward passes; the test needs more");
            model.interruptAt = 1;
            CancellationException e = assertThrows(CancellationException.class, () -> m.attribute(IMAGES, TARGETS));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set for the caller");
            assertEquals(1, model.forwards.get(), m.name() + ": no forward pass after the interrupt (of "
                    + uninterrupted + ")");
        } finally {
            Thread.interrupted();
            planted.close();
        }
    }

    @Test
    void rise() {
        stopsAfterTheFirstBatch(model -> Rise.builder(model).masks(12).batchSize(4).build());
    }

    @Test
    void occlusion() {
        stopsAfterTheFirstBatch(model -> Occlusion.builder(model).patch(8).stride(8).batchSize(4).build());
    }

    @Test
    void integratedGradients() {
        stopsAfterTheFirstBatch(model -> IntegratedGradients.builder(model).steps(4).batchSize(2).build());
    }

    @Test
    void smoothGrad() {
        stopsAfterTheFirstBatch(model -> SmoothGrad.builder(model).samples(4).batchSize(2).build());
    }

    @Test
    void smoothGradOfIntegratedGradients() {
        stopsAfterTheFirstBatch(model -> SmoothGrad.builder(IntegratedGradients.builder(model).steps(2).batchSize(2)
                .build()).samples(2).build());
    }

    @Test
    void vanillaGradient() {
        stopsAfterTheFirstBatch(model -> new VanillaGradient(model, 1));
    }

    @Test
    void interruptedBeforeTheCallRunsNoBatch() {
        BlockClassifier planted = AttributionTest.pooledPlanted();
        try {
            Counting model = new Counting(planted);
            Thread.currentThread().interrupt();
            assertThrows(CancellationException.class, () -> Rise.builder(model).masks(4).build()
                    .attribute(IMAGES, List.of(Target.predicted(), Target.predicted())));
            assertEquals(0, model.forwards.get(), "not even the prediction of the targets runs");
        } finally {
            Thread.interrupted();
            planted.close();
        }
    }

    /** Grad-CAM needs a block model: the pooled planted-evidence model with a counting, interrupting last block. */
    @Test
    void gradCam() {
        AtomicInteger forwards = new AtomicInteger();
        int[] interruptAt = {0};
        SequentialBlock block = new SequentialBlock()
                .add(Pool.avgPool2dBlock(new Shape(4, 4), new Shape(4, 4)))
                .add(new LambdaBlock(in -> {
                    NDArray f = in.singletonOrThrow();
                    NDArray e = f.reshape(f.getShape().get(0), -1).mean(new int[] {1}).expandDims(1);
                    return new NDList(e.concat(e.zerosLike().repeat(1, 9), 1));
                }, "score"))
                .add(new LambdaBlock(in -> {
                    if (forwards.incrementAndGet() == interruptAt[0]) {
                        Thread.currentThread().interrupt();
                    }
                    return in;
                }, "count"));
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            labels.add("c" + c);
        }
        try (BlockClassifier model = BlockClassifier.of("counting-pooled", block, labels, AttributionTest.SIZE,
                AttributionTest.SIZE, Normalization.NONE, null)) {
            GradCam cam = new GradCam(model, "0", 1);
            List<RgbImage> images = List.of(AttributionTest.image(1), AttributionTest.image(2), AttributionTest.image(3));
            List<Target> targets = List.of(Target.index(0), Target.index(0), Target.index(0));
            forwards.set(0);
            cam.attribute(images, targets);
            assertEquals(3, forwards.getAndSet(0), "one forward pass per image at batch size 1");
            interruptAt[0] = 1;
            assertThrows(CancellationException.class, () -> cam.attribute(images, targets));
            assertTrue(Thread.currentThread().isInterrupted());
            assertEquals(1, forwards.get(), "no forward pass after the interrupt");
        } finally {
            Thread.interrupted();
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
