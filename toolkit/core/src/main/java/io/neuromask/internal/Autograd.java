package io.neuromask.internal;

/**
 * The process-wide autograd lock. DJL's PyTorch {@code GradientCollector} allows one recording at a
 * time in the whole process, so every piece of code that records a graph (NeuroMask's optimiser, the
 * gradient-based attribution methods) holds this lock while it does.
 */
public final class Autograd {

    /** Hold while a {@code GradientCollector} is open and while reading the gradients it produced. */
    public static final Object LOCK = new Object();

    private Autograd() {}
}
