package io.neuromask.viz;

import io.neuromask.base.PhotoGeometry;
import io.neuromask.base.RgbImage;
import io.neuromask.engine.Explanation;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One explanation as a figure panel, as Captum's {@code visualize_image_attr_multiple} lays one out: the image, the
 * mask with a colour bar, and the mask over the image, side by side under a title naming the class and its probability
 * before and after masking ({@code "horse (class 7): p = 0.998 before masking, 0.874 after"}) and a line with the
 * objective, the mask's mean and the preprocessing.
 *
 * <p>Given the photo the explanation was made from (with {@link Explanation#withPhotoGeometry}), the panels show the
 * photo at its own aspect ratio: the mask mapped back onto it ({@link Explanation#photoMask()}; light grey,
 * {@link #OUTSIDE_RGB}, where the crop cut the photo and the model saw nothing) and the {@link PhotoOverlay} with the
 * crop box outlined. Panels are scaled to {@code panelSize} pixels on their longer side: small images (CIFAR's 32²) by
 * an integer factor, nearest neighbour, so pixels stay sharp; large photos down, antialiased, so a 24-megapixel photo
 * gives a figure of about 1250×500 pixels.
 *
 * <pre>{@code
 * ExplanationFigure.of(e, photo).toImage();     // or Show.explanation(e, photo) in a notebook
 * }</pre>
 */
public final class ExplanationFigure {

    /** The longer side of a panel, in figure pixels, unless told otherwise. */
    public static final int DEFAULT_PANEL_SIZE = 384;

    /** The mask panel's colour where the photo lies outside the crop. */
    public static final int OUTSIDE_RGB = 0xD9D9D9;

    static final int MARGIN = 10;
    static final int TITLE_HEIGHT = 24;
    static final int SUBTITLE_HEIGHT = 18;
    static final int HEADER_HEIGHT = 18;
    static final int BAR_GAP = 6;
    static final int BAR_WIDTH = 14;
    static final int BAR_LABELS = 34;

    private final String title;
    private final String subtitle;
    private final String[] headers;
    private final BufferedImage image;
    private final BufferedImage mask;
    private final BufferedImage overlay;
    private final Colormap colormap;

    private ExplanationFigure(String title, String subtitle, String[] headers, BufferedImage image,
            BufferedImage mask, BufferedImage overlay, Colormap colormap) {
        this.title = title;
        this.subtitle = subtitle;
        this.headers = headers;
        this.image = image;
        this.mask = mask;
        this.overlay = overlay;
        this.colormap = colormap;
    }

    /** The panel of the explained image itself (the model's input), jet, overlay opacity 0.5. */
    public static ExplanationFigure of(Explanation e) {
        return of(e, null);
    }

    /**
     * The panel on the photo {@code e} was made from (null: the explained image), jet, overlay opacity
     * {@link Heatmaps#DEFAULT_ALPHA}, panels of {@value #DEFAULT_PANEL_SIZE} pixels.
     *
     * @throws IllegalArgumentException when the photo is not the size the explanation was made from
     */
    public static ExplanationFigure of(Explanation e, RgbImage photo) {
        return of(e, photo, Colormap.JET, Heatmaps.DEFAULT_ALPHA, DEFAULT_PANEL_SIZE);
    }

    /**
     * The panel with a chosen colormap, overlay opacity and panel size.
     *
     * @param photo the photo {@code e} was made from, or null for the explained image
     * @param panelSize the longer side of each panel in figure pixels, at least 16
     */
    public static ExplanationFigure of(Explanation e, RgbImage photo, Colormap colormap, double alpha,
            int panelSize) {
        if (panelSize < 16) {
            throw new IllegalArgumentException("panelSize must be at least 16 pixels, got " + panelSize);
        }
        RgbImage source = photo == null ? e.image() : photo;
        PhotoGeometry geometry = photo == null ? null : e.photoGeometry().orElse(null);
        if (photo != null) {
            PhotoOverlay.checkPhoto(e, photo);
        }
        float[] map = geometry == null ? e.mask() : e.photoMask();
        int w = source.width();
        int h = source.height();
        BufferedImage overlay = Heatmaps.overlay(source, map, colormap, alpha);
        BufferedImage maskImage = Heatmaps.render(map, h, w, colormap, OUTSIDE_RGB);
        double fit = (double) panelSize / Math.max(w, h);
        double scale;
        BufferedImage[] panels = {source.toBufferedImage(), maskImage, overlay};
        if (fit >= 1) {
            int factor = (int) Math.floor(fit);
            for (int i = 0; i < panels.length; i++) {
                panels[i] = FigureGrid.upscale(panels[i], factor);
            }
            scale = factor;
        } else {
            int dw = Math.max(1, (int) Math.round(w * fit));
            int dh = Math.max(1, (int) Math.round(h * fit));
            for (int i = 0; i < panels.length; i++) {
                panels[i] = RgbImage.of(panels[i]).resizeAntialiased(dw, dh).toBufferedImage();
            }
            scale = (double) dw / w;
        }
        if (geometry != null && geometry.crops()) {
            PhotoOverlay.outline(panels[2], geometry, scale);
        }
        String title = String.format(Locale.ROOT, "%s (class %d): p = %.3f before masking, %.3f after",
                e.targetLabel(), e.target(), e.probabilityOriginal(), e.probabilityMasked());
        StringBuilder sub = new StringBuilder(String.format(Locale.ROOT, "%s, mask mean %.3f", e.objective().name(),
                e.maskMean()));
        if (e.predictedMasked() != e.target()) {
            sub.append(String.format(Locale.ROOT, ", masked image predicted as class %d", e.predictedMasked()));
        }
        if (geometry != null) {
            sub.append("; ").append(geometry.preprocessing().resize().cliName());
            sub.append(geometry.asIs() ? " (photo at the model's size, used as it is)" : ": " + geometry);
            if (geometry.crops()) {
                sub.append(", grey: outside the crop");
            }
        }
        String[] headers = {"image " + w + "x" + h, "mask (1 = kept)", "overlay"};
        return new ExplanationFigure(title, sub.toString(), headers, panels[0], panels[1], panels[2], colormap);
    }

    /** The title: the class, its index and its probability before and after masking. */
    public String title() {
        return title;
    }

    /** The line below the title: objective, mask mean, the masked prediction when it changed, the preprocessing. */
    public String subtitle() {
        return subtitle;
    }

    /** The title and subtitle as PNG text ({@code Title}, {@code Description}), for {@code io.neuromask.io.Png}. */
    public Map<String, String> pngText() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Title", title);
        text.put("Description", subtitle);
        text.put("Software", "NeuroMask for Java");
        return text;
    }

    /** Where the image panel is drawn in {@link #toImage()}. */
    public Rectangle imageBounds() {
        return new Rectangle(MARGIN, top(), image.getWidth(), image.getHeight());
    }

    /** Where the mask panel is drawn. */
    public Rectangle maskBounds() {
        return new Rectangle(MARGIN + image.getWidth() + MARGIN, top(), mask.getWidth(), mask.getHeight());
    }

    /** Where the colour bar is drawn: value 1 at the top, 0 at the bottom. */
    public Rectangle colorbarBounds() {
        Rectangle m = maskBounds();
        return new Rectangle(m.x + m.width + BAR_GAP, top(), BAR_WIDTH, mask.getHeight());
    }

    /** Where the overlay panel is drawn. */
    public Rectangle overlayBounds() {
        Rectangle bar = colorbarBounds();
        return new Rectangle(bar.x + BAR_WIDTH + BAR_LABELS + MARGIN, top(), overlay.getWidth(), overlay.getHeight());
    }

    /** The figure's width in pixels. */
    public int width() {
        Rectangle o = overlayBounds();
        return o.x + o.width + MARGIN;
    }

    /** The figure's height in pixels. */
    public int height() {
        return top() + image.getHeight() + MARGIN;
    }

    private static int top() {
        return MARGIN + TITLE_HEIGHT + SUBTITLE_HEIGHT + HEADER_HEIGHT;
    }

    /** Renders the panel on a white background. */
    public BufferedImage toImage() {
        BufferedImage out = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            int textWidth = out.getWidth() - 2 * MARGIN;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(clip(title, g.getFontMetrics(), textWidth), MARGIN, MARGIN + 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(clip(subtitle, fm, textWidth), MARGIN, MARGIN + TITLE_HEIGHT + 13);
            Rectangle[] cells = {imageBounds(), maskBounds(), overlayBounds()};
            BufferedImage[] panels = {image, mask, overlay};
            for (int i = 0; i < cells.length; i++) {
                String t = clip(headers[i], fm, cells[i].width);
                g.drawString(t, cells[i].x + Math.max(0, (cells[i].width - fm.stringWidth(t)) / 2), top() - 5);
                g.drawImage(panels[i], cells[i].x, cells[i].y, null);
            }
            drawColorbar(g, fm);
        } finally {
            g.dispose();
        }
        return out;
    }

    private void drawColorbar(Graphics2D g, FontMetrics fm) {
        Rectangle bar = colorbarBounds();
        for (int y = 0; y < bar.height; y++) {
            double v = bar.height == 1 ? 1 : 1 - (double) y / (bar.height - 1);
            g.setColor(new Color(colormap.rgb(v)));
            g.drawLine(bar.x, bar.y + y, bar.x + bar.width - 1, bar.y + y);
        }
        g.setColor(Color.BLACK);
        g.drawRect(bar.x - 1, bar.y - 1, bar.width + 1, bar.height + 1);
        double[] ticks = {0, 0.5, 1};
        String[] labels = {"0", "0.5", "1"};
        for (int i = 0; i < ticks.length; i++) {
            int y = bar.y + (int) Math.round((1 - ticks[i]) * (bar.height - 1));
            g.drawLine(bar.x + bar.width, y, bar.x + bar.width + 3, y);
            int baseline = Math.min(bar.y + bar.height, Math.max(bar.y + fm.getAscent(), y + fm.getAscent() / 2));
            g.drawString(labels[i], bar.x + bar.width + 5, baseline);
        }
    }

    private static String clip(String s, FontMetrics fm, int width) {
        String t = s;
        while (t.length() > 1 && fm.stringWidth(t) > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t.equals(s) ? s : t + "…";
    }

    @Override
    public String toString() {
        return "ExplanationFigure[" + width() + "x" + height() + ", " + title + "]";
    }
}
