package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.neuromask.base.SaliencyMap;

/**
 * Differentiable bilinear upsampling of K×1×h×w masks to K×1×H×W with PyTorch's {@code align_corners=false}
 * convention, as two matrix products {@code A·m·Bᵀ} (A is H×h, B is W×w); the same weights as
 * {@link SaliencyMap#resize}.
 */
public final class Upsampling {

    private final NDArray rows;
    private final NDArray columnsT;
    private final double cellArea;

    /** From h×w to height×width. */
    public Upsampling(NDManager manager, int h, int w, int height, int width) {
        this.cellArea = (double) height / h * width / w;
        this.rows = manager.create(matrix(h, height), new Shape(height, h));
        this.columnsT = manager.create(matrix(w, width), new Shape(width, w)).transpose();
    }

    /** The n×m matrix whose column j is the 1-D resize of the unit vector e_j from m to n samples. */
    static float[] matrix(int m, int n) {
        float[] a = new float[n * m];
        for (int j = 0; j < m; j++) {
            float[] e = new float[m];
            e[j] = 1;
            float[] col = SaliencyMap.of(e, m, 1).resize(n, 1).values();
            for (int i = 0; i < n; i++) {
                a[i * m + j] = col[i];
            }
        }
        return a;
    }

    /**
     * The area in output pixels of one input cell, {@code (H/h)·(W/w)}: the squared spacing of the input samples in
     * output pixels, by which a finite difference of second order on the input grid exceeds the same curvature's
     * on the output grid.
     */
    public double cellArea() {
        return cellArea;
    }

    /** K×1×h×w to K×1×H×W. */
    public NDArray apply(NDArray masks) {
        return rows.matMul(masks).matMul(columnsT);
    }
}
