package io.neuromask.bench;

import io.neuromask.internal.NativeAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory over a stretch of work (Linux): {@link #reset} hands freed memory back to the
 * system (a garbage collection, then {@code malloc_trim}, so that what earlier work left in the allocator's pools does
 * not count) and restarts the kernel's high-water mark ({@code VmHWM}); {@link #peakMb} reads it.
 */
final class PeakRss {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakRss() {}

    /** Starts a new measurement; does nothing where the kernel offers none. */
    static void reset() {
        System.gc();
        NativeAllocator.trim();
        try {
            Files.writeString(CLEAR_REFS, "5"); // 5: reset the peak resident set size (Linux 4.0+)
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or not allowed: peakMb() reports the process's peak since it started
        }
    }

    /** The peak resident memory since {@link #reset}, in MiB, or NaN where unknown. */
    static double peakMb() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
