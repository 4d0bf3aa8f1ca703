package io.neuromask.viz;

/**
 * A rectangle in the pixel coordinates of an un-scaled panel image, such as a ground-truth bounding box.
 *
 * @param x left column
 * @param y top row
 * @param width width in pixels (positive)
 * @param height height in pixels (positive)
 * @param rgb outline colour as 0xRRGGBB
 */
public record Box(int x, int y, int width, int height, int rgb) {

    /** The default outline colour: pure green, which stands out on jet and viridis. */
    public static final int DEFAULT_RGB = 0x00FF00;

    public Box {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("box size must be positive, got " + width + "x" + height);
        }
    }

    /** A box with the default green outline. */
    public static Box of(int x, int y, int width, int height) {
        return new Box(x, y, width, height, DEFAULT_RGB);
    }
}
