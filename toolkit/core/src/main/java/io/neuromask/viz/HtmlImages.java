package io.neuromask.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/**
 * Building blocks of the self-contained HTML outputs (sweep explorer, evolution player): images as
 * {@code data:} URIs, text escaping and element ids unique per output, so that two outputs in one notebook do not
 * interfere. Nothing here refers to an external URL.
 */
public final class HtmlImages {

    private static final SecureRandom RANDOM = new SecureRandom();

    private HtmlImages() {}

    /** The image as a {@code data:image/png;base64,...} URI (palette images stay palette PNGs). */
    public static String pngDataUri(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** Escapes {@code & < > " '} for HTML text and attribute values. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A fresh element id {@code prefix-<16 hex digits>}, distinct for every output. */
    public static String newId(String prefix) {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }
}
