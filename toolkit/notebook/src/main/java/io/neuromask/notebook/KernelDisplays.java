package io.neuromask.notebook;

/** Finds the display of the kernel this JVM runs in. */
final class KernelDisplays {

    private KernelDisplays() {}

    /** rapaio, IJava or JJava when running inside one of them, else a {@link PlainTextDisplay}. */
    public static KernelDisplay detect() {
        KernelDisplay d = RapaioDisplay.probe();
        if (d == null) {
            d = IJavaDisplay.probe();
        }
        if (d == null) {
            d = JJavaDisplay.probe();
        }
        return d != null ? d : new PlainTextDisplay();
    }
}
