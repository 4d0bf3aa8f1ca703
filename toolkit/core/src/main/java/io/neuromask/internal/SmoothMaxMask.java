package io.neuromask.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * TorchRay's smooth-mask parametrisation (Fong, Patrick &amp; Vedaldi 2019, §3.3; TorchRay's
 * {@code MaskGenerator}): parameters on a grid of {@code step} pixels, each spreading a kernel
 * {@code k(z) = exp(−2·max(z − ½, 0)²)} of radius σ over the image, the mask at a pixel being the smooth maximum
 * {@code Σ_j v_j·softmax(20·v)_j} of the kernel-weighted parameters {@code v_j = p_j·k(|x − c_j|/σ)} of the
 * {@code (2r+1)²} grid points around it. The mask has a margin of σ pixels around the image, used by the area
 * constraint; {@link #cropped} removes it.
 *
 * <p><b>How it is computed.</b> TorchRay materialises the {@code (2r+1)²} (81 with its defaults) kernel-weighted
 * copies of the up-sampled mask and lets autograd keep them, with their exponentials, for the backward pass: 23 MB
 * per mask at 224² for each of several tensors, 13 GB for a batch of 25 images with three areas. Here the forward
 * pass ({@link #forward}) runs without an autograd graph, a few grid cells at a time so that each piece stays in
 * the CPU's cache, and keeps only what the backward pass needs per pixel (the normaliser {@code Z = Σ_j e^{20 v_j}}
 * and the smooth maximum) and per cell (the window of parameters), plus the exponentials themselves while they take
 * at most {@value #KEEP_BYTES} bytes; {@link Pass#backward} takes them or recomputes them piece by piece, and
 * applies the derivative
 * <pre>
 *   ∂m/∂p_j = k_j · s_j · (1 + 20·(v_j − m))      s_j = e^{20 v_j} / Z
 * </pre>
 * summed over the pixels of each grid cell, so that memory does not grow with the neighbourhood and no operation runs
 * over more than a few hundred thousand values. The kernel weight depends only on a pixel's position within its grid
 * cell and the neighbour's offset ({@code step² × (2r+1)²} numbers), not on the cell. The values are laid out
 * neighbour first and summed over the neighbours in TorchRay's order, in pieces of whole SIMD vectors of pixels
 * ({@link #CELL_ALIGNMENT}): the mask equals TorchRay's formulation's to the last bit (libtorch on the same CPU), so
 * that ties in the area constraint's sort break the same way.
 *
 * <p>Parameters must lie in [0, 1] (the optimiser clamps them there): then {@code 20·v ≤ 20} and the exponentials
 * cannot overflow, so no maximum is subtracted.
 */
public final class SmoothMaxMask {

    /** Softmax coldness, TorchRay's value. */
    public static final float COLDNESS = 20f;

    /** Kernel-weighted values per piece of the computation: about 2 MB of floats, within a CPU core's cache. */
    static final long PAIRS_PER_PIECE = 1L << 19;

    /**
     * The forward pass keeps its exponentials for the backward pass (which then skips its most costly operation)
     * when they take at most this many bytes: 23 MB per mask at 224² with TorchRay's defaults, so up to five masks
     * (one image with three areas); beyond that the backward pass computes them again, piece by piece, and memory
     * stays independent of the batch. Keeping them for the engine's passes of three images at 224² would add 206 MB
     * to a batch of 25 images (1.8 GB peak resident against 1.4 GB, measured).
     */
    public static final long KEEP_BYTES = 128L << 20;

    private final int height;
    private final int width;
    private final int step;
    private final int padding;
    private final int side;
    private final int margin;
    private final int[] shapeIn = new int[2];
    private final int[] shapeMid = new int[2];
    private final int[] shapeOut = new int[2];
    private final int[] shapeUp = new int[2];
    private final NDArray neighbourMajor;   // side²×1×step²: k(|x − c_j|/σ) by neighbour and position in the cell
    private final NDArray neighbourMajor20; // COLDNESS × the kernel
    private final NDArray coldness;

    /** Builds the generator for an H×W image; its constants live in {@code manager}. */
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
        int radius = 1 + (int) Math.ceil(sigma / step);
        this.side = 2 * radius + 1;
        this.margin = (int) Math.round(sigma);
        int[] shape = {height, width};
        for (int d = 0; d < 2; d++) {
            shapeIn[d] = (int) Math.ceil((double) shape[d] / step);
            shapeMid[d] = shapeIn[d] + 2 * padding - side + 1;
            shapeUp[d] = step * shapeMid[d];
            shapeOut[d] = shapeUp[d] - step + 1;
        }
        // pixel (sy, sx) of cell (my, mx) sees neighbour (ky, kx), the parameter (my + ky − padding, mx + kx − padding)
        // centred at σ + step·(that index): the offset sy + step·(padding − ky) − σ does not depend on the cell
        float[] w = new float[side * side * step * step];
        float[] w20 = new float[w.length];
        for (int ky = 0; ky < side; ky++) {
            for (int kx = 0; kx < side; kx++) {
                for (int sy = 0; sy < step; sy++) {
                    for (int sx = 0; sx < step; sx++) {
                        double dy = sy + step * (padding - ky) - sigma;
                        double dx = sx + step * (padding - kx) - sigma;
                        double z = Math.sqrt(dy * dy + dx * dx) / sigma;
                        double over = Math.max(z - 0.5, 0);
                        int i = ((ky * side + kx) * step + sy) * step + sx;
                        w[i] = (float) Math.exp(-2 * over * over);
                        w20[i] = COLDNESS * w[i];
                    }
                }
            }
        }
        this.neighbourMajor = manager.create(w, new Shape(side * side, 1, step * step));
        this.neighbourMajor20 = manager.create(w20, new Shape(side * side, 1, step * step));
        this.coldness = manager.create(COLDNESS);
    }

    /**
     * Bytes of the exponentials of one mask, which a forward pass keeps for its backward pass when the masks' total
     * is at most {@link #KEEP_BYTES}: 23 MB at 224² with TorchRay's defaults.
     */
    public long exponentialBytesPerMask() {
        return (long) shapeMid[0] * shapeMid[1] * side * side * step * step * Float.BYTES;
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
     * The full mask with its margin, K×1×Ho×Wo, from parameters K×1×h×w in [0, 1], without an autograd graph.
     *
     * @param clamp whether to clamp to [0, 1] (the mask) or not (a tie-free score)
     */
    public NDArray full(NDArray parameters, boolean clamp) {
        NDArray mask = forward(parameters, PAIRS_PER_PIECE, 0).mask(); // no backward pass: nothing to keep
        return clamp ? mask.clip(0, 1) : mask;
    }

    /**
     * The smooth maximum (unclamped), computed without an autograd graph, with what its backward pass needs.
     *
     * @param parameters K×1×h×w in [0, 1]; a graph they belong to is not extended
     */
    public Pass forward(NDArray parameters) {
        return forward(parameters, PAIRS_PER_PIECE, KEEP_BYTES);
    }

    /**
     * {@link #forward(NDArray)} in pieces of about {@code pairsPerPiece} kernel-weighted values, keeping the
     * exponentials for the backward pass when they take at most {@code keepBytes}.
     */
    Pass forward(NDArray parameters, long pairsPerPiece, long keepBytes) {
        Shape s = parameters.getShape();
        if (s.dimension() != 4 || s.get(1) != 1 || s.get(2) != shapeIn[0] || s.get(3) != shapeIn[1]) {
            throw new IllegalArgumentException("mask parameters must be K×1×" + shapeIn[0] + "×" + shapeIn[1]
                    + ", got " + s);
        }
        long rows = s.get(0);
        long cells = rows * shapeMid[0] * shapeMid[1];
        long perPiece = piece(pairsPerPiece);
        NDArray windows = unfold(parameters.stopGradient(), perPiece); // side² × cells, padded to whole pieces
        long padded = windows.getShape().get(1);
        long pairs = padded * side * side * step * step;
        // per-cell results go into arrays allocated before the pieces: small results kept between a piece's
        // temporaries would leave holes in the native heap too small for the next piece's temporaries (the kept
        // exponentials are pieces of the temporaries' own size, so their holes fit the next piece)
        NDManager manager = windows.getManager();
        NDArray smooth = manager.create(new Shape(padded, (long) step * step)); // the smooth maximum, per cell
        NDArray z = manager.create(new Shape(padded, (long) step * step));
        NDList kept = pairs * Float.BYTES <= keepBytes ? new NDList() : null;
        for (long a = 0; a < padded; a += perPiece) {
            long b = a + perPiece;
            NDIndex range = new NDIndex(a + ":" + b);
            try (NDScope scope = new NDScope()) { // a piece's intermediates are freed before the next piece
                scope.suppressNotUsedWarning();
                // TorchRay's operations in its order, each pixel's neighbours summed one after the other along the
                // leading axis, over whole vectors of pixels: the same values to the last bit
                NDArray v = windows.get(":, " + a + ":" + b).reshape(side * side, b - a, 1).mul(neighbourMajor);
                NDArray e = v.mul(coldness).exp(); // side² × cells × step²
                NDArray sum = e.sum(new int[] {0});
                z.set(range, sum);
                smooth.set(range, v.mul(e).sum(new int[] {0}).div(sum));
                if (kept != null) { // the piece's exponentials outlive its scope, in the caller's
                    NDScope.unregister(e);
                    kept.add(e);
                }
            }
            if (kept != null) {
                NDScope.register(kept.get(kept.size() - 1));
            }
        }
        if (padded > cells) {
            smooth = smooth.get("0:" + cells);
            z = z.get("0:" + cells);
        }
        NDArray mask = smooth.reshape(rows, shapeMid[0], shapeMid[1], step, step).transpose(0, 1, 3, 2, 4)
                .reshape(rows, 1, shapeUp[0], shapeUp[1])
                .get(":, :, :" + shapeOut[0] + ", :" + shapeOut[1]);
        return new Pass(mask, windows, smooth, z, kept, rows, perPiece);
    }

    /**
     * Cells per piece: about {@code pairsPerPiece} kernel-weighted values, a multiple of {@value #CELL_ALIGNMENT}
     * so that every piece sums whole vectors of pixels.
     */
    private long piece(long pairsPerPiece) {
        long cells = pairsPerPiece / ((long) step * step * side * side);
        return Math.max(1, cells / CELL_ALIGNMENT) * CELL_ALIGNMENT;
    }

    /**
     * Cells per piece are a multiple of this. libtorch sums along the leading axis over whole SIMD vectors of
     * pixels and the last few pixels of a tensor one at a time, in another order; TorchRay's tensor of a mask row
     * has those last pixels in its cut-off last row at 224² (and in a corner of the margin at 32²), so pieces made of
     * whole vectors give its values to the last bit everywhere else. The sort in the area constraint breaks ties
     * between equal values by those bits.
     */
    static final int CELL_ALIGNMENT = 64;

    /**
     * Each cell's window of side² zero-padded parameters, neighbour first: side² × cells, with zero cells added to
     * make whole pieces of {@code perPiece}.
     */
    private NDArray unfold(NDArray parameters, long perPiece) {
        long rows = parameters.getShape().get(0);
        NDArray padded = parameters.reshape(rows, shapeIn[0], shapeIn[1])
                .pad(new Shape(padding, padding, padding, padding), 0);
        NDList windows = new NDList(side * side);
        for (int ky = 0; ky < side; ky++) {
            for (int kx = 0; kx < side; kx++) {
                windows.add(padded.get(":, " + ky + ":" + (ky + shapeMid[0]) + ", " + kx + ":" + (kx + shapeMid[1])));
            }
        }
        long cells = rows * shapeMid[0] * shapeMid[1];
        long whole = (cells + perPiece - 1) / perPiece * perPiece;
        NDArray w = NDArrays.stack(windows, 0).reshape(side * side, cells);
        return whole == cells ? w : w.pad(new Shape(0, whole - cells), 0);
    }

    /** The mask over the image: the full mask without its margin, K×1×H×W. */
    public NDArray cropped(NDArray full) {
        return full.get(":, :, " + margin + ":" + (margin + height) + ", " + margin + ":" + (margin + width));
    }

    /** One forward pass: the unclamped full mask and the backward pass to its parameters. */
    public final class Pass {

        private final NDArray mask;
        private final NDArray windows;
        private final NDArray smooth;
        private final NDArray normaliser;
        private final NDList exponentials; // per piece, side² × cells × step², or null: computed again
        private final long rows;
        private final long perPiece;

        private Pass(NDArray mask, NDArray windows, NDArray smooth, NDArray normaliser, NDList exponentials,
                long rows, long perPiece) {
            this.mask = mask;
            this.windows = windows;
            this.smooth = smooth;
            this.normaliser = normaliser;
            this.exponentials = exponentials;
            this.rows = rows;
            this.perPiece = perPiece;
        }

        /** The full mask with its margin, K×1×Ho×Wo, not clamped (every value lies in [0, 1] up to rounding). */
        public NDArray mask() {
            return mask;
        }

        /**
         * The gradient of a loss with respect to the parameters, K×1×h×w, from its gradient with respect to
         * {@link #mask()} (K×1×Ho×Wo); computed without an autograd graph.
         */
        public NDArray backward(NDArray maskGradient) {
            Shape want = mask.getShape();
            if (!maskGradient.getShape().equals(want)) {
                throw new IllegalArgumentException("the mask's gradient must have the mask's shape " + want + ", got "
                        + maskGradient.getShape());
            }
            // d loss / d m per pixel, on the up-sampled grid (zero where the mask was cut), in cell layout
            NDArray g = maskGradient
                    .pad(new Shape(0, shapeUp[1] - shapeOut[1], 0, shapeUp[0] - shapeOut[0]), 0)
                    .reshape(rows, shapeMid[0], step, shapeMid[1], step).transpose(0, 1, 3, 2, 4)
                    .reshape(-1, (long) step * step);
            // ∂m/∂p_j = k_j·s_j·(1 + 20v_j − 20m): with β = g/Z and α = β·(1 − 20m), the pair (pixel, j) gives
            // e^{20 v_j}·k_j·(α + β·20v_j), summed over the pixels of each cell
            NDArray beta = g.div(normaliser);
            NDArray alpha = beta.mul(smooth.mul(-COLDNESS).add(1f));
            long cells = smooth.getShape().get(0);
            NDArray perWindow = windows.getManager().create(new Shape(side * side, cells));
            for (long a = 0; a < cells; a += perPiece) {
                long b = Math.min(cells, a + perPiece);
                String range = a + ":" + b;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray v20 = windows.get(":, " + range).reshape(side * side, b - a, 1).mul(neighbourMajor20);
                    NDArray e = exponentials == null ? v20.exp()
                            : exponentials.get((int) (a / perPiece)).get(":, 0:" + (b - a));
                    NDArray ek = e.mul(neighbourMajor); // side² × cells × step²
                    perWindow.set(new NDIndex(":, " + range),
                            ek.mul(v20.mul(beta.get(range)).add(alpha.get(range))).sum(new int[] {2}));
                }
            }
            return fold(perWindow);
        }

        /** Sums each window's gradient back onto the parameters it read: side² × cells to K×1×h×w. */
        private NDArray fold(NDArray perWindow) {
            long paddedY = shapeIn[0] + 2L * padding;
            long paddedX = shapeIn[1] + 2L * padding;
            NDArray sum = perWindow.getManager().zeros(new Shape(rows, paddedY, paddedX));
            for (int ky = 0; ky < side; ky++) {
                for (int kx = 0; kx < side; kx++) {
                    try (NDArray part = perWindow.get(ky * side + kx).reshape(rows, shapeMid[0], shapeMid[1])
                            .pad(new Shape(kx, paddedX - shapeMid[1] - kx, ky, paddedY - shapeMid[0] - ky), 0)) {
                        sum.addi(part);
                    }
                }
            }
            return sum.get(":, " + padding + ":" + (padding + shapeIn[0]) + ", " + padding + ":"
                    + (padding + shapeIn[1])).reshape(rows, 1, shapeIn[0], shapeIn[1]);
        }
    }
}
