package io.neuromask.internal;

/** The discrete Laplacian kernels of the NeuroMask smoothness term: all taps -1, centre k*k-1. */
public final class Laplacian {

    private Laplacian() {}

    /**
     * The k×k kernel, row-major: -1 everywhere and {@code k*k - 1} at the centre (8 for k = 3, 24 for
     * k = 5), so it sums to 0 and a constant map has zero smoothness loss.
     */
    public static float[] kernel(int k) {
        if (k < 3 || k % 2 == 0) {
            throw new IllegalArgumentException("Laplacian size must be odd and >= 3, got " + k);
        }
        float[] kernel = new float[k * k];
        java.util.Arrays.fill(kernel, -1f);
        kernel[(k * k) / 2] = k * k - 1;
        return kernel;
    }
}
