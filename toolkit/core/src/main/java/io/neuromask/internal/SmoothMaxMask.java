package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * TorchRay's smooth-mask parametrisation (Fong, Patrick &amp; Vedaldi 2019, §3.3; TorchRay's
 * {@code MaskGenerator}): parameters on a grid of {@code step} pixels, each spreading a kernel
 * {@code k(z) = exp(−2·max(z − ½, 0)²)} of radius σ over the image, the mask at a pixel being the smooth maximum
 * {@code Σ_j v_j·softmax(20·v)_j} of the kernel-weighted parameters around it, clamped to [0, 1]. The mask has a
 * margin of σ pixels around the image, used by the area constraint; {@link #cropped} removes it.
 */
public final class SmoothMaxMask {

    /** Softmax coldness, TorchRay's value. */
    public static final float COLDNESS = 20f;

    private final int height;
    private final int width;
    private final int step;
    private final int padding;
    private final int radius;
    private final int margin;
    private final int[] shapeIn;
    private final int[] shapeMid;
    private final int[] shapeOut;
    private final int[] shapeUp;
    private final NDArray weight; // 1×(2r+1)²×Ho×Wo
    private final NDArray coldness;

    /** Builds the generator for an H×W image; {@code weight} lives in {@code manager}. */
    public SmoothMaxMask(NDManager manager, int height, int width, int step, double sigma) {
        if (step < 1) {
            throw new IllegalArgumentException("mask step must be at least 1 pixel, got " + step);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("mask sigma must be finite and > 0, got " + sigma);
        }
        this.height = height;
        this.width = width;
        this.step = step;
        this.padding = 1 + (int) Math.ceil((sigma + sigma) / step);
        this.radius = 1 + (int) Math.ceil(sigma / step);
        this.margin = (int) Math.round(sigma);
        int[] shape = {height, width};
        shapeIn = new int[2];
        shapeMid = new int[2];
        shapeOut = new int[2];
        shapeUp = new int[2];
        for (int d = 0; d < 2; d++) {
            shapeIn[d] = (int) Math.ceil((double) shape[d] / step);
            shapeMid[d] = shapeIn[d] + 2 * padding - (2 * radius + 1) + 1;
            shapeUp[d] = step * shapeMid[d];
            shapeOut[d] = shapeUp[d] - step + 1;
        }
        int side = 2 * radius + 1;
        // Laid out side²×midY×step×midX×step (the up-sampled grid, before TorchRay crops its last step−1 rows and
        // columns), so that parameters broadcast over each step×step block instead of being repeated.
        float[] w = new float[side * side * shapeUp[0] * shapeUp[1]];
        float invY = (float) shapeMid[0] / shapeUp[0];
        float invX = (float) shapeMid[1] / shapeUp[1];
        for (int ky = 0; ky < side; ky++) {
            for (int kx = 0; kx < side; kx++) {
                int k = ky * side + kx;
                for (int uy = 0; uy < shapeUp[0]; uy++) {
                    float iy = (float) Math.floor(invY * uy) + ky - padding;
                    for (int ux = 0; ux < shapeUp[1]; ux++) {
                        float ix = (float) Math.floor(invX * ux) + kx - padding;
                        double dy = uy - (sigma + step * iy);
                        double dx = ux - (sigma + step * ix);
                        double z = Math.sqrt(dy * dy + dx * dx) / sigma;
                        double over = Math.max(z - 0.5, 0);
                        w[(k * shapeUp[0] + uy) * shapeUp[1] + ux] = (float) Math.exp(-2 * over * over);
                    }
                }
            }
        }
        this.weight = manager.create(w, new Shape(1, side * side, shapeMid[0], step, shapeMid[1], step));
        this.coldness = manager.create(COLDNESS);
    }

    /** The parameter grid, rows × columns. */
    public int[] parameterShape() {
        return shapeIn.clone();
    }

    /** Pixels in the full mask (with its margin), the area constraint's denominator. */
    public int fullArea() {
        return shapeOut[0] * shapeOut[1];
    }

    /**
     * The full mask with its margin, K×1×Ho×Wo, from parameters K×1×h×w.
     *
     * @param clamp whether to clamp to [0, 1] (the mask) or not (a tie-free score)
     */
    public NDArray full(NDArray parameters, boolean clamp) {
        return full(parameters, clamp, GROUP_FLOATS);
    }

    /** {@link #full(NDArray, boolean)} with rows grouped so that a group holds at most {@code groupFloats}. */
    NDArray full(NDArray parameters, boolean clamp, long groupFloats) {
        long rows = parameters.getShape().get(0);
        // A few rows at a time: a group's intermediates (side² × the up-sampled grid per row, 23 MB per row at 224²
        // with TorchRay's defaults) stay under glibc's largest mmap threshold (32 MB, see NativeAllocator), so they
        // are reused from the heap instead of being mapped and zero-filled afresh by every operation: 10× faster on
        // a CPU. Small images put many rows in one group, which keeps the number of operations low.
        long perRow = (long) (2 * radius + 1) * (2 * radius + 1) * shapeUp[0] * shapeUp[1];
        long group = Math.max(1, groupFloats / perRow);
        if (rows <= group) {
            return fullOfRows(parameters, clamp);
        }
        NDList parts = new NDList((int) ((rows + group - 1) / group));
        for (long r = 0; r < rows; r += group) {
            parts.add(fullOfRows(parameters.get(r + ":" + Math.min(rows, r + group)), clamp));
        }
        return NDArrays.concat(parts, 0);
    }

    /** Floats per group of rows: 28 MB, under glibc's 32 MB mmap threshold. */
    private static final long GROUP_FLOATS = 7L << 20;

    private NDArray fullOfRows(NDArray parameters, boolean clamp) {
        int side = 2 * radius + 1;
        long k = parameters.getShape().get(0);
        NDArray padded = parameters.pad(new Shape(padding, padding, padding, padding), 0);
        NDList windows = new NDList(side * side);
        for (int ky = 0; ky < side; ky++) {
            for (int kx = 0; kx < side; kx++) {
                windows.add(padded.get(":, :, " + ky + ":" + (ky + shapeMid[0]) + ", " + kx + ":" + (kx + shapeMid[1])));
            }
        }
        NDArray unfolded = NDArrays.concat(windows, 1) // K×side²×mid×mid, nearest-upsampled by broadcasting:
                .reshape(k, (long) side * side, shapeMid[0], 1, shapeMid[1], 1);
        NDArray v = unfolded.mul(weight); // K×side²×midY×step×midX×step
        // softmax-weighted sum over the neighbours; v ≤ 1, so exp(20·v) cannot overflow and needs no shift
        NDArray e = v.mul(coldness).exp();
        NDArray smoothMax = v.mul(e).sum(new int[] {1}).div(e.sum(new int[] {1}))
                .reshape(k, 1, shapeUp[0], shapeUp[1])
                .get(":, :, :" + shapeOut[0] + ", :" + shapeOut[1]);
        return clamp ? smoothMax.clip(0, 1) : smoothMax;
    }

    /** The mask over the image: the full mask without its margin, K×1×H×W. */
    public NDArray cropped(NDArray full) {
        return full.get(":, :, " + margin + ":" + (margin + height) + ", " + margin + ":" + (margin + width));
    }
}
