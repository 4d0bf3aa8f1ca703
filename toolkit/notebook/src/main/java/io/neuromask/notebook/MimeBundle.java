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
 * @param data MIME type to content; binary types (image/png) are base64
 */
record MimeBundle(Map<String, String> data) {

    /** Plain text, shown by every front end. */
    public static final String TEXT = "text/plain";
    /** An HTML fragment. */
    public static final String HTML = "text/html";
    /** A base64-encoded PNG. */
    public static final String PNG = "image/png";

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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PNG, Base64.getEncoder().encodeToString(bytes.toByteArray()));
        m.put(TEXT, "<image " + image.getWidth() + "x" + image.getHeight() + ">");
        return new MimeBundle(m);
    }

    /** The text/plain version. */
    public String plainText() {
        return data.get(TEXT);
    }
}
