package io.neuromask.spark;

import ai.djl.Device;
import io.neuromask.AutoBatchSize;
import io.neuromask.MaskObjective;
import io.neuromask.base.Classifier;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * One model per executor JVM: loaded once from the store (cache, mirror or download) on first use and reused by
 * every task and partition that JVM runs; in local mode all tasks share the driver's JVM and so one model. Also
 * remembers the batch size chosen per (model, device, objective). Thread-safe.
 */
final class ExecutorModels {

    private static final Map<String, Classifier> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, Integer> BATCH_SIZES = new ConcurrentHashMap<>();

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
        return MODELS.computeIfAbsent(name + "@" + device, k -> Models.load(name, device));
    }

    /** The batch size for an objective on a device: measured once per JVM ({@link AutoBatchSize#choose}). */
    static int batchSize(Classifier model, MaskObjective objective) {
        String key = model.name() + "@" + model.device() + "/" + objective;
        return BATCH_SIZES.computeIfAbsent(key, k -> AutoBatchSize.choose(model, objective, m -> {}).batchSize());
    }
}
