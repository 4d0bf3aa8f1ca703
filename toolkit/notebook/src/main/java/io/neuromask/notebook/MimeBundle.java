package io.neuromask.notebook;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * One display's content in several MIME types, as Jupyter's {@code display_data} carries it: the
 * front end picks the richest it can show. {@code text/plain} is always present.
 *
 * @param data MIME type to content; binary types (image/png, image/jpeg) are base64
 */
record MimeBundle(Map<String, String> data) {

    /** Plain text, shown by every front end. */
    public static final String TEXT = "text/plain";
    /** An HTML fragment. */
    public static final String HTML = "text/html";
    /** A base64-encoded PNG. */
    public static final String PNG = "image/png";
    /** A base64-encoded JPEG. */
    public static final String JPEG = "image/jpeg";
    /**
     * The largest PNG (in bytes, before base64) that {@link #picture} sends as PNG: masks, charts and small
     * figures encode well below it; a grid of photos does not, and a notebook saved with outputs would carry
     * megabytes of it (notebook 02's grid of validation images: 4.3 MB as PNG).
     */
    static final int PNG_LIMIT = 256 * 1024;
    /** The JPEG quality {@link #picture} uses: no visible loss on photos, masks or text at figure size. */
    static final float JPEG_QUALITY = 0.85f;

    public MimeBundle {
        if (!data.containsKey(TEXT)) {
            throw new IllegalArgumentException("a MIME bundle needs a text/plain entry");
        }
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** Plain text only. */
    public static MimeBundle text(String text) {
        return new MimeBundle(Map.of(TEXT, text));
    }

    /** HTML, with {@code fallback} as the text/plain version. */
    public static MimeBundle html(String html, String fallback) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HTML, html);
        m.put(TEXT, fallback);
        return new MimeBundle(m);
    }

    /** A PNG encoding of the image, with a text/plain description. */
    public static MimeBundle png(BufferedImage image) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PNG, Base64.getEncoder().encodeToString(pngBytes(image)));
        m.put(TEXT, "<image " + image.getWidth() + "x" + image.getHeight() + ">");
        return new MimeBundle(m);
    }

    /**
     * The image as PNG (lossless) when that encodes to at most {@link #PNG_LIMIT} bytes, else as JPEG at quality
     * {@link #JPEG_QUALITY} when that is smaller: a figure of photographs stays a few hundred KB in a saved
     * notebook. Every Jupyter front end, nbconvert and GitHub's notebook view show both types. The text/plain
     * description names the size, and the format when it is JPEG.
     */
    public static MimeBundle picture(BufferedImage image) {
        byte[] png = pngBytes(image);
        if (png.length > PNG_LIMIT) {
            byte[] jpeg = jpegBytes(image);
            if (jpeg.length < png.length) {
                Map<String, String> m = new LinkedHashMap<>();
                m.put(JPEG, Base64.getEncoder().encodeToString(jpeg));
                m.put(TEXT, "<image " + image.getWidth() + "x" + image.getHeight() + ", JPEG>");
                return new MimeBundle(m);
            }
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PNG, Base64.getEncoder().encodeToString(png));
        m.put(TEXT, "<image " + image.getWidth() + "x" + image.getHeight() + ">");
        return new MimeBundle(m);
    }

    /** The first image type of the bundle, {@link #PNG} or {@link #JPEG}, or null when it has none. */
    public String imageType() {
        return data.containsKey(PNG) ? PNG : data.containsKey(JPEG) ? JPEG : null;
    }

    private static byte[] pngBytes(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] jpegBytes(BufferedImage image) {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB) { // JPEG has no alpha: flatten onto white
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = rgb.createGraphics();
            try {
                g.setColor(java.awt.Color.WHITE);
                g.fillRect(0, 0, image.getWidth(), image.getHeight());
                g.drawImage(image, 0, 0, null);
            } finally {
                g.dispose();
            }
        }
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The text/plain version. */
    public String plainText() {
        return data.get(TEXT);
    }
}
