package io.neuromask.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * Tunes glibc's allocator for the optimisation loop. Each iteration frees and re-allocates the same large
 * activation tensors; with glibc's defaults many of them go through {@code mmap}/{@code munmap}, and the
 * kernel zero-fills fresh pages every time. Raising the mmap threshold, the top pad and the trim
 * threshold keeps those blocks in the heap for reuse. Applied once per process, on Linux with glibc
 * only; switch it off with {@code -Dneuromask.tuneAllocator=false}. The trade-off: freed native memory
 * is returned to the operating system later (resident memory stays near its peak).
 */
public final class NativeAllocator {

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    private static volatile boolean applied;

    /** glibc's {@code mallopt}. */
    interface LibC extends Library {
        int mallopt(int param, int value);
    }

    private NativeAllocator() {}

    /** Applies the settings once; later calls do nothing. Failures are ignored (the defaults then stay). */
    public static synchronized void tune() {
        if (applied) {
            return;
        }
        applied = true;
        if (!Boolean.parseBoolean(System.getProperty("neuromask.tuneAllocator", "true"))
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            c.mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's maximum on 64-bit
            c.mallopt(M_TOP_PAD, 256 << 20);
            c.mallopt(M_TRIM_THRESHOLD, 1 << 30);
        } catch (LinkageError | RuntimeException e) {
            // not glibc (e.g. musl): keep the allocator's defaults
        }
    }
}
