package io.neuromask.notebook;

import java.util.List;

/**
 * Display on JJava, IJava's successor: {@code org.dflib.jjava.JJava.getKernelInstance()} (1.0 milestones)
 * or the base kernel's {@code notebookKernel()} in later releases.
 */
final class JJavaDisplay extends BaseKernelDisplay {

    static final List<String> ENTRY = List.of("org.dflib.jjava.JJava", "org.dflib.jjava.kernel.JavaKernel",
            "org.dflib.jjava.jupyter.kernel.BaseKernel");

    private JJavaDisplay(Object kernel) {
        super(kernel);
    }

    /** The adapter when this JVM runs a JJava kernel, else null. */
    static JJavaDisplay probe() {
        Object k = kernelInstance(ENTRY);
        return k == null ? null : new JJavaDisplay(k);
    }

    @Override
    public String name() {
        return "jjava";
    }
}
