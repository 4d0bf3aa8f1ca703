package io.neuromask.viz;

import io.neuromask.base.PhotoGeometry;
import io.neuromask.base.RgbImage;
import io.neuromask.engine.Explanation;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The mask over the photo it explains, at the photo's own resolution: inside the crop box the mask
 * ({@link Explanation#photoMask()}) is blended over the photo as {@link Heatmaps#overlay} blends it (pytorch-grad-cam's
 * {@code show_cam_on_image}); outside it, where the model saw nothing, the photo shows alone, and the crop box is
 * outlined just outside its edge (white, {@link #outlineWidth} pixels), so the blended pixels stay exact.
 */
public final class PhotoOverlay {

    /** The crop outline's colour. */
    public static final int OUTLINE_RGB = 0xFFFFFF;

    private PhotoOverlay() {}

    /**
     * The overlay of {@code e}'s mask on {@code photo}. Without a {@link Explanation#photoGeometry()} the photo must be
     * the explained image's size, and the result is {@link Heatmaps#overlay} of the mask.
     *
     * @throws IllegalArgumentException when the photo's size is not the one the explanation was made from
     */
    public static BufferedImage of(Explanation e, RgbImage photo, Colormap colormap, double alpha) {
        checkPhoto(e, photo);
        BufferedImage img = Heatmaps.overlay(photo, e.photoMask(), colormap, alpha);
        e.photoGeometry().filter(PhotoGeometry::crops).ifPresent(g -> outline(img, g, 1.0));
        return img;
    }

    /** Checks that {@code photo} is the photo {@code e} was made from (its size). */
    static void checkPhoto(Explanation e, RgbImage photo) {
        int w = e.photoGeometry().map(PhotoGeometry::photoWidth).orElse(e.width());
        int h = e.photoGeometry().map(PhotoGeometry::photoHeight).orElse(e.height());
        if (photo.width() != w || photo.height() != h) {
            throw new IllegalArgumentException("the explanation was made from a " + w + "x" + h + " photo, got a "
                    + photo.width() + "x" + photo.height() + " one"
                    + (e.photoGeometry().isEmpty() ? "; give its geometry with Explanation.withPhotoGeometry" : ""));
        }
    }

    /** The outline's width for an image of this size: 1 pixel per 300 of the longer side, at least 1. */
    public static int outlineWidth(int width, int height) {
        return Math.max(1, (int) Math.round(Math.max(width, height) / 300.0));
    }

    /**
     * Draws the crop box of {@code g}, scaled by {@code scale} (image pixels per photo pixel), as a ring just outside
     * the box; the sides where the box touches the image's edge have no ring.
     */
    public static void outline(BufferedImage image, PhotoGeometry g, double scale) {
        // the first pixel whose centre is inside, and the first after the box: the pixels Explanation.photoMask() fills
        int x0 = edge(g.cropLeft() * scale);
        int y0 = edge(g.cropTop() * scale);
        int x1 = edge(g.cropRight() * scale);
        int y1 = edge(g.cropBottom() * scale);
        int t = outlineWidth(image.getWidth(), image.getHeight());
        Graphics2D gr = image.createGraphics();
        try {
            gr.setColor(new Color(OUTLINE_RGB));
            gr.fillRect(x0 - t, y0 - t, x1 - x0 + 2 * t, t); // top
            gr.fillRect(x0 - t, y1, x1 - x0 + 2 * t, t); // bottom
            gr.fillRect(x0 - t, y0, t, y1 - y0); // left
            gr.fillRect(x1, y0, t, y1 - y0); // right
        } finally {
            gr.dispose();
        }
    }

    private static int edge(double coordinate) {
        return (int) Math.ceil(coordinate - 0.5);
    }
}
