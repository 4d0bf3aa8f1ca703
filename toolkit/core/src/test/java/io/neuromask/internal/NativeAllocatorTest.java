package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.neuromask.model.Devices;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a run warns that the process lacks {@code GLIBC_TUNABLES}. The tests themselves run with the variable set
 * (the pom's surefire configuration, as the launcher does), so the decision is tested on given values.
 */
class NativeAllocatorTest {

    @Test
    void aCpuRunWithoutOneArenaAndNoMmapIsToldTheVariable() {
        Device cpu = Device.cpu();
        for (String missing : new String[] {null, "", "glibc.malloc.arena_max=1",
                "glibc.malloc.mmap_max=0:glibc.malloc.top_pad=268435456", "glibc.malloc.arena_max=2:glibc.malloc.mmap_max=0"}) {
            Optional<String> advice = NativeAllocator.advice(cpu, missing);
            assertTrue(advice.isPresent(), "warns for " + missing);
            assertTrue(advice.get().contains("GLIBC_TUNABLES=" + Devices.GLIBC_TUNABLES), advice.get());
            assertTrue(advice.get().contains(missing == null ? "unset" : "'" + missing + "'"),
                    "names what the process has: " + advice.get());
            assertTrue(advice.get().contains("-Dneuromask.tuneAllocator=false"), "says how to silence it");
        }
    }

    @Test
    void theLaunchersValueOrAGpuRunGetsNoWarning() {
        assertEquals(Optional.empty(), NativeAllocator.advice(Device.cpu(), Devices.GLIBC_TUNABLES));
        assertEquals(Optional.empty(), NativeAllocator.advice(Device.cpu(),
                "glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1"), "order and extra settings do not matter");
        assertEquals(Optional.empty(), NativeAllocator.advice(Device.gpu(0), null), "a GPU run allocates on the GPU");
    }
}
