package io.neuromask.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Parses device names: {@code auto} (GPU when DJL sees one, else CPU), {@code cpu}, {@code gpu}, {@code gpu:N}. */
public final class Devices {

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

    /** The device {@code auto} resolves to. */
    public static Device defaultDevice() {
        return Engine.getEngine("PyTorch").defaultDevice();
    }
}
