package io.neuromask.base;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable RGB image with float pixels in [0, 1], stored channel-major (CHW).
 *
 * <p>This is the pixel space NeuroMask works in: masks multiply these values before the model's own
 * normalisation. Build one from a {@link BufferedImage} with {@link #of(BufferedImage)}, or from raw
 * floats with {@link #ofChw(float[], int, int, int)}; read files with {@code io.neuromask.io.ImageFiles}.
 *
 * <p>Conversions are explicit: {@link #of(BufferedImage)} converts grayscale by copying the gray
 * value into R, G and B, drops alpha (it does not composite), and scales 16-bit samples by 1/65535.
 */
public final class RgbImage {

    private final float[] chw;
    private final int height;
    private final int width;

    private RgbImage(float[] chw, int height, int width) {
        this.chw = chw;
        this.height = height;
        this.width = width;
    }

    /**
     * Wraps channel-major pixels.
     *
     * @param chw pixels, length {@code channels * height * width}, each in [0, 1]
     * @param channels must be 3
     * @throws IllegalArgumentException on a wrong channel count, a length mismatch, or a pixel that is
     *     NaN or outside [0, 1]
     */
    public static RgbImage ofChw(float[] chw, int channels, int height, int width) {
        if (channels != 3) {
            throw new IllegalArgumentException(
                    "an RGB image needs 3 channels, got " + channels
                            + "; convert grayscale or RGBA first (RgbImage.of(BufferedImage) does it)");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (chw.length != 3L * height * width) {
            throw new IllegalArgumentException(
                    "pixel array has " + chw.length + " values, expected 3*" + height + "*" + width);
        }
        for (int i = 0; i < chw.length; i++) {
            float v = chw[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(
                        "pixel " + i + " is " + v + "; RgbImage pixels must be in [0, 1] (divide 8-bit values by 255)");
            }
        }
        return new RgbImage(chw.clone(), height, width);
    }

    /**
     * Converts a {@link BufferedImage}: gray becomes R=G=B, alpha is dropped, 8-bit samples are divided by
     * 255 and 16-bit samples by 65535.
     */
    public static RgbImage of(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        var raster = image.getRaster();
        int bands = raster.getNumBands();
        int bits = image.getColorModel().getComponentSize(0);
        boolean gray = image.getColorModel().getColorSpace().getNumComponents() == 1;
        float[] out = new float[3 * h * w];
        int plane = h * w;
        if (bits == 16 && (gray || bands >= 3)) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    for (int c = 0; c < 3; c++) {
                        out[c * plane + i] = raster.getSample(x, y, gray ? 0 : c) / 65535f;
                    }
                }
            }
        } else {
            // getRGB goes through the colour model: palettes, gray and alpha handled by the JDK.
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = image.getRGB(x, y);
                    int i = y * w + x;
                    out[i] = ((argb >> 16) & 0xff) / 255f;
                    out[plane + i] = ((argb >> 8) & 0xff) / 255f;
                    out[2 * plane + i] = (argb & 0xff) / 255f;
                }
            }
        }
        return new RgbImage(out, h, w);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** A copy of the pixels, channel-major (R plane, G plane, B plane). */
    public float[] toChw() {
        return chw.clone();
    }

    /** The value of channel {@code c} (0 = R) at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return chw[(c * height + y) * width + x];
    }

    /** Bilinear resize (half-pixel centres, like PyTorch's align_corners=false); returns this if unchanged. */
    public RgbImage resize(int newWidth, int newHeight) {
        return resizeChannels(newWidth, newHeight, io.neuromask.base.Bilinear::resize);
    }

    /**
     * Antialiased resize (PIL's and torchvision's {@code antialias=True} bilinear filter): shrinking, each pixel is a
     * weighted mean of the pixels under it, so fine detail averages out instead of aliasing; enlarging, plain
     * bilinear interpolation as {@link #resize}. Returns this if unchanged. {@link Preprocessing} resizes photos with
     * it.
     */
    public RgbImage resizeAntialiased(int newWidth, int newHeight) {
        return resizeChannels(newWidth, newHeight, Resampling::resize);
    }

    /** Resizes one channel plane: (values, height, width, new height, new width) to the new plane. */
    @FunctionalInterface
    private interface ChannelResize {
        float[] apply(float[] plane, int height, int width, int newHeight, int newWidth);
    }

    /** Each channel resized by {@code op}, clamped to [0, 1]; this when the size is unchanged. */
    private RgbImage resizeChannels(int newWidth, int newHeight, ChannelResize op) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        if (newWidth <= 0 || newHeight <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + newWidth + "x" + newHeight);
        }
        float[] out = new float[3 * newHeight * newWidth];
        int plane = height * width;
        int newPlane = newHeight * newWidth;
        for (int c = 0; c < 3; c++) {
            float[] channel = java.util.Arrays.copyOfRange(chw, c * plane, (c + 1) * plane);
            float[] resized = op.apply(channel, height, width, newHeight, newWidth);
            for (int i = 0; i < newPlane; i++) {
                out[c * newPlane + i] = Math.min(1f, Math.max(0f, resized[i]));
            }
        }
        return new RgbImage(out, newHeight, newWidth);
    }

    /**
     * The {@code cropWidth}×{@code cropHeight} region whose top-left pixel is ({@code x}, {@code y}); returns this
     * when the region is the whole image.
     *
     * @throws IllegalArgumentException when the region is empty or leaves the image
     */
    public RgbImage crop(int x, int y, int cropWidth, int cropHeight) {
        if (x < 0 || y < 0 || cropWidth <= 0 || cropHeight <= 0 || x + cropWidth > width || y + cropHeight > height) {
            throw new IllegalArgumentException("crop " + cropWidth + "x" + cropHeight + " at (" + x + ", " + y
                    + ") does not fit a " + width + "x" + height + " image");
        }
        if (x == 0 && y == 0 && cropWidth == width && cropHeight == height) {
            return this;
        }
        float[] out = new float[3 * cropHeight * cropWidth];
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < cropHeight; r++) {
                System.arraycopy(chw, (c * height + y + r) * width + x, out, (c * cropHeight + r) * cropWidth,
                        cropWidth);
            }
        }
        return new RgbImage(out, cropHeight, cropWidth);
    }

    /** An 8-bit {@link BufferedImage#TYPE_INT_RGB} copy. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = Math.round(chw[i] * 255f);
                int g = Math.round(chw[plane + i] * 255f);
                int b = Math.round(chw[2 * plane + i] * 255f);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other
                && other.height == height
                && other.width == width
                && Arrays.equals(other.chw, chw);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(chw);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }

    /** {@code count} images of uniform noise in [0, 1), a pure function of the seed (for timing and tests). */
    public static List<RgbImage> uniformNoise(int count, int height, int width, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<RgbImage> images = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] chw = new float[3 * height * width];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = (float) random.nextDouble();
            }
            images.add(RgbImage.ofChw(chw, 3, height, width));
        }
        return images;
    }
}
