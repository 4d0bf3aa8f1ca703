package io.neuromask.base;

/** Bilinear resizing of one row-major plane, as PyTorch's {@code interpolate(align_corners=False)}. */
final class Bilinear {

    private Bilinear() {}

    /**
     * Resizes an {@code h}×{@code w} plane to {@code newH}×{@code newW} with half-pixel centres and
     * clamped edges (no antialiasing).
     *
     * @throws IllegalArgumentException for a non-positive target size
     */
    public static float[] resize(float[] src, int h, int w, int newH, int newW) {
        if (newH <= 0 || newW <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + newW + "x" + newH);
        }
        float[] out = new float[newH * newW];
        double sy = (double) h / newH;
        double sx = (double) w / newW;
        for (int y = 0; y < newH; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double dy = fy - y0;
            for (int x = 0; x < newW; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double dx = fx - x0;
                double top = src[y0 * w + x0] * (1 - dx) + src[y0 * w + x1] * dx;
                double bottom = src[y1 * w + x0] * (1 - dx) + src[y1 * w + x1] * dx;
                out[y * newW + x] = (float) (top * (1 - dy) + bottom * dy);
            }
        }
        return out;
    }
}
