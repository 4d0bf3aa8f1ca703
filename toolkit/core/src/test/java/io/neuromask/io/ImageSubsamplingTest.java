package io.neuromask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.HostileFiles;
import io.neuromask.base.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images read towards a target size are decoded subsampled: a huge single-colour PNG gives the right small image;
 * images up to twice the target size (ImageNet's 227 px samples at 224, CIFAR at 32) decode exactly as before; a
 * subsampled decode stays close to the full-size one. The memory bound itself is checked in a small-heap JVM by
 * {@link io.neuromask.HostileInputsTest}.
 */
class ImageSubsamplingTest {

    @TempDir
    Path tmp;

    @Test
    void aPhotoAboveThePixelCapIsReadSmallerWithItsAspectRatio() throws IOException {
        BufferedImage wide = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 100; x++) {
            for (int y = 0; y < 50; y++) {
                wide.setRGB(x, y, x < 50 ? 0xFF0000 : 0x0000FF);
            }
        }
        Path file = tmp.resolve("wide.png");
        ImageIO.write(wide, "png", file.toFile());
        RgbImage capped = ImageFiles.readAtMost(file, 1000);
        assertEquals(44, capped.width(), "floor(100 * sqrt(1000 / 5000))");
        assertEquals(22, capped.height(), "floor(50 * sqrt(1000 / 5000))");
        RgbImage whole = ImageFiles.readAtMost(file, 5000);
        assertEquals(100, whole.width());
        assertEquals(50, whole.height());
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.readAtMost(file, 0));
        assertThrows(IOException.class, () -> ImageFiles.readAtMost(tmp.resolve("none.png"), 1000));
    }

    @Test
    void periodKeepsTwiceTheTarget() {
        assertEquals(1, ImageFiles.subsampling(227, 224), "ImageNet samples are not subsampled");
        assertEquals(1, ImageFiles.subsampling(32, 32), "CIFAR images are not subsampled");
        assertEquals(1, ImageFiles.subsampling(447, 224));
        assertEquals(1, ImageFiles.subsampling(895, 224), "under four times the target: 2x would leave < 2x headroom");
        assertEquals(2, ImageFiles.subsampling(896, 224));
        assertEquals(22, ImageFiles.subsampling(10_000, 224), "10000 / 22 = 455 px decoded, >= 448");
        assertEquals(1, ImageFiles.subsampling(10_000, 0), "no target: full size");
        for (int src = 1; src < 5000; src += 7) {
            int p = ImageFiles.subsampling(src, 224);
            long decoded = (src + p - 1) / p;
            assertTrue(decoded >= Math.min(src, 448), src + " px subsampled by " + p + " leaves " + decoded);
            assertTrue(decoded <= Math.max(src < 896 ? src : 0, 4 * 224), src + " px leaves " + decoded);
        }
    }

    @Test
    void hugeSingleColourPngReadsTowardsTheTarget() throws IOException {
        Path f = tmp.resolve("huge.png");
        Files.write(f, HostileFiles.singleColourPng(10_000, 10_000, 0xC8285A));
        assertTrue(Files.size(f) < 1_000_000, "a small file: " + Files.size(f) + " bytes");
        RgbImage img = ImageFiles.read(f, 224, 224);
        assertEquals(224, img.width());
        assertEquals(224, img.height());
        for (int y = 0; y < 224; y += 13) {
            for (int x = 0; x < 224; x += 11) {
                assertEquals(0xC8 / 255f, img.get(0, y, x), 1e-6);
                assertEquals(0x28 / 255f, img.get(1, y, x), 1e-6);
                assertEquals(0x5A / 255f, img.get(2, y, x), 1e-6);
            }
        }
        byte[] bytes = Files.readAllBytes(f);
        RgbImage fromBytes = ImageFiles.decode(bytes, "huge.png", 32, 24);
        assertEquals(32, fromBytes.width());
        assertEquals(24, fromBytes.height());
        assertEquals(0x28 / 255f, fromBytes.get(1, 23, 31), 1e-6);
    }

    @Test
    void smallImagesDecodeExactlyAsBefore() throws IOException {
        for (int[] size : new int[][] {{227, 227, 224, 224}, {32, 32, 32, 32}, {400, 300, 224, 224}}) {
            Path f = tmp.resolve("noise-" + size[0] + ".png");
            ImageIO.write(noise(size[0], size[1], size[0]), "png", f.toFile());
            RgbImage before = ImageFiles.read(f).resize(size[2], size[3]);
            assertEquals(before, ImageFiles.read(f, size[2], size[3]), size[0] + "x" + size[1]);
        }
        Path cifar = tmp.resolve("cifar.png");
        ImageIO.write(noise(32, 32, 7), "png", cifar.toFile());
        assertEquals(ImageFiles.read(cifar), ImageFiles.read(cifar, 32, 32));
    }

    @Test
    void subsampledDecodeStaysCloseToTheFullOne() throws IOException {
        // a smooth image 2000x1500 (subsampled by 4 and 3 towards 224): the result differs little from a full decode
        BufferedImage smooth = new BufferedImage(2000, 1500, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1500; y++) {
            for (int x = 0; x < 2000; x++) {
                int r = (int) (255 * x / 1999.0);
                int g = (int) (255 * y / 1499.0);
                int b = (int) (127.5 + 127.5 * Math.sin(x / 150.0) * Math.cos(y / 120.0));
                smooth.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Path f = tmp.resolve("smooth.png");
        ImageIO.write(smooth, "png", f.toFile());
        RgbImage full = ImageFiles.read(f).resize(224, 224);
        RgbImage sub = ImageFiles.read(f, 224, 224);
        float worst = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    worst = Math.max(worst, Math.abs(full.get(c, y, x) - sub.get(c, y, x)));
                }
            }
        }
        assertTrue(worst < 0.03, "largest difference " + worst);
        assertTrue(worst > 0, "the image was subsampled (else this test checks nothing)");
    }

    @Test
    void badTargetSizesAreRefused() throws IOException {
        Path f = tmp.resolve("small.png");
        ImageIO.write(noise(8, 8, 1), "png", f.toFile());
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(f, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.read(f, -1, -1));
        assertEquals(ImageFiles.read(f), ImageFiles.read(f, 0, 0), "0x0: the image's own size");
    }

    @Test
    void sourceAboveTheLimitIsRefusedEvenTowardsATarget() throws IOException {
        Path f = tmp.resolve("giga.png");
        // a header declaring 50000x50000 = 2.5 gigapixels (above MAX_SOURCE_PIXELS), then nothing
        Files.write(f, HostileFiles.pngHeader(50_000, 50_000));
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(f, 224, 224));
        assertTrue(e.getMessage().contains("50000x50000") && e.getMessage().contains(
                String.valueOf(ImageFiles.MAX_SOURCE_PIXELS)) && e.getMessage().contains(f.toString()), e.getMessage());
    }

    private static BufferedImage noise(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }
}
