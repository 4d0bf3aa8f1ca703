package io.neuromask.kernel;

import java.util.Locale;

/** The Java Jupyter kernels a kernelspec can run, and how each takes an extra class path. */
public enum JavaKernel {
    /** rapaio-jupyter-kernel: {@code RJK_CLASSPATH}, entries separated by {@code ;}. */
    RAPAIO("RJK_CLASSPATH", ";"),
    /** SpencerPark's IJava: {@code IJAVA_CLASSPATH}, entries separated by the platform separator. */
    IJAVA("IJAVA_CLASSPATH", java.io.File.pathSeparator),
    /** JJava (IJava's successor): {@code JJAVA_CLASSPATH}, entries separated by the platform separator. */
    JJAVA("JJAVA_CLASSPATH", java.io.File.pathSeparator);

    private final String classpathVariable;
    private final String separator;

    JavaKernel(String classpathVariable, String separator) {
        this.classpathVariable = classpathVariable;
        this.separator = separator;
    }

    /** The environment variable the kernel reads its extra class path from. */
    public String classpathVariable() {
        return classpathVariable;
    }

    /** The separator between class path entries in {@link #classpathVariable()}. */
    public String separator() {
        return separator;
    }

    /** Parses {@code rapaio}, {@code ijava} or {@code jjava}, case-insensitively. */
    public static JavaKernel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown kernel '" + name + "'; use rapaio, ijava or jjava", e);
        }
    }
}
