package io.neuromask.spark;

import io.neuromask.engine.AutoBatchSize;
import io.neuromask.engine.MaskObjective;
import ai.djl.Device;
import io.neuromask.base.Classifier;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import io.neuromask.model.Threads;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * One model per executor JVM: loaded once from the store (cache, mirror or download) on first use and reused by
 * every task and partition that JVM runs; in local mode all tasks share the driver's JVM and so one model. Also
 * remembers the batch size chosen per (model, device, objective). Thread-safe.
 *
 * <p><b>One engine thread per device.</b> Every libtorch call of the job runs on one long-lived thread per device
 * and JVM ({@link #onEngineThread}), never on Spark's task threads. libtorch's CPU kernels use OpenMP (GNU libgomp),
 * which keeps a pool of worker threads per calling thread and, once the process holds more of its threads than
 * there are CPUs, stops letting idle workers spin and puts them to sleep between parallel regions. Each task thread
 * that called libtorch would add a pool; with one engine thread the process has one, as a single-JVM program does.
 * Mask optimisation loses no parallelism by this: the engine already optimises one batch at a time per JVM.
 */
final class ExecutorModels {

    private static final Map<String, Classifier> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, Integer> BATCH_SIZES = new ConcurrentHashMap<>();
    private static final Map<String, ExecutorService> ENGINE_THREADS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The device of this task: a GPU executor takes the first GPU address Spark assigned to the task (resource
     * profile {@code spark.task.resource.gpu.amount}, discovery script {@code spark.executor.resource.gpu.*});
     * otherwise {@code requested} ({@code cpu}, {@code gpu}, or null for DJL's default).
     */
    static Device device(String requested) {
        TaskContext task = TaskContext.get();
        if (task != null && (requested == null || requested.startsWith("gpu"))) {
            ResourceInformation gpu = task.resourcesJMap().get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                return Device.gpu(Integer.parseInt(gpu.addresses()[0].trim()));
            }
        }
        return requested == null ? Devices.defaultDevice() : Devices.parse(requested);
    }

    /** The model {@code name} on {@code device}, loaded on first use in this JVM. */
    static Classifier model(String name, Device device) {
        configureThreads();
        return MODELS.computeIfAbsent(name + "@" + device, k -> Models.load(name, device));
    }

    /**
     * libtorch's intra-op threads for this JVM ({@link Threads}): a cluster executor's {@code spark.executor.cores}
     * (its share of the host), else, in local mode, the CPUs the JVM may use; the engine thread runs one batch at
     * a time, so one OpenMP pool of that size. The user's {@code OMP_NUM_THREADS} or {@code NEUROMASK_THREADS}
     * (e.g. through {@code spark.executorEnv.*}) wins.
     */
    private static void configureThreads() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        boolean local = env == null || env.conf().get("spark.master", "local").startsWith("local");
        int cores = local ? 0 : env.conf().getInt("spark.executor.cores", 0);
        Threads.configureFor(cores > 0 ? cores : Threads.available());
    }

    /** The batch size for an objective on a device: measured once per JVM ({@link AutoBatchSize#choose}). */
    static int batchSize(Classifier model, MaskObjective<?> objective) {
        String key = model.name() + "@" + model.device() + "/" + objective;
        return BATCH_SIZES.computeIfAbsent(key, k -> AutoBatchSize.choose(model, objective, m -> {}).batchSize());
    }

    /**
     * Runs {@code work} on this JVM's engine thread for {@code device} (created on first use, a daemon thread) and
     * waits for it. An interrupt of the caller (Spark cancelling the task) interrupts the work too.
     */
    static <T> T onEngineThread(Device device, Callable<T> work) {
        ExecutorService engine = ENGINE_THREADS.computeIfAbsent(device.toString(),
                k -> Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "neuromask-engine-" + k);
                    t.setDaemon(true);
                    return t;
                }));
        Future<T> result = engine.submit(work);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while explaining on " + device, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
