package io.neuromask;

import io.neuromask.engine.Cancellation;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.Progress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProgressAndCancellationTest {

    private static BlockClassifier model;
    private static RgbImage image;

    @BeforeAll
    static void setUp() {
        model = PlantedEvidence.model(32, null);
        image = PlantedEvidence.image(32, 6, 18, 8, 3);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void listenerSeesEveryIterationOfEveryBatch() {
        List<Progress> seen = new ArrayList<>();
        MaskEngine nm = NeuroMask.builder().model(model).iterations(7).batchSize(2).progress(seen::add).build();
        nm.explain(List.of(image, image, image));
        assertEquals(14, seen.size(), "two batches of 7 iterations");
        assertEquals(1, seen.get(0).iteration());
        assertEquals(2, seen.get(0).batchSize());
        assertEquals(0, seen.get(7).iteration() - 1);
        assertEquals(2, seen.get(7).imagesDone());
        assertEquals(1, seen.get(13).batchSize());
        assertEquals(1.0, seen.get(13).fraction(), 1e-12);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).fraction() > seen.get(i - 1).fraction(), "fraction grows");
        }
    }

    @Test
    void lossHistoryIsLoggedEveryKIterationsAndAtTheEnd() {
        Explanation e = NeuroMask.builder().model(model).iterations(25).logEvery(10).build()
                .explain(image, Target.predicted());
        List<Integer> its = e.lossHistory().stream().map(LossRecord::iteration).toList();
        assertEquals(List.of(0, 10, 20, 24), its);
        LossRecord r = e.lossHistory().get(1);
        assertEquals(r.total(), r.term("prediction") + r.term("sparsity") + r.term("smoothness"), 1e-5 * Math.abs(r.total()));
        assertTrue(e.lossHistory().get(3).total() < e.lossHistory().get(0).total(), "the loss goes down");
    }

    @Test
    void cancellationStopsBetweenIterations() {
        Cancellation cancel = new Cancellation();
        int[] calls = {0};
        MaskEngine nm = NeuroMask.builder().model(model).iterations(2000).cancellation(cancel)
                .progress(p -> {
                    calls[0]++;
                    if (p.iteration() == 5) {
                        cancel.cancel();
                    }
                })
                .build();
        var e = assertThrows(CancellationException.class, () -> nm.explain(image, Target.predicted()));
        assertTrue(e.getMessage().contains("after 5 of 2000"), e.getMessage());
        assertEquals(5, calls[0]);
    }

    @Test
    void interruptingTheThreadCancels() throws Exception {
        // The worker reports iteration 3, then waits in its progress callback until another thread interrupts it;
        // the run must stop before iteration 4 (no timing involved).
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Void> atThree = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger();
        MaskEngine nm = NeuroMask.builder().model(model).iterations(1_000_000).progress(p -> {
            last.set(p.iteration());
            if (p.iteration() == 3) {
                atThree.complete(null);
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // keep the interrupt for the engine to see
                }
            }
        }).build();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                nm.explain(image, Target.predicted());
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        worker.start();
        atThree.get(2, TimeUnit.MINUTES);
        worker.interrupt();
        Throwable t = outcome.get(2, TimeUnit.MINUTES);
        assertTrue(t instanceof CancellationException, "got " + t);
        assertEquals(3, last.get(), "no iteration runs after the interrupt");
        worker.join();
    }

}
