package io.neuromask.viz;

import io.neuromask.base.RgbImage;
import java.awt.image.BufferedImage;

/** Renders masks and saliency maps as images. */
public final class Heatmaps {

    /** The overlay opacity used when none is given. */
    public static final double DEFAULT_ALPHA = 0.5;

    private Heatmaps() {}

    /**
     * Colours a row-major H×W map whose values lie in [0, 1].
     *
     * @throws IllegalArgumentException when the map does not have H×W values
     */
    public static BufferedImage render(float[] map, int height, int width, Colormap colormap) {
        checkSize(map, height, width);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, colormap.rgb(map[y * width + x]));
            }
        }
        return img;
    }

    /**
     * Colours a map like {@link #render(float[], int, int, Colormap)}, but NaN values (no value: e.g. outside the
     * crop of a mask mapped onto its photo) get {@code missingRgb} (0xRRGGBB) instead of the colour of 0.
     */
    public static BufferedImage render(float[] map, int height, int width, Colormap colormap, int missingRgb) {
        checkSize(map, height, width);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = map[y * width + x];
                img.setRGB(x, y, Float.isNaN(v) ? missingRgb : colormap.rgb(v));
            }
        }
        return img;
    }

    /**
     * Colours a map like {@link #render} but as an 8-bit palette image (256 colours of {@code colormap}): the same
     * pixels, about a third of the PNG size. Value {@code v} gets entry {@code min(255, floor(256 v))}
     * ({@code round(255 v)} for {@link Colormap#GRAY}).
     */
    public static BufferedImage renderIndexed(float[] map, int height, int width, Colormap colormap) {
        checkSize(map, height, width);
        byte[] r = new byte[Colormap.N];
        byte[] g = new byte[Colormap.N];
        byte[] b = new byte[Colormap.N];
        for (int i = 0; i < Colormap.N; i++) {
            int c = colormap.entry(i);
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        java.awt.image.IndexColorModel palette = new java.awt.image.IndexColorModel(8, Colormap.N, r, g, b);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette);
        byte[] pixels = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < map.length; i++) {
            pixels[i] = (byte) paletteIndex(map[i], colormap);
        }
        return img;
    }

    private static int paletteIndex(float value, Colormap colormap) {
        double v = Float.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
        return colormap == Colormap.GRAY ? (int) Math.round(255 * v) : Math.min(Colormap.N - 1, (int) (v * Colormap.N));
    }

    /**
     * Blends a coloured map over an image: {@code (1 - alpha) * image + alpha * colormap(map)}, pytorch-grad-cam's
     * {@code show_cam_on_image} (jet, alpha 0.5 by default). Where the map is NaN (no value, as matplotlib's "bad"
     * colour, transparent) the image shows alone.
     *
     * @param alpha opacity of the map in [0, 1]
     */
    public static BufferedImage overlay(RgbImage image, float[] map, Colormap colormap, double alpha) {
        int h = image.height();
        int w = image.width();
        checkSize(map, h, w);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = map[y * w + x];
                if (Float.isNaN(v)) {
                    int r = Math.round(image.get(0, y, x) * 255);
                    int g = Math.round(image.get(1, y, x) * 255);
                    int b = Math.round(image.get(2, y, x) * 255);
                    img.setRGB(x, y, (r << 16) | (g << 8) | b);
                    continue;
                }
                int c = colormap.rgb(v);
                int r = blend(image.get(0, y, x), (c >> 16) & 0xff, alpha);
                int g = blend(image.get(1, y, x), (c >> 8) & 0xff, alpha);
                int b = blend(image.get(2, y, x), c & 0xff, alpha);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Rescales a map linearly to [0, 1] (a constant map becomes all zeros); returns a new array. */
    public static float[] normalise(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        float range = max - min;
        if (range > 0 && Float.isFinite(range)) {
            for (int i = 0; i < map.length; i++) {
                out[i] = (map[i] - min) / range;
            }
        }
        return out;
    }

    private static int blend(float pixel, int colour, double alpha) {
        return (int) Math.round((1 - alpha) * pixel * 255 + alpha * colour);
    }

    private static void checkSize(float[] map, int height, int width) {
        if (map.length != height * width) {
            throw new IllegalArgumentException(
                    "map has " + map.length + " values but the image is " + width + "x" + height);
        }
    }
}
