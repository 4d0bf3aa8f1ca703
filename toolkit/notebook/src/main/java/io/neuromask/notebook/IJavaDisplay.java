package io.neuromask.notebook;

import java.util.List;

/** Display on IJava: {@code io.github.spencerpark.ijava.IJava.getKernelInstance()}. */
final class IJavaDisplay extends BaseKernelDisplay {

    static final List<String> ENTRY = List.of("io.github.spencerpark.ijava.IJava");

    private IJavaDisplay(Object kernel) {
        super(kernel);
    }

    /** The adapter when this JVM runs an IJava kernel, else null. */
    static IJavaDisplay probe() {
        Object k = kernelInstance(ENTRY);
        return k == null ? null : new IJavaDisplay(k);
    }

    @Override
    public String name() {
        return "ijava";
    }
}
