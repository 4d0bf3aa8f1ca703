package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import io.neuromask.data.Box;
import java.awt.AlphaComposite;
import io.neuromask.base.Attribution;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A titled grid of image panels, rendered to one {@link BufferedImage}.
 *
 * <p>Every panel is upscaled by an integer factor with nearest-neighbour sampling, so that small images
 * (CIFAR's 32×32) keep visible, sharp pixels: the factor is {@code max(1, cellSize / max(w, h))}.
 * Boxes given in the panel's own pixel coordinates are scaled with it and drawn on top.
 *
 * <pre>{@code
 * BufferedImage figure = FigureGrid.paper(explanations).toImage(); // rows: image | overlay | mask
 * }</pre>
 *
 * <p>Instances are immutable; build them with {@link #builder()}.
 */
public final class FigureGrid {

    /** Outline colour of ground-truth boxes: pure green, which stands out on jet and viridis. */
    public static final int BOX_RGB = 0x00FF00;

    /** Default size of the longer side of a panel, in screen pixels. */
    public static final int DEFAULT_CELL_SIZE = 128;

    static final int MARGIN = 8;
    static final int TITLE_HEIGHT = 26;
    static final int HEADER_HEIGHT = 18;
    static final int LABEL_WIDTH = 110;
    static final int BOX_STROKE = 2;

    private final String title;
    private final List<String> columns;
    private final List<Row> rows;
    private final int cellSize;

    private record Panel(BufferedImage image, List<Box> boxes) {}

    private record Row(String label, List<Panel> panels) {}

    private FigureGrid(Builder b) {
        this.title = b.title;
        this.columns = List.copyOf(b.columns);
        this.rows = List.copyOf(b.rows);
        this.cellSize = b.cellSize;
    }

    /** Starts an empty grid. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The paper's figure: one row per explanation, columns image | overlay | mask, with the jet colormap
     * and an overlay opacity of {@link Heatmaps#DEFAULT_ALPHA}.
     */
    public static FigureGrid paper(List<Explanation> explanations) {
        return paper(explanations, Colormap.JET, Heatmaps.DEFAULT_ALPHA);
    }

    /** {@link #paper(List)} for one explanation. */
    public static FigureGrid paper(Explanation explanation) {
        return paper(List.of(explanation));
    }

    /** The paper's row layout image | overlay | mask with a chosen colormap and overlay opacity. */
    public static FigureGrid paper(List<Explanation> explanations, Colormap colormap, double alpha) {
        return paperBuilder(explanations, colormap, alpha).build();
    }

    /**
     * A builder holding the paper's rows, to add a title or ground-truth boxes before building: row
     * {@code i} is {@code explanations.get(i)}, columns 0 (image), 1 (overlay), 2 (mask).
     */
    public static Builder paperBuilder(List<Explanation> explanations, Colormap colormap, double alpha) {
        Builder b = builder().columns("image", "overlay", "mask");
        for (Explanation e : explanations) {
            b.row(String.format(java.util.Locale.ROOT, "%s %.2f", e.targetLabel(), e.probabilityOriginal()),
                    e.image().toBufferedImage(),
                    Heatmaps.overlay(e.image(), e.mask(), colormap, alpha),
                    Heatmaps.render(e.mask(), e.height(), e.width(), colormap));
        }
        return b;
    }

    /**
     * Nearest-neighbour upscaling by an integer factor: each source pixel becomes a factor×factor block (one
     * {@code drawImage} with nearest-neighbour interpolation). The result is opaque RGB: alpha is dropped, not
     * blended.
     */
    public static BufferedImage upscale(BufferedImage image, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1, got " + factor);
        }
        int w = image.getWidth() * factor;
        int h = image.getHeight() * factor;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_SPEED);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setComposite(AlphaComposite.Src); // copy colours, ignore alpha: no blending with the black canvas
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The integer upscaling factor used for a panel of this size. */
    public int scaleFor(BufferedImage panel) {
        return Math.max(1, cellSize / Math.max(panel.getWidth(), panel.getHeight()));
    }

    /** Number of rows. */
    public int rowCount() {
        return rows.size();
    }

    /** Number of columns: the most panels in any row, or the number of column titles if larger. */
    public int columnCount() {
        int n = columns.size();
        for (Row r : rows) {
            n = Math.max(n, r.panels().size());
        }
        return n;
    }

    /** Where the panel at ({@code row}, {@code column}) is drawn in {@link #toImage()}, in its pixels. */
    public Rectangle cellBounds(int row, int column) {
        Objects.checkIndex(row, rows.size());
        Objects.checkIndex(column, columnCount());
        int x = MARGIN + labelWidth();
        for (int c = 0; c < column; c++) {
            x += columnWidth(c) + MARGIN;
        }
        int y = top();
        for (int r = 0; r < row; r++) {
            y += rowHeight(r) + MARGIN;
        }
        List<Panel> panels = rows.get(row).panels();
        if (column >= panels.size()) {
            return new Rectangle(x, y, 0, 0);
        }
        BufferedImage img = panels.get(column).image();
        int s = scaleFor(img);
        return new Rectangle(x, y, img.getWidth() * s, img.getHeight() * s);
    }

    /** Renders the grid on a white background. */
    public BufferedImage toImage() {
        int cols = columnCount();
        int width = MARGIN + labelWidth();
        for (int c = 0; c < cols; c++) {
            width += columnWidth(c) + MARGIN;
        }
        int height = top();
        for (int r = 0; r < rows.size(); r++) {
            height += rowHeight(r) + MARGIN;
        }
        width = Math.max(width, 2 * MARGIN + 1);
        height = Math.max(height, 2 * MARGIN + 1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            if (title != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
                g.drawString(title, MARGIN, MARGIN + 16);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int c = 0; c < columns.size(); c++) {
                int x = MARGIN + labelWidth();
                for (int k = 0; k < c; k++) {
                    x += columnWidth(k) + MARGIN;
                }
                String t = columns.get(c);
                g.drawString(t, x + Math.max(0, (columnWidth(c) - fm.stringWidth(t)) / 2),
                        top() - 5);
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                for (int c = 0; c < row.panels().size(); c++) {
                    Panel p = row.panels().get(c);
                    Rectangle cell = cellBounds(r, c);
                    int s = scaleFor(p.image());
                    g.drawImage(upscale(p.image(), s), cell.x, cell.y, null);
                    g.setStroke(new BasicStroke(BOX_STROKE));
                    g.setColor(new Color(BOX_RGB));
                    for (Box box : p.boxes()) {
                        int x0 = (int) Math.round(box.x0() * s);
                        int y0 = (int) Math.round(box.y0() * s);
                        int w = Math.max(1, (int) Math.round(box.x1() * s) - x0);
                        int h = Math.max(1, (int) Math.round(box.y1() * s) - y0);
                        g.drawRect(cell.x + x0, cell.y + y0, w - 1, h - 1);
                    }
                }
                if (row.label() != null) {
                    g.setColor(Color.BLACK);
                    Rectangle first = cellBounds(r, 0);
                    g.drawString(clip(row.label(), fm, LABEL_WIDTH - 4), MARGIN,
                            first.y + rowHeight(r) / 2 + fm.getAscent() / 2);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static String clip(String s, FontMetrics fm, int width) {
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t) > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t.equals(s) ? s : t + "…";
    }

    private int top() {
        return MARGIN + (title != null ? TITLE_HEIGHT : 0) + (columns.isEmpty() ? 0 : HEADER_HEIGHT);
    }

    private int labelWidth() {
        for (Row r : rows) {
            if (r.label() != null) {
                return LABEL_WIDTH;
            }
        }
        return 0;
    }

    private int columnWidth(int c) {
        int w = 0;
        for (Row r : rows) {
            if (c < r.panels().size()) {
                BufferedImage img = r.panels().get(c).image();
                w = Math.max(w, img.getWidth() * scaleFor(img));
            }
        }
        return w == 0 ? cellSize : w;
    }

    private int rowHeight(int r) {
        int h = 0;
        for (Panel p : rows.get(r).panels()) {
            h = Math.max(h, p.image().getHeight() * scaleFor(p.image()));
        }
        return h == 0 ? cellSize : h;
    }

    /**
     * Methods side by side in one call: one row per image (the image, then each method's map min-max normalised
     * over it, jet, alpha 0.6), one column per method, titled with the method's name. Runs the methods.
     *
     * @param rowLabels one per image
     */
    public static FigureGrid compare(String title, List<? extends Attribution> methods, List<RgbImage> images,
            List<Target> targets, List<String> rowLabels, int cellSize) {
        if (rowLabels.size() != images.size()) {
            throw new IllegalArgumentException("got " + images.size() + " images and " + rowLabels.size()
                    + " row labels; give one label per image");
        }
        List<List<SaliencyMap>> maps = new ArrayList<>();
        for (Attribution m : methods) {
            maps.add(m.attribute(images, targets));
        }
        Builder fig = builder().title(title).cellSize(cellSize);
        String[] cols = new String[methods.size() + 1];
        cols[0] = "image";
        for (int j = 0; j < methods.size(); j++) {
            cols[j + 1] = methods.get(j).name();
        }
        fig.columns(cols);
        for (int i = 0; i < images.size(); i++) {
            BufferedImage[] panels = new BufferedImage[methods.size() + 1];
            panels[0] = images.get(i).toBufferedImage();
            for (int j = 0; j < methods.size(); j++) {
                panels[j + 1] = Heatmaps.overlay(images.get(i), maps.get(j).get(i).normalized().values(), Colormap.JET, 0.6);
            }
            fig.row(rowLabels.get(i), panels);
        }
        return fig.build();
    }

    /** Builds a {@link FigureGrid}. */
    public static final class Builder {
        private String title;
        private final List<String> columns = new ArrayList<>();
        private final List<Row> rows = new ArrayList<>();
        private int cellSize = DEFAULT_CELL_SIZE;

        private Builder() {}

        /** A title above the grid. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** Column titles, drawn above the first row. */
        public Builder columns(String... titles) {
            columns.clear();
            columns.addAll(List.of(titles));
            return this;
        }

        /** Target size of a panel's longer side (default {@value FigureGrid#DEFAULT_CELL_SIZE}). */
        public Builder cellSize(int pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("cellSize must be positive, got " + pixels);
            }
            this.cellSize = pixels;
            return this;
        }

        /** Adds a row of panels; {@code label} (may be null) is drawn left of it. */
        public Builder row(String label, BufferedImage... panels) {
            List<Panel> ps = new ArrayList<>();
            for (BufferedImage p : panels) {
                ps.add(new Panel(Objects.requireNonNull(p, "panel"), new ArrayList<>()));
            }
            rows.add(new Row(label, ps));
            return this;
        }

        /**
         * Draws {@code box} (corners {@code x0 y0 x1 y1} in the panel's own pixel coordinates, the
         * same boxes the data readers give) in green on the panel at ({@code row}, {@code column}); use it
         * for ground-truth boxes.
         */
        public Builder box(int row, int column, Box box) {
            Objects.checkIndex(row, rows.size());
            List<Panel> ps = rows.get(row).panels();
            Objects.checkIndex(column, ps.size());
            ps.get(column).boxes().add(Objects.requireNonNull(box, "box"));
            return this;
        }

        /** Draws {@code box} on every panel of {@code row}. */
        public Builder boxOnRow(int row, Box box) {
            Objects.checkIndex(row, rows.size());
            for (int c = 0; c < rows.get(row).panels().size(); c++) {
                box(row, c, box);
            }
            return this;
        }

        public FigureGrid build() {
            List<Row> frozen = new ArrayList<>();
            for (Row r : rows) {
                List<Panel> ps = new ArrayList<>();
                for (Panel p : r.panels()) {
                    ps.add(new Panel(p.image(), List.copyOf(p.boxes())));
                }
                frozen.add(new Row(r.label(), List.copyOf(ps)));
            }
            Builder copy = new Builder();
            copy.title = title;
            copy.columns.addAll(columns);
            copy.rows.addAll(frozen);
            copy.cellSize = cellSize;
            return new FigureGrid(copy);
        }
    }
}
