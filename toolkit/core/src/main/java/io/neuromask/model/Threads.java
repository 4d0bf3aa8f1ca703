package io.neuromask.model;

import ai.djl.engine.Engine;

/**
 * How many threads libtorch uses inside one operation (intra-op threads) on a CPU.
 *
 * <p>libtorch sizes its OpenMP pool from the host's cores, not from what the process may use: under a container's
 * CPU quota (Binder gives 1–2 CPUs on a many-core host) it starts one thread per host core, and the threads spin at
 * every barrier waiting for each other while the quota throttles them. Beside another busy process on a small
 * machine the same spinning costs several times the fair share (docs/performance.md, "A shared CPU"). So, unless
 * the user chose, the toolkit sets the intra-op threads from {@link Runtime#availableProcessors()}, which honours
 * container quotas and {@code taskset}, divided by the number of models that run at once in the process
 * ({@link #configure(int)}; Spark's executors run one model per task slot).
 *
 * <p><b>Adapting to the machine ({@link #adapt}).</b> The mask engine and the methods call {@link #adapt} before
 * each iteration or model batch. It uses one thread for a small batch ({@value #SMALL_WORK_PIXELS} pixels or fewer
 * in all, e.g. one CIFAR image: thread start-up costs more than it saves there), and otherwise as many threads as
 * CPUs are left free by other processes, measured over the last {@value #SAMPLE_MILLIS} ms from {@code /proc/stat}
 * (Linux; elsewhere the configured count stays). Measured on the project's 2-core machine (ResNet20, ms per
 * iteration at batch 64: 85 alone; beside a spinning process 307 with 2 threads against 156 with 1; beside a
 * second copy 354 against 177), an OpenMP team larger than the free CPUs waits at every barrier for a thread
 * that is not running; one fewer thread loses nothing then.
 *
 * <p>The user's choice wins: {@code OMP_NUM_THREADS} in the environment, or DJL's system property
 * {@code ai.djl.pytorch.num_threads}, or {@code neuromask.threads} (property) / {@code NEUROMASK_THREADS}
 * (environment); then the count is fixed ({@link #adapt} changes nothing), and only {@code neuromask.threads} is
 * applied by the toolkit (the other two by libtorch and DJL themselves).
 */
public final class Threads {

    /** A batch of at most this many pixels in all runs on one thread ({@link #adapt}). */
    public static final long SMALL_WORK_PIXELS = 2048;
    /** How often {@link #adapt} samples the other processes' CPU use. */
    public static final long SAMPLE_MILLIS = 250;

    private static final Object LOCK = new Object();
    private static volatile int applied;
    private static volatile int base;
    private static volatile boolean fixed;
    private static final CpuLoad LOAD = new CpuLoad();

    private Threads() {}

    /** The threads this process may run on: {@link Runtime#availableProcessors()} (quota- and affinity-aware). */
    public static int available() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The intra-op threads the user asked for: {@code neuromask.threads} / {@code NEUROMASK_THREADS}, else
     * {@code ai.djl.pytorch.num_threads}, else {@code OMP_NUM_THREADS}; 0 when none is set.
     *
     * @throws IllegalArgumentException when a setting is not a positive whole number
     */
    public static int requested() {
        String[][] settings = {
            {"neuromask.threads / NEUROMASK_THREADS", Settings.get("neuromask.threads", "NEUROMASK_THREADS")},
            {"ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads")},
            {"OMP_NUM_THREADS", System.getenv("OMP_NUM_THREADS")}};
        for (String[] s : settings) {
            String v = s[1];
            if (v == null || v.isBlank()) {
                continue;
            }
            // OMP_NUM_THREADS may list one count per nesting level ("4,2"): the first is the one that matters
            String first = v.split(",")[0].trim();
            try {
                int n = Integer.parseInt(first);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException(s[0] + " is '" + v + "'; set it to a positive whole number of threads "
                    + "(e.g. 1 or " + available() + "), or unset it to let the toolkit choose");
        }
        return 0;
    }

    /**
     * {@link #configure(int)} for a process that runs one model at a time, unless the process configured the
     * threads already (e.g. a Spark executor for its task slots): then the threads in force.
     * {@link Models#load(String, ai.djl.Device)} calls it.
     */
    public static int configure() {
        synchronized (LOCK) {
            return applied > 0 ? applied : configure(1);
        }
    }

    /**
     * Sets libtorch's intra-op threads for a process that runs {@code concurrentModels} models at once: the
     * user's {@link #requested()} count, else {@code max(1, available() / concurrentModels)}. Starts the PyTorch
     * engine if needed.
     *
     * @return the intra-op threads now in force
     * @throws IllegalArgumentException when {@code concurrentModels} is not positive or a setting is malformed
     */
    public static int configure(int concurrentModels) {
        if (concurrentModels < 1) {
            throw new IllegalArgumentException("concurrentModels must be >= 1, got " + concurrentModels);
        }
        return configureFor(Math.max(1, available() / concurrentModels));
    }

    /**
     * Sets libtorch's intra-op threads for a process given {@code cpus} CPUs (e.g. a Spark executor's
     * {@code spark.executor.cores}): the user's {@link #requested()} count, else {@code min(cpus, available())}.
     *
     * @return the intra-op threads now in force
     * @throws IllegalArgumentException when {@code cpus} is not positive or a setting is malformed
     */
    public static int configureFor(int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1, got " + cpus);
        }
        int requested = requested();
        boolean userChoseForLibtorch = requested > 0 && Settings.get("neuromask.threads", "NEUROMASK_THREADS") == null;
        int threads = requested > 0 ? requested : Math.min(cpus, available());
        synchronized (LOCK) {
            Engine.getEngine("PyTorch");
            fixed = requested > 0;
            if (userChoseForLibtorch) {
                // libtorch (OMP_NUM_THREADS) or DJL (its property) already applied the user's count
                applied = inForce();
            } else if (applied != threads) {
                jni("setNumThreads", threads);
                applied = threads;
            }
            base = applied;
            return applied;
        }
    }

    /**
     * Chooses the intra-op threads for the next batch on {@code device}: one for a batch of at most
     * {@value #SMALL_WORK_PIXELS} pixels, else the configured count less the CPUs other processes keep busy (at
     * least one). Does nothing for a GPU or when the user fixed the count; configures the threads first if
     * nothing did yet.
     *
     * @param pixels the batch's pixels in all (rows × height × width)
     * @return the threads in force for the batch
     */
    public static int adapt(ai.djl.Device device, long pixels) {
        if (device == null || device.isGpu()) {
            return applied;
        }
        if (base <= 0) {
            configure(); // a model built without Models.load (TorchScript, a DJL zoo model)
        }
        if (fixed) {
            return applied;
        }
        int want = pixels <= SMALL_WORK_PIXELS ? 1 : Math.max(1, Math.min(base, LOAD.freeCpus(base)));
        if (want != applied) {
            synchronized (LOCK) {
                if (!fixed && want != applied) {
                    jni("setNumThreads", want);
                    applied = want;
                }
            }
        }
        return applied;
    }

    /**
     * The CPUs other processes leave free, from {@code /proc/stat} and {@code /proc/self/stat} sampled at most every
     * {@value #SAMPLE_MILLIS} ms: the host's CPUs less the CPU time of everything but this process over the last
     * interval. {@code fallback} where those files cannot be read.
     */
    static final class CpuLoad {
        private long lastNanos;
        private long lastBusy;
        private long lastTotal;
        private long lastSelf;
        private int free = Integer.MAX_VALUE;
        private boolean unavailable;

        synchronized int freeCpus(int fallback) {
            if (unavailable) {
                return fallback;
            }
            long now = System.nanoTime();
            if (lastNanos != 0 && now - lastNanos < SAMPLE_MILLIS * 1_000_000L) {
                return free == Integer.MAX_VALUE ? fallback : free;
            }
            long[] host;
            long self;
            try {
                host = hostTicks(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")));
                self = selfTicks(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")));
            } catch (java.io.IOException | RuntimeException e) {
                unavailable = true;
                return fallback;
            }
            if (lastNanos != 0 && host[1] > lastTotal) {
                free = freeCpus(host[0] - lastBusy, host[1] - lastTotal, self - lastSelf, (int) host[2]);
            }
            lastNanos = now;
            lastBusy = host[0];
            lastTotal = host[1];
            lastSelf = self;
            return free == Integer.MAX_VALUE ? fallback : free;
        }

        /**
         * CPUs free for this process: {@code cpus} less the others' share of the busy ticks, rounded down after a
         * quarter CPU of slack (system noise does not cost a thread).
         */
        static int freeCpus(long busyTicks, long totalTicks, long selfTicks, int cpus) {
            double others = Math.max(0, busyTicks - selfTicks) / (double) totalTicks * cpus;
            return (int) Math.floor(cpus - others + 0.25);
        }

        /** {busy, total, cpus} from the lines of {@code /proc/stat}. */
        static long[] hostTicks(java.util.List<String> lines) {
            String[] f = lines.get(0).trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 8) {
                throw new IllegalArgumentException("unexpected /proc/stat: " + lines.get(0));
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user .. steal; guest time is inside user
                total += Long.parseLong(f[i]);
            }
            long cpus = lines.stream().filter(l -> l.matches("cpu\\d+\\s.*")).count();
            return new long[] {total - idle, total, Math.max(1, cpus)};
        }

        /** utime + stime of {@code /proc/self/stat} (fields 14 and 15; the name in parentheses may hold spaces). */
        static long selfTicks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
    }

    /** The intra-op threads libtorch uses now (starts the PyTorch engine if needed). */
    public static int inForce() {
        Engine.getEngine("PyTorch");
        return (Integer) jni("getNumThreads");
    }

    /**
     * Calls DJL's {@code ai.djl.pytorch.jni.JniUtils} (public, but in a package that this module cannot name: the
     * PyTorch engine jar is not a module).
     */
    private static Object jni(String method, int... arg) {
        try {
            Class<?> c = Class.forName("ai.djl.pytorch.jni.JniUtils", true, Engine.class.getClassLoader());
            return arg.length == 0 ? c.getMethod(method).invoke(null) : c.getMethod(method, int.class).invoke(null, arg[0]);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call DJL's PyTorch JniUtils." + method + " (DJL's PyTorch engine "
                    + "0.36 is expected on the class path): " + e, e);
        }
    }

    /** A setting from a system property, else an environment variable (blank counts as unset). */
    private static final class Settings {
        static String get(String property, String env) {
            for (String v : new String[] {System.getProperty(property), System.getenv(env)}) {
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
            return null;
        }
    }
}
