package io.neuromask.spark;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Devices;
import io.neuromask.model.PlantedEvidence;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The engine thread of {@link ExecutorModels}: Spark cancels a task by interrupting its thread, which waits on the
 * engine thread; the optimisation running there must stop too, and the engine thread must be free for the next task.
 */
class ExecutorModelsTest {

    /** Far more iterations than the test waits for: the run ends only by being cancelled. */
    private static final int ITERATIONS = 200_000;

    @Test
    void interruptingTheWaitingTaskCancelsTheOptimisationOnTheEngineThread() throws Exception {
        Device cpu = Devices.parse("cpu");
        try (BlockClassifier model = PlantedEvidence.model(32, cpu)) {
            RgbImage image = PlantedEvidence.image(32, 6, 18, 8, 3);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch workEnded = new CountDownLatch(1);
            AtomicInteger iterations = new AtomicInteger();
            AtomicReference<Throwable> workOutcome = new AtomicReference<>();
            AtomicReference<String> workThread = new AtomicReference<>();
            AtomicReference<Throwable> callerOutcome = new AtomicReference<>();
            AtomicBoolean callerStillInterrupted = new AtomicBoolean();
            Thread task = new Thread(() -> {
                try {
                    ExecutorModels.onEngineThread(cpu, () -> {
                        workThread.set(Thread.currentThread().getName());
                        try {
                            return NeuroMask.builder().model(model).iterations(ITERATIONS).progress(p -> {
                                iterations.incrementAndGet();
                                running.countDown();
                            }).build().explain(image, Target.predicted());
                        } catch (RuntimeException e) {
                            workOutcome.set(e);
                            throw e;
                        } finally {
                            workEnded.countDown();
                        }
                    });
                } catch (RuntimeException e) {
                    callerOutcome.set(e);
                    callerStillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            }, "spark-task");
            task.start();
            assertTrue(running.await(5, TimeUnit.MINUTES), "the optimisation started on the engine thread");
            task.interrupt();
            // hang guards only: cancellation is checked at every iteration
            task.join(TimeUnit.MINUTES.toMillis(5));
            assertFalse(task.isAlive(), "the interrupted task returned");
            assertTrue(workEnded.await(5, TimeUnit.MINUTES), "the work on the engine thread ended");

            assertTrue(workThread.get().startsWith("neuromask-engine-"), workThread.get());
            assertInstanceOf(CancellationException.class, workOutcome.get(), "the optimisation was cancelled");
            assertTrue(iterations.get() < ITERATIONS, "stopped after " + iterations.get() + " iterations");
            assertInstanceOf(IllegalStateException.class, callerOutcome.get());
            assertTrue(callerOutcome.get().getMessage().contains("interrupted"), callerOutcome.get().getMessage());
            assertTrue(callerStillInterrupted.get(), "the task's interrupt status is kept for Spark");

            // the engine thread runs the next task, and the cancelled task's interrupt does not reach it
            Explanation next = ExecutorModels.onEngineThread(cpu,
                    () -> NeuroMask.builder().model(model).iterations(5).build().explain(image, Target.predicted()));
            assertEquals(5, next.iterations());
        }
    }
}
