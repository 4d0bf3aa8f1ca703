package io.neuromask.base;

import java.util.Locale;
import java.util.Objects;

/**
 * A {@link Preprocessing} applied to one photo's size: the photo is resized (antialiased) to
 * {@link #resizedWidth()}×{@link #resizedHeight()}, then the model's input is the
 * {@link #inputWidth()}×{@link #inputHeight()} region at ({@link #cropX()}, {@link #cropY()}) of the resized image.
 * Maps model pixels back to the photo and learnt masks onto it.
 *
 * <p>Coordinates are continuous, pixel {@code i} spanning {@code [i, i + 1)}, as in torchvision and PIL: the photo's
 * x is {@code (modelX + cropX) · photoWidth / resizedWidth}, and the same for y (each axis has its own scale, since
 * the resized size is rounded).
 */
public final class PhotoGeometry {

    private final Preprocessing preprocessing;
    private final int photoWidth;
    private final int photoHeight;
    private final int resizedWidth;
    private final int resizedHeight;
    private final int cropX;
    private final int cropY;

    PhotoGeometry(Preprocessing preprocessing, int photoWidth, int photoHeight, int resizedWidth, int resizedHeight,
            int cropX, int cropY) {
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        if (cropX < 0 || cropY < 0 || cropX + preprocessing.inputWidth() > resizedWidth
                || cropY + preprocessing.inputHeight() > resizedHeight) {
            throw new IllegalArgumentException("crop " + preprocessing.inputWidth() + "x" + preprocessing.inputHeight()
                    + " at (" + cropX + ", " + cropY + ") does not fit the resized " + resizedWidth + "x"
                    + resizedHeight);
        }
        this.photoWidth = photoWidth;
        this.photoHeight = photoHeight;
        this.resizedWidth = resizedWidth;
        this.resizedHeight = resizedHeight;
        this.cropX = cropX;
        this.cropY = cropY;
    }

    /** The recipe. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public int photoWidth() {
        return photoWidth;
    }

    public int photoHeight() {
        return photoHeight;
    }

    /** The photo's width after the resize, before the crop. */
    public int resizedWidth() {
        return resizedWidth;
    }

    /** The photo's height after the resize, before the crop. */
    public int resizedHeight() {
        return resizedHeight;
    }

    /** The crop's left edge in the resized image. */
    public int cropX() {
        return cropX;
    }

    /** The crop's top edge in the resized image. */
    public int cropY() {
        return cropY;
    }

    public int inputWidth() {
        return preprocessing.inputWidth();
    }

    public int inputHeight() {
        return preprocessing.inputHeight();
    }

    /**
     * Whether the photo is used as it is: it is at the model's input size (see {@link Preprocessing}), so it is
     * neither resized nor cropped and the maps are the identity.
     */
    public boolean asIs() {
        return resizedWidth == photoWidth && resizedHeight == photoHeight && cropX == 0 && cropY == 0
                && inputWidth() == photoWidth && inputHeight() == photoHeight;
    }

    /** Whether the model sees less than the whole photo (a centre crop or a shorter-side resize cut something). */
    public boolean crops() {
        return inputWidth() < resizedWidth || inputHeight() < resizedHeight;
    }

    /** The crop box's left edge in photo pixels (continuous). */
    public double cropLeft() {
        return toPhotoX(0);
    }

    /** The crop box's top edge in photo pixels. */
    public double cropTop() {
        return toPhotoY(0);
    }

    /** The crop box's right edge in photo pixels (exclusive). */
    public double cropRight() {
        return toPhotoX(inputWidth());
    }

    /** The crop box's bottom edge in photo pixels (exclusive). */
    public double cropBottom() {
        return toPhotoY(inputHeight());
    }

    /** A model x coordinate (continuous) in photo pixels. */
    public double toPhotoX(double modelX) {
        return (modelX + cropX) * photoWidth / resizedWidth;
    }

    /** A model y coordinate (continuous) in photo pixels. */
    public double toPhotoY(double modelY) {
        return (modelY + cropY) * photoHeight / resizedHeight;
    }

    /** A photo x coordinate (continuous) in model pixels; outside {@code [0, inputWidth)} when the crop cut it. */
    public double toModelX(double photoX) {
        return photoX * resizedWidth / photoWidth - cropX;
    }

    /** A photo y coordinate (continuous) in model pixels; outside {@code [0, inputHeight)} when the crop cut it. */
    public double toModelY(double photoY) {
        return photoY * resizedHeight / photoHeight - cropY;
    }

    /**
     * The model's input made from {@code photo}: resized (antialiased) and cropped; {@code photo} itself when
     * {@link #asIs()}.
     *
     * @throws IllegalArgumentException when the photo is not of this geometry's size
     */
    public RgbImage apply(RgbImage photo) {
        if (photo.width() != photoWidth || photo.height() != photoHeight) {
            throw new IllegalArgumentException("this geometry is for a " + photoWidth + "x" + photoHeight
                    + " photo, got " + photo);
        }
        if (asIs()) {
            return photo;
        }
        return photo.resizeAntialiased(resizedWidth, resizedHeight).crop(cropX, cropY, inputWidth(), inputHeight());
    }

    /**
     * A model-sized map (row-major {@code inputHeight × inputWidth}, e.g. a mask) at the photo's resolution
     * (row-major {@code photoHeight × photoWidth}): a photo pixel whose centre falls inside the crop box takes the
     * map bilinearly interpolated at that centre (half-pixel centres, edges clamped: PyTorch's
     * {@code interpolate(align_corners=False)}); a pixel outside it, which the model never saw, is NaN. When
     * {@link #asIs()}, a copy of the map.
     *
     * @throws IllegalArgumentException when the map is not model-sized
     */
    public float[] toPhoto(float[] map) {
        int w = inputWidth();
        int h = inputHeight();
        if (map.length != w * h) {
            throw new IllegalArgumentException("map has " + map.length + " values; the model's input is " + w + "x" + h);
        }
        if (asIs()) {
            return map.clone();
        }
        Axis ax = Axis.of(photoWidth, resizedWidth, cropX, w);
        Axis ay = Axis.of(photoHeight, resizedHeight, cropY, h);
        float[] out = new float[photoWidth * photoHeight];
        for (int py = 0; py < photoHeight; py++) {
            int row = py * photoWidth;
            if (!ay.inside[py]) {
                java.util.Arrays.fill(out, row, row + photoWidth, Float.NaN);
                continue;
            }
            int y0 = ay.lo[py] * w;
            int y1 = ay.hi[py] * w;
            double dy = ay.frac[py];
            for (int px = 0; px < photoWidth; px++) {
                if (!ax.inside[px]) {
                    out[row + px] = Float.NaN;
                    continue;
                }
                double dx = ax.frac[px];
                double top = map[y0 + ax.lo[px]] * (1 - dx) + map[y0 + ax.hi[px]] * dx;
                double bottom = map[y1 + ax.lo[px]] * (1 - dx) + map[y1 + ax.hi[px]] * dx;
                out[row + px] = (float) (top * (1 - dy) + bottom * dy);
            }
        }
        return out;
    }

    /** Per photo pixel along one axis: inside the crop, and the two model pixels and weight to interpolate. */
    private record Axis(boolean[] inside, int[] lo, int[] hi, double[] frac) {
        static Axis of(int photo, int resized, int crop, int input) {
            boolean[] inside = new boolean[photo];
            int[] lo = new int[photo];
            int[] hi = new int[photo];
            double[] frac = new double[photo];
            for (int p = 0; p < photo; p++) {
                double u = (p + 0.5) * resized / photo - crop; // the pixel's centre in model coordinates
                inside[p] = u >= 0 && u < input;
                double f = Math.min(Math.max(u - 0.5, 0), input - 1);
                lo[p] = Math.min((int) f, input - 1);
                hi[p] = Math.min(lo[p] + 1, input - 1);
                frac[p] = f - lo[p];
            }
            return new Axis(inside, lo, hi, frac);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhotoGeometry g && g.preprocessing.equals(preprocessing) && g.photoWidth == photoWidth
                && g.photoHeight == photoHeight && g.resizedWidth == resizedWidth && g.resizedHeight == resizedHeight
                && g.cropX == cropX && g.cropY == cropY;
    }

    @Override
    public int hashCode() {
        return Objects.hash(preprocessing, photoWidth, photoHeight, resizedWidth, resizedHeight, cropX, cropY);
    }

    /** E.g. {@code 750x514 -> 373x256 -> crop 224x224 at (74, 16)}, or {@code 32x32 as is}. */
    @Override
    public String toString() {
        if (asIs()) {
            return photoWidth + "x" + photoHeight + " as is";
        }
        String s = photoWidth + "x" + photoHeight + " -> " + resizedWidth + "x" + resizedHeight;
        return crops() ? s + String.format(Locale.ROOT, " -> crop %dx%d at (%d, %d)", inputWidth(), inputHeight(),
                cropX, cropY) : s;
    }
}
