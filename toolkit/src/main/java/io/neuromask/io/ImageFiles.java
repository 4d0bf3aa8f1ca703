package io.neuromask.io;

import io.neuromask.RgbImage;
import io.neuromask.model.Classifier;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reads image files (PNG, JPEG, BMP, GIF: whatever ImageIO reads) into {@link RgbImage}s. */
public final class ImageFiles {

    private ImageFiles() {}

    /**
     * Reads an image at its own size. Gray becomes R=G=B, alpha is dropped, 16-bit samples are scaled
     * (see {@link RgbImage#of}).
     *
     * @throws IOException naming the file when it is missing, unreadable, or not a decodable image
     */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file not found: " + file.toAbsolutePath());
        }
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode image " + file + " (corrupt or truncated?): " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("not a supported image file: " + file + " (use PNG, JPEG, BMP or GIF)");
        }
        return RgbImage.of(img);
    }

    /** Reads an image and resizes it (bilinear, aspect ratio not kept) to the model's input size. */
    public static RgbImage read(Path file, Classifier model) throws IOException {
        return read(file).resize(model.inputWidth(), model.inputHeight());
    }
}
