package io.neuromask.options;

import ai.djl.Device;
import io.neuromask.model.Devices;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --device}: where the model runs, {@code auto} by default. A picocli mixin. */
public final class DeviceOption {

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default "
            + "${DEFAULT-VALUE}: PyTorch's default device, a GPU when it sees one, else the CPU; on Spark, the GPU "
            + "that Spark assigns to the task, if any).")
    String device;

    /** The name given, e.g. {@code auto} or {@code gpu:1}. */
    public String name() {
        return device;
    }

    /**
     * The device, or null for {@code auto} (the engine's default); unknown names and GPUs that DJL does not see fail
     * with the reason ({@link Devices#parse}).
     */
    public Device device() {
        return Devices.parse(device);
    }

    /** The name, or null for {@code auto}: for settings that travel by name (the Spark job's). */
    public String nameOrNullForAuto() {
        return device.trim().toLowerCase(Locale.ROOT).equals("auto") ? null : device.trim();
    }
}
