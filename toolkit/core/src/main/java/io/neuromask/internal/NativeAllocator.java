package io.neuromask.internal;

import ai.djl.Device;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.neuromask.model.Devices;
import java.util.Locale;
import java.util.Optional;

/**
 * Tunes glibc's allocator for libtorch on a CPU. Every forward pass frees and re-allocates the same large
 * activation tensors; with glibc's defaults the large ones go through {@code mmap}/{@code munmap}, and the
 * kernel zero-fills fresh pages every time. The full cure is the environment variable
 * {@link Devices#GLIBC_TUNABLES}, read when the process starts (one arena, no {@code mmap}); a warning says so once
 * when a CPU run starts without it. What can still be changed at run time is applied once per process, on Linux
 * with glibc only: no {@code mmap} for large blocks, a higher mmap threshold, top pad and trim threshold. That
 * helps less (RISE on ImageNet: 26 s per image with glibc's defaults, 18 s with these, 6 s with the variable), since
 * the threads' existing arenas still return memory to the kernel. Switch it off with
 * {@code -Dneuromask.tuneAllocator=false}. The trade-off: freed native memory is returned to the operating system
 * later (resident memory stays near its peak).
 */
public final class NativeAllocator {

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_MMAP_MAX = -4;
    private static final int M_ARENA_MAX = -8;

    private static volatile boolean applied;
    private static volatile boolean warned;

    /**
     * The warning for a run on {@code device} in a process started with {@code GLIBC_TUNABLES} = {@code tunables}
     * (null when unset): present for a CPU run without one arena and no {@code mmap} ({@link Devices#allocatorTuned}), empty
     * otherwise (GPU runs allocate on the GPU).
     */
    static Optional<String> advice(Device device, String tunables) {
        if (!Device.Type.CPU.equals(device.getDeviceType()) || Devices.allocatorTuned(tunables)) {
            return Optional.empty();
        }
        return Optional.of("libtorch on this CPU can run up to 4x faster when java starts with GLIBC_TUNABLES="
                + Devices.GLIBC_TUNABLES + " in its environment (now "
                + (tunables == null ? "unset" : "'" + tunables + "'")
                + "; the neuromask launcher and kernelspec set it; see docs/performance.md); "
                + "-Dneuromask.tuneAllocator=false silences this");
    }

    /** glibc's {@code mallopt} and {@code malloc_trim}. */
    interface LibC extends Library {
        int mallopt(int param, int value);

        int malloc_trim(long pad);
    }

    private NativeAllocator() {}

    /**
     * Hands the allocator's free memory back to the operating system ({@code malloc_trim(0)}, Linux with glibc;
     * elsewhere nothing), e.g. before measuring a peak of resident memory. Under {@link Devices#GLIBC_TUNABLES} the
     * process otherwise keeps its peak native memory until it exits.
     */
    public static synchronized void trim() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return;
        }
        try {
            Native.load("c", LibC.class).malloc_trim(0);
        } catch (LinkageError | RuntimeException e) {
            // not glibc: nothing to trim
        }
    }

    /**
     * Applies the run-time settings once (later calls do nothing; failures leave the defaults) and, for a CPU
     * device on Linux, warns once when the process was started without {@link Devices#GLIBC_TUNABLES}.
     *
     * @param device where the run computes; null for DJL's default
     */
    public static synchronized void tune(Device device) {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        boolean enabled = Boolean.parseBoolean(System.getProperty("neuromask.tuneAllocator", "true"));
        if (!linux || !enabled) {
            return;
        }
        Device d = device != null ? device : Devices.defaultDevice();
        Optional<String> advice = advice(d, System.getenv("GLIBC_TUNABLES"));
        if (!warned && advice.isPresent()) {
            warned = true;
            System.getLogger("io.neuromask").log(System.Logger.Level.WARNING, advice.get());
        }
        if (applied) {
            return;
        }
        applied = true;
        try {
            LibC c = Native.load("c", LibC.class);
            c.mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's maximum on 64-bit
            c.mallopt(M_TOP_PAD, 256 << 20);
            c.mallopt(M_TRIM_THRESHOLD, 1 << 30);
            c.mallopt(M_MMAP_MAX, 0);   // large blocks from the heap too, reused instead of mapped afresh
            c.mallopt(M_ARENA_MAX, 1);  // threads started from now on share the existing arenas
        } catch (LinkageError | RuntimeException e) {
            // not glibc (e.g. musl): keep the allocator's defaults
        }
    }
}
