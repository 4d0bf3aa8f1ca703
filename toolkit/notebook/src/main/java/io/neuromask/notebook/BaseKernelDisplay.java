package io.neuromask.notebook;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Display on kernels built on SpencerPark's jupyter-jvm-basekernel (IJava) and its fork in JJava: the
 * kernel instance has {@code display(DisplayData)}, and {@code getIO().display.updateDisplay(id, DisplayData)}
 * (or {@code io()} in later versions) updates an output in place.
 */
abstract class BaseKernelDisplay implements KernelDisplay {

    private final Object kernel;
    private final Method display;
    private final Class<?> displayDataType;

    BaseKernelDisplay(Object kernel) {
        this.kernel = kernel;
        this.display = Reflect.method(kernel.getClass(), "display", 1);
        this.displayDataType = display.getParameterTypes()[0];
    }

    /** The running kernel of the first entry class whose static {@code getKernelInstance()} is non-null. */
    static Object kernelInstance(List<String> entryClasses) {
        for (String name : entryClasses) {
            Class<?> entry = Reflect.find(name);
            if (entry == null) {
                continue;
            }
            for (String getter : List.of("getKernelInstance", "notebookKernel")) {
                try {
                    Object k = entry.getMethod(getter).invoke(null);
                    if (k != null) {
                        return k;
                    }
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // not this API
                }
            }
        }
        return null;
    }

    @Override
    public String display(MimeBundle bundle) {
        String id = UUID.randomUUID().toString();
        Reflect.invoke(display, kernel, toDisplayData(bundle, id));
        return id;
    }

    @Override
    public void update(String displayId, MimeBundle bundle) {
        Object io = null;
        for (String getter : List.of("getIO", "io")) {
            try {
                io = kernel.getClass().getMethod(getter).invoke(kernel);
                break;
            } catch (ReflectiveOperationException e) {
                // try the other name
            }
        }
        if (io == null) {
            throw new IllegalStateException(name() + ": the kernel has no getIO()/io() to update a display");
        }
        Object facility;
        try {
            facility = io.getClass().getField("display").get(io);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name() + ": no display facility on the kernel's IO", e);
        }
        Method update = Reflect.method(facility.getClass(), "updateDisplay", 2);
        Reflect.invoke(update, facility, displayId, toDisplayData(bundle, displayId));
    }

    private Object toDisplayData(MimeBundle bundle, String id) {
        try {
            Object dd = displayDataType.getConstructor().newInstance();
            Method put = displayDataType.getMethod("putData", String.class, Object.class);
            for (Map.Entry<String, String> e : bundle.data().entrySet()) {
                put.invoke(dd, e.getKey(), e.getValue());
            }
            displayDataType.getMethod("setDisplayId", String.class).invoke(dd, id);
            return dd;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name() + ": unsupported DisplayData API", e);
        }
    }
}
