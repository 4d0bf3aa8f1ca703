package io.neuromask.notebook;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;

/**
 * Display on rapaio-jupyter-kernel (3.x): {@code org.rapaio.jupyter.kernel.MainApp.kernel} is the running
 * kernel; its {@code display(DisplayData)} and {@code updateDisplay(DisplayData)} publish
 * {@code display_data} and {@code update_display_data} messages.
 */
final class RapaioDisplay implements KernelDisplay {

    static final String MAIN = "org.rapaio.jupyter.kernel.MainApp";
    static final String DISPLAY_DATA = "org.rapaio.jupyter.kernel.display.DisplayData";

    private final Object kernel;
    private final Method display;
    private final Method updateDisplay;
    private final Method withType;
    private final Method putData;
    private final Method setDisplayId;

    private RapaioDisplay(Object kernel, Class<?> displayData) {
        this.kernel = kernel;
        this.display = Reflect.method(kernel.getClass(), "display", 1);
        this.updateDisplay = Reflect.method(kernel.getClass(), "updateDisplay", 1);
        try {
            this.withType = displayData.getMethod("withType", String.class, String.class);
            this.putData = displayData.getMethod("putData", String.class, Object.class);
            this.setDisplayId = displayData.getMethod("setDisplayId", String.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("unsupported rapaio-jupyter-kernel version: " + e.getMessage(), e);
        }
    }

    /** The adapter when this JVM runs a rapaio kernel, else null. */
    static RapaioDisplay probe() {
        Class<?> main = Reflect.find(MAIN);
        Class<?> data = Reflect.find(DISPLAY_DATA);
        if (main == null || data == null) {
            return null;
        }
        try {
            Object kernel = main.getField("kernel").get(null);
            return kernel == null ? null : new RapaioDisplay(kernel, data);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public String name() {
        return "rapaio";
    }

    @Override
    public String display(MimeBundle bundle) {
        String id = UUID.randomUUID().toString();
        Reflect.invoke(display, kernel, toDisplayData(bundle, id));
        return id;
    }

    @Override
    public void update(String displayId, MimeBundle bundle) {
        Reflect.invoke(updateDisplay, kernel, toDisplayData(bundle, displayId));
    }

    private Object toDisplayData(MimeBundle bundle, String id) {
        Object dd = null;
        for (Map.Entry<String, String> e : bundle.data().entrySet()) {
            if (dd == null) {
                dd = Reflect.invoke(withType, null, e.getKey(), e.getValue());
            } else {
                Reflect.invoke(putData, dd, e.getKey(), e.getValue());
            }
        }
        Reflect.invoke(setDisplayId, dd, id);
        return dd;
    }
}
