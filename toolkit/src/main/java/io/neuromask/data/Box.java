package io.neuromask.data;

/**
 * An axis-aligned box in pixels, {@code x0 y0 x1 y1}.
 */
public record Box(double x0, double y0, double x1, double y1) {

    public Box {
        if (!(x1 >= x0 && y1 >= y0)) {
            throw new IllegalArgumentException("box corners out of order: " + this);
        }
    }

    /** Parses {@code "x0 y0 x1 y1"}. */
    public static Box parse(String text) {
        String[] p = text.trim().split("\\s+");
        if (p.length != 4) {
            throw new IllegalArgumentException("a box needs 4 numbers 'x0 y0 x1 y1', got '" + text + "'");
        }
        return new Box(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                Double.parseDouble(p[3]));
    }

    /** This box with x scaled by {@code sx} and y by {@code sy}. */
    public Box scale(double sx, double sy) {
        return new Box(x0 * sx, y0 * sy, x1 * sx, y1 * sy);
    }
}
