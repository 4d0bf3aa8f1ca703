package io.neuromask.io;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * PNG files with text: the image plus keyword/value pairs ({@code Title}, {@code Description}, ... the PNG standard's
 * keywords) in UTF-8 {@code iTXt} chunks, which image viewers and {@code PIL.Image.open(f).text} show.
 */
public final class Png {

    private static final String FORMAT = "javax_imageio_png_1.0";

    private Png() {}

    /** Writes {@code image} as a PNG with {@code text} (keywords of 1 to 79 Latin-1 characters). */
    public static void write(RenderedImage image, Map<String, String> text, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer in this JVM");
        }
        ImageWriter writer = writers.next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    param);
            if (!text.isEmpty()) {
                IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
                for (Map.Entry<String, String> e : text.entrySet()) {
                    IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                    entry.setAttribute("keyword", e.getKey());
                    entry.setAttribute("compressionFlag", "FALSE");
                    entry.setAttribute("compressionMethod", "0");
                    entry.setAttribute("languageTag", "");
                    entry.setAttribute("translatedKeyword", "");
                    entry.setAttribute("text", e.getValue());
                    itxt.appendChild(entry);
                }
                IIOMetadataNode root = new IIOMetadataNode(FORMAT);
                root.appendChild(itxt);
                metadata.mergeTree(FORMAT, root);
            }
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
        } finally {
            writer.dispose();
        }
    }

    /** The text of a PNG (its {@code tEXt} and {@code iTXt} chunks), in file order; empty when it has none. */
    public static Map<String, String> text(InputStream in) throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new IOException("not an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, false);
                Node root = reader.getImageMetadata(0).getAsTree(FORMAT);
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    boolean itxt = chunk.getNodeName().equals("iTXt");
                    if (!itxt && !chunk.getNodeName().equals("tEXt")) {
                        continue;
                    }
                    for (Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
                        var a = e.getAttributes();
                        text.put(a.getNamedItem("keyword").getNodeValue(),
                                a.getNamedItem(itxt ? "text" : "value").getNodeValue());
                    }
                }
            } finally {
                reader.dispose();
            }
        }
        return text;
    }
}
