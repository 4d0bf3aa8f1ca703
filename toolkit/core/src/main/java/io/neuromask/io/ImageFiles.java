package io.neuromask.io;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files (PNG, JPEG, BMP, GIF: whatever ImageIO reads) into {@link RgbImage}s.
 *
 * <p>The format is recognised from the file's content, not its extension. The size is read from the
 * header first, and images above {@value #MAX_PIXELS} pixels are refused before any pixel memory is
 * allocated, so a corrupt or hostile header cannot exhaust memory. Decoding errors (truncated, bit-flipped
 * or zero-byte files, files that are no image) are {@link IOException}s naming the file. Formats without
 * checksums (JPEG) can decode damaged data without error; the image is then returned as decoded.
 */
public final class ImageFiles {

    /** The largest image accepted: 100 megapixels. */
    public static final long MAX_PIXELS = 100_000_000L;

    private ImageFiles() {}

    /**
     * Reads an image at its own size. Gray becomes R=G=B, alpha is dropped, 16-bit samples are scaled
     * (see {@link RgbImage#of}).
     *
     * @throws IOException naming the file when it is missing, empty, unreadable, too large, or not a
     *     decodable image
     */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file not found: " + file.toAbsolutePath());
        }
        if (Files.size(file) == 0) {
            throw new IOException("image file is empty (0 bytes): " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, file.toString());
        }
    }

    /**
     * Decodes an image held in memory (e.g. a row of Spark's {@code binaryFile} source), as {@link #read(Path)}
     * does a file.
     *
     * @param content the file's bytes
     * @param name the file's name or URI, for error messages
     * @throws IOException naming {@code name} when the bytes are empty, too large, or not a decodable image
     */
    public static RgbImage decode(byte[] content, String name) throws IOException {
        if (content == null || content.length == 0) {
            throw new IOException("image file is empty (0 bytes): " + name);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(content))) {
            return decode(in, name);
        }
    }

    private static RgbImage decode(ImageInputStream in, String file) throws IOException {
        try {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not a supported image file: " + file + " (use PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w * h > MAX_PIXELS) {
                    throw new IOException("image " + file + " declares " + w + "x" + h + " pixels; the limit is "
                            + MAX_PIXELS + " pixels (corrupt header, or resize the image first)");
                }
                BufferedImage img = reader.read(0);
                return RgbImage.of(img);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains(file)) {
                throw e;
            }
            throw new IOException("cannot decode image " + file + " (corrupt or truncated?): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("cannot decode image " + file + " (corrupt or truncated?): " + e, e);
        }
    }

    /** Reads an image and resizes it (bilinear, aspect ratio not kept) to the model's input size. */
    public static RgbImage read(Path file, Classifier model) throws IOException {
        return read(file).resize(model.inputWidth(), model.inputHeight());
    }
}
