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
     * Blends a coloured map over an image: {@code (1 - alpha) * image + alpha * colormap(map)}.
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
                int c = colormap.rgb(map[y * w + x]);
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
