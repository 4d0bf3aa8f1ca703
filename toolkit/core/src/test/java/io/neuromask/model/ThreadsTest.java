package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** libtorch's intra-op threads: sized from the CPUs this JVM may use, adapted to other processes, pinned by the user. */
class ThreadsTest {

    @AfterEach
    void restore() {
        System.clearProperty("neuromask.threads");
        Threads.configure(1);
    }

    @Test
    void theDefaultIsTheCpusThisJvmMayUseDividedAmongItsModels() {
        int available = Runtime.getRuntime().availableProcessors();
        assertEquals(available, Threads.configure(1));
        assertEquals(available, Threads.inForce(), "libtorch itself reports the count");
        assertEquals(Math.max(1, available / 2), Threads.configure(2));
        assertEquals(Math.min(1, available), Threads.configureFor(1));
        assertEquals(available, Threads.configureFor(available + 100), "never more than the JVM may use");
        assertThrows(IllegalArgumentException.class, () -> Threads.configure(0));
    }

    @Test
    void aPinnedCountIsAppliedAndNeverAdapted() {
        System.setProperty("neuromask.threads", "1");
        assertEquals(1, Threads.configure(1));
        assertEquals(1, Threads.inForce());
        assertEquals(1, Threads.adapt(Device.cpu(), 1L << 30), "a pinned count is not changed by the machine's load");
        System.setProperty("neuromask.threads", "two");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.configure(1));
        assertTrue(e.getMessage().contains("neuromask.threads / NEUROMASK_THREADS is 'two'")
                && e.getMessage().contains("positive whole number"), e.getMessage());
    }

    @Test
    void aSmallBatchRunsOnOneThreadAndAGpuIsLeftAlone() {
        Threads.configure(1);
        int before = Threads.inForce();
        assertEquals(before, Threads.adapt(Device.gpu(), 1), "GPU work does not touch the CPU threads");
        assertEquals(1, Threads.adapt(Device.cpu(), Threads.SMALL_WORK_PIXELS));
        assertEquals(1, Threads.inForce());
    }

    @Test
    void freeCpusAreTheHostsLessWhatOtherProcessesUse() {
        // 2 CPUs, 100 ticks in all over the interval: this process used 50 of the 60 busy ones -> others 0.2 CPU
        assertEquals(2, Threads.CpuLoad.freeCpus(60, 100, 50, 2));
        // a spinning process takes one CPU of two: one is free
        assertEquals(1, Threads.CpuLoad.freeCpus(100, 100, 50, 2));
        // a second copy with two threads keeps both CPUs busy beside ours: at most one is ours, and at least 0 free
        assertEquals(0, Threads.CpuLoad.freeCpus(100, 100, 10, 2));
        // 16 CPUs, others use 4.5: 11 free (the quarter-CPU slack does not round 11.5 up)
        assertEquals(11, Threads.CpuLoad.freeCpus(450 + 100, 1600, 100, 16));
    }

    @Test
    void procFilesAreParsed() {
        List<String> stat = List.of("cpu  100 5 50 800 20 1 2 3 7 0", "cpu0 50 2 25 400 10 0 1 1 0 0",
                "cpu1 50 3 25 400 10 1 1 2 0 0", "intr 12345");
        // busy = user+nice+system+irq+softirq+steal = 100+5+50+1+2+3; total adds idle+iowait
        assertArrayEquals(new long[] {161, 981, 2}, Threads.CpuLoad.hostTicks(stat));
        String self = "4242 (java (my app)) S 1 4242 4242 0 -1 4194560 100 0 0 0 37 11 0 0 20 0 30 0 100 0 0";
        assertEquals(48, Threads.CpuLoad.selfTicks(self));
    }
}
