package io.neuromask.io;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files (PNG, JPEG, BMP, GIF: whatever ImageIO reads) into {@link RgbImage}s.
 *
 * <p>The format is recognised from the file's content, not its extension. The size is read from the
 * header first, before any pixel memory is allocated, so a corrupt or hostile header cannot exhaust memory:
 * <ul>
 *   <li>Read towards a size ({@link #read(Path, Classifier)}, {@link #read(Path, int, int)},
 *       {@link #decode(byte[], String, int, int)}), an image is decoded <em>subsampled</em>: every
 *       {@code sx}-th column and {@code sy}-th row with {@code sx = max(1, ⌊srcW / (2·targetW)⌋)} and
 *       {@code sy = max(1, ⌊srcH / (2·targetH)⌋)}, so the decoded raster is never smaller than twice the target
 *       in a dimension that is subsampled (2× headroom for the bilinear resize that follows) and at most
 *       about 4× the target in each dimension, whatever the file declares. Images up to twice the target size
 *       (a 227×227 ImageNet sample or a 32×32 CIFAR image for 224 or 32 px models) are decoded whole, exactly as
 *       before. Sources above {@value #MAX_SOURCE_PIXELS} pixels are refused (decoding them would take minutes
 *       even subsampled).</li>
 *   <li>Read at its own size ({@link #read(Path)}, {@link #decode(byte[], String)}), an image above
 *       {@value #MAX_PIXELS} pixels, or one whose decoded copies ({@value #BYTES_PER_PIXEL} bytes a pixel:
 *       the decoded raster and the float {@link RgbImage}) would not fit in this JVM's maximum heap
 *       ({@code -Xmx}), is refused with an error naming its size, the limit and the fix.</li>
 * </ul>
 * Decoding errors (truncated, bit-flipped or zero-byte files, files that are no image) are {@link IOException}s
 * naming the file. Formats without checksums (JPEG) can decode damaged data without error; the image is then
 * returned as decoded.
 */
public final class ImageFiles {

    /** The largest image accepted at its own size: 100 megapixels. */
    public static final long MAX_PIXELS = 100_000_000L;

    /**
     * The largest source image accepted when reading towards a target size: 1 gigapixel (e.g. 40000×25000). Memory
     * stays bounded by the target size (see the class comment); the limit bounds the decoding time.
     */
    public static final long MAX_SOURCE_PIXELS = 1_000_000_000L;

    /**
     * Heap bytes a pixel decoded at its own size is taken to need at once: 4 in the decoded {@link BufferedImage}
     * (8-bit samples) plus 12 in the {@link RgbImage} (three floats).
     */
    public static final int BYTES_PER_PIXEL = 16;

    private ImageFiles() {}

    /**
     * Reads an image at its own size. Gray becomes R=G=B, alpha is dropped, 16-bit samples are scaled
     * (see {@link RgbImage#of}).
     *
     * @throws IOException naming the file when it is missing, empty, unreadable, too large, or not a
     *     decodable image
     */
    public static RgbImage read(Path file) throws IOException {
        return read(file, 0, 0);
    }

    /**
     * Reads an image and resizes it (bilinear, aspect ratio not kept) to {@code width}×{@code height}, decoding it
     * subsampled towards that size (see the class comment), so a huge image needs memory of the order of the target
     * size only.
     *
     * @param width the target width in pixels, or 0 (with {@code height} 0) to read at the image's own size
     * @param height the target height in pixels, or 0 (with {@code width} 0)
     * @throws IOException naming the file when it is missing, empty, unreadable, too large, or not a decodable
     *     image
     * @throws IllegalArgumentException when only one of the sizes is 0, or one is negative
     */
    public static RgbImage read(Path file, int width, int height) throws IOException {
        checkTarget(width, height);
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file not found: " + file.toAbsolutePath());
        }
        if (Files.size(file) == 0) {
            throw new IOException("image file is empty (0 bytes): " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, file.toString(), width, height);
        }
    }

    /**
     * Reads a photo at its own size, or, when it has more than {@code maxPixels} pixels, decoded subsampled and resized
     * to the largest size of the same aspect ratio that fits {@code maxPixels} (so a huge photo needs memory of the
     * order of {@code maxPixels} only). The CLI's {@code explain} reads photos so, at most {@link #PHOTO_PIXELS}.
     *
     * @throws IOException naming the file when it is missing, empty, unreadable, too large, or not a decodable image
     * @throws IllegalArgumentException when {@code maxPixels} is below 1
     */
    public static RgbImage readAtMost(Path file, long maxPixels) throws IOException {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("image file not found: " + file.toAbsolutePath());
        }
        long w;
        long h;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return read(file); // reports the problem with the file
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                return read(file); // reports the problem with the file
            } finally {
                reader.dispose();
            }
        }
        if (w * h <= maxPixels) {
            return read(file);
        }
        double scale = Math.sqrt((double) maxPixels / (w * h));
        int width = (int) Math.max(1, Math.floor(w * scale));
        int height = (int) Math.max(1, Math.floor(h * scale));
        return read(file, width, height);
    }

    /** The most pixels of a photo the CLI's {@code explain} keeps: 16,777,216 (4096²); larger ones are subsampled. */
    public static final long PHOTO_PIXELS = 4096L * 4096L;

    /**
     * Decodes an image held in memory (e.g. a row of Spark's {@code binaryFile} source), as {@link #read(Path)}
     * does a file.
     *
     * @param content the file's bytes
     * @param name the file's name or URI, for error messages
     * @throws IOException naming {@code name} when the bytes are empty, too large, or not a decodable image
     */
    public static RgbImage decode(byte[] content, String name) throws IOException {
        return decode(content, name, 0, 0);
    }

    /**
     * Decodes an image held in memory and resizes it to {@code width}×{@code height}, as
     * {@link #read(Path, int, int)} does a file (subsampled towards the target; 0×0 keeps the image's own size).
     *
     * @throws IOException naming {@code name} when the bytes are empty, too large, or not a decodable image
     * @throws IllegalArgumentException when only one of the sizes is 0, or one is negative
     */
    public static RgbImage decode(byte[] content, String name, int width, int height) throws IOException {
        checkTarget(width, height);
        if (content == null || content.length == 0) {
            throw new IOException("image file is empty (0 bytes): " + name);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(content))) {
            return decode(in, name, width, height);
        }
    }

    /**
     * The subsampling period along a side of {@code source} pixels read towards {@code target} pixels: every
     * {@code period}-th pixel is decoded, keeping at least twice the target (1 when the source is less than four
     * times the target, or when there is no target).
     */
    static int subsampling(long source, int target) {
        if (target <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, source / (2L * target)));
    }

    private static void checkTarget(int width, int height) {
        if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
            throw new IllegalArgumentException("target size must be positive (or 0x0 for the image's own size), got "
                    + width + "x" + height);
        }
    }

    private static RgbImage decode(ImageInputStream in, String file, int targetWidth, int targetHeight)
            throws IOException {
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
                boolean towards = targetWidth > 0;
                long limit = towards ? MAX_SOURCE_PIXELS : MAX_PIXELS;
                if (w <= 0 || h <= 0 || w * h > limit) {
                    throw new IOException("image " + file + " declares " + w + "x" + h + " = " + w * h
                            + " pixels; the limit is " + limit + " pixels" + (towards ? " for a source image" : "")
                            + " (corrupt header, or resize the image first)");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int sx = subsampling(w, targetWidth);
                int sy = subsampling(h, targetHeight);
                long decoded = ((w + sx - 1) / sx) * ((h + sy - 1) / sy);
                long heap = Runtime.getRuntime().maxMemory();
                if (!towards && heap != Long.MAX_VALUE && decoded * BYTES_PER_PIXEL > heap) {
                    throw new IOException("image " + file + " declares " + w + "x" + h + " = " + w * h
                            + " pixels, which need about " + mib(decoded * BYTES_PER_PIXEL) + " MiB to decode at full "
                            + "size; this JVM's heap limit is " + mib(heap) + " MiB: read it towards the model's size "
                            + "(ImageFiles.read(path, model) decodes it subsampled), resize the image first, or give "
                            + "the JVM more heap (-Xmx)");
                }
                if (sx > 1 || sy > 1) {
                    param.setSourceSubsampling(sx, sy, 0, 0);
                }
                BufferedImage img = reader.read(0, param);
                RgbImage rgb = RgbImage.of(img);
                return towards ? rgb.resize(targetWidth, targetHeight) : rgb;
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

    /**
     * Reads an image and resizes it (bilinear, aspect ratio not kept) to the model's input size, decoding it
     * subsampled towards that size: {@link #read(Path, int, int)}. Kept as it always was, so masks learnt from it stay
     * the same; it squashes a photo and does not antialias. For a photo, read it at its own size and make the model's
     * input with the model's preprocessing, as the CLI's {@code explain} does:
     * {@code Preprocessing.defaultFor(model).geometry(photo)} ({@link io.neuromask.base.Preprocessing}: torchvision's
     * resize 256, centre crop 224 for a 224² model, antialiased), which also maps the mask back onto the photo.
     */
    public static RgbImage read(Path file, Classifier model) throws IOException {
        return read(file, model.inputWidth(), model.inputHeight());
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
