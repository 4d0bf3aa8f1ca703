package io.neuromask.data;

/**
 * An axis-aligned box in continuous pixel coordinates: pixel (x, y) is the unit square
 * [x, x+1)×[y, y+1), with its centre at (x + ½, y + ½). A pixel belongs to the box when its centre
 * lies inside {@code [x0, x1]×[y0, y1]}; so the box {@code (0, 0, 2, 2)} holds exactly the 4 pixels
 * with x, y ∈ {0, 1}.
 */
public record Box(double x0, double y0, double x1, double y1) {

    public Box {
        if (!(Double.isFinite(x0) && Double.isFinite(y0) && Double.isFinite(x1) && Double.isFinite(y1))) {
            throw new IllegalArgumentException("box coordinates must be finite: " + x0 + ", " + y0 + ", " + x1 + ", " + y1);
        }
        if (x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("box (" + x0 + ", " + y0 + ", " + x1 + ", " + y1
                    + ") has x1 < x0 or y1 < y0; give the top-left corner first");
        }
    }

    /** Parses {@code "x0 y0 x1 y1"} (as in {@code annotations.csv}). */
    public static Box parse(String text) {
        String[] p = text.trim().split("\\s+");
        if (p.length != 4) {
            throw new IllegalArgumentException("a box needs 4 numbers 'x0 y0 x1 y1', got '" + text + "'");
        }
        return new Box(Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
                Double.parseDouble(p[3]));
    }

    /** The box scaled by {@code sx} horizontally and {@code sy} vertically (e.g. original to model pixels). */
    public Box scale(double sx, double sy) {
        return new Box(x0 * sx, y0 * sy, x1 * sx, y1 * sy);
    }

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double area() {
        return width() * height();
    }

    /** Intersection over union with another box (0 when both are empty). */
    public double iou(Box o) {
        double iw = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        double ih = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        double inter = iw > 0 && ih > 0 ? iw * ih : 0;
        double union = area() + o.area() - inter;
        return union > 0 ? inter / union : 0;
    }

    /** First pixel column whose centre is inside. */
    public int firstColumn() {
        return (int) Math.ceil(x0 - 0.5);
    }

    /** Last pixel column whose centre is inside (less than {@link #firstColumn()} when none is). */
    public int lastColumn() {
        return (int) Math.floor(x1 - 0.5);
    }

    public int firstRow() {
        return (int) Math.ceil(y0 - 0.5);
    }

    public int lastRow() {
        return (int) Math.floor(y1 - 0.5);
    }

    /** Whether pixel (x, y)'s centre lies inside. */
    public boolean containsPixel(int x, int y) {
        return x >= firstColumn() && x <= lastColumn() && y >= firstRow() && y <= lastRow();
    }

    /**
     * The Euclidean distance from pixel (x, y) to the nearest pixel of the box (0 inside); a box too
     * thin to hold a pixel counts as the pixel nearest its centre. This is TorchRay's rule: a point hits
     * when it lies in the box mask dilated by a disk of the tolerance radius.
     */
    public double pixelDistance(int x, int y) {
        int cx0 = firstColumn();
        int cx1 = lastColumn();
        int cy0 = firstRow();
        int cy1 = lastRow();
        if (cx0 > cx1) {
            cx0 = cx1 = (int) Math.floor((x0 + x1) / 2);
        }
        if (cy0 > cy1) {
            cy0 = cy1 = (int) Math.floor((y0 + y1) / 2);
        }
        int dx = Math.max(0, Math.max(cx0 - x, x - cx1));
        int dy = Math.max(0, Math.max(cy0 - y, y - cy1));
        return Math.sqrt((double) dx * dx + (double) dy * dy);
    }
}
