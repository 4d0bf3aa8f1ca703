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

    public Upsampling(NDManager manager, int h, int w, int height, int width) {
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

    /** K×1×h×w to K×1×H×W. */
    public NDArray apply(NDArray masks) {
        return rows.matMul(masks).matMul(columnsT);
    }
}
