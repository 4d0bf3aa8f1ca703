package io.neuromask.notebook;

/**
 * Sends rich output to the front end of the Jupyter kernel this JVM runs in. One implementation per
 * kernel ({@link RapaioDisplay}, {@link IJavaDisplay}, {@link JJavaDisplay}), each reaching the kernel's
 * own display API by reflection so that the toolkit does not depend on any kernel; {@link PlainTextDisplay}
 * is the fallback outside a kernel. {@link KernelDisplays#detect()} picks one.
 */
interface KernelDisplay {

    /** A short name of the kernel, e.g. {@code rapaio}. */
    String name();

    /**
     * Shows a bundle as a new output of the running cell.
     *
     * @return the display id, usable with {@link #update}
     */
    String display(MimeBundle bundle);

    /** Replaces the content of an earlier output, in place. */
    void update(String displayId, MimeBundle bundle);
}
