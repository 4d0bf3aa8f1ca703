package io.neuromask.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Parses device names: {@code auto} (GPU when DJL sees one, else CPU), {@code cpu}, {@code gpu}, {@code gpu:N}; and
 * names the C allocator settings that CPU runs need ({@link #GLIBC_TUNABLES}).
 */
public final class Devices {

    /**
     * The value of the {@code GLIBC_TUNABLES} environment variable under which libtorch runs fast on a Linux CPU:
     * one malloc arena, no {@code mmap} for large blocks, and freed memory kept for reuse. With glibc's defaults
     * every activation over 32 MB (a batch of 25 at 224² already has one) is mapped afresh and zero-filled by the
     * kernel at each forward pass, so that a third of the CPU time goes to page faults: on this project's 2-core
     * machine a SqueezeNet iteration at batch 25 took 1709 ms without it and 444 ms with it, and RISE 26 s per
     * image instead of 6 s (docs/performance.md). The variable is read when a process starts, so it must be
     * set before {@code java} runs: the {@code neuromask} launcher, the kernelspec that {@code neuromask kernel
     * install} writes and the Spark launcher set it (unless already set); in your own JVM export it yourself.
     * The trade-off: the process keeps its peak native memory until it exits.
     */
    public static final String GLIBC_TUNABLES = "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0"
            + ":glibc.malloc.trim_threshold=4294967295:glibc.malloc.top_pad=268435456";

    private Devices() {}

    /**
     * @return the device, or {@code null} for {@code auto} (the engine's default)
     * @throws IllegalArgumentException for an unknown name, or a GPU that DJL does not see
     */
    public static Device parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("auto")) {
            return null;
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu") || n.startsWith("gpu:")) {
            int id = n.equals("gpu") ? 0 : Integer.parseInt(n.substring(4));
            int count = Engine.getEngine("PyTorch").getGpuCount();
            if (id >= count) {
                throw new IllegalArgumentException("device " + name + " requested but DJL sees " + count
                        + " GPU(s); install the CUDA build of libtorch (see README, 'GPU') or use --device cpu");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + name + "'; use auto, cpu, gpu or gpu:N");
    }

    /**
     * Whether a {@code GLIBC_TUNABLES} value (null when unset) holds the two settings of {@link #GLIBC_TUNABLES}
     * that matter, {@code arena_max=1} and {@code mmap_max=0}.
     */
    public static boolean allocatorTuned(String glibcTunables) {
        if (glibcTunables == null) {
            return false;
        }
        java.util.Set<String> set = java.util.Set.of(glibcTunables.trim().split(":"));
        return set.contains("glibc.malloc.arena_max=1") && set.contains("glibc.malloc.mmap_max=0");
    }

    /** The device {@code auto} resolves to. */
    public static Device defaultDevice() {
        return Engine.getEngine("PyTorch").defaultDevice();
    }
}
