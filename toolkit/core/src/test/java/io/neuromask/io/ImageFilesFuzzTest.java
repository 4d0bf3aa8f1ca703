package io.neuromask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.neuromask.base.RgbImage;
import io.neuromask.model.PlantedEvidence;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 damaged image files: truncated, bit-flipped, zero bytes, not an image behind an image extension,
 * huge declared dimensions. Each must end within 5 s with either an IOException that names the file or,
 * where the format cannot tell (a bit flip inside JPEG data), an image of the declared size; never a
 * crash, another exception type, or a hang.
 */
class ImageFilesFuzzTest {

    @Test
    void damagedFilesGiveClearErrors(@TempDir Path tmp) throws Exception {
        byte[] png = encode("png");
        byte[] jpg = encode("jpg");
        SplittableRandom random = new SplittableRandom(2024);
        List<Path> files = new ArrayList<>();
        List<Boolean> mustFail = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] source = i % 2 == 0 ? png : jpg;
            String ext = i % 2 == 0 ? ".png" : ".jpg";
            byte[] data;
            boolean fails;
            switch (i % 5) {
                case 0 -> { // truncated
                    data = java.util.Arrays.copyOf(source, 1 + random.nextInt(source.length / 2));
                    fails = true;
                }
                case 1 -> { // bit flips
                    data = source.clone();
                    for (int k = 0; k < 1 + random.nextInt(8); k++) {
                        int at = random.nextInt(data.length);
                        data[at] ^= (byte) (1 << random.nextInt(8));
                    }
                    fails = false; // may decode (JPEG data has no checksum)
                }
                case 2 -> { // zero bytes
                    data = new byte[0];
                    fails = true;
                }
                case 3 -> { // not an image, with an image extension
                    data = ("{\"not\": \"an image\", \"i\": " + i + "}").getBytes();
                    fails = true;
                }
                default -> { // a valid PNG header declaring huge dimensions
                    data = hugePng(100_000 + random.nextInt(1_000_000), 100_000 + random.nextInt(1_000_000));
                    fails = true;
                }
            }
            Path f = tmp.resolve("fuzz-" + i + ext);
            Files.write(f, data);
            files.add(f);
            mustFail.add(fails);
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            int errors = 0;
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                Future<Object> outcome = pool.submit(() -> {
                    try {
                        return ImageFiles.read(f);
                    } catch (IOException e) {
                        return e;
                    }
                });
                Object r;
                try {
                    r = outcome.get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    outcome.cancel(true);
                    fail(f + " took more than 5 s");
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    fail(f + " threw " + e.getCause() + " instead of an IOException");
                    return;
                }
                if (r instanceof IOException e) {
                    errors++;
                    assertTrue(e.getMessage().contains(f.toString()), "the error names the file: " + e.getMessage());
                } else {
                    assertTrue(!mustFail.get(i), f + " should have been refused");
                    RgbImage img = (RgbImage) r;
                    assertEquals(32, img.width());
                }
            }
            assertTrue(errors >= 160, "only " + errors + " of 200 damaged files were refused");
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] encode(String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 1).toBufferedImage(), format, out);
        return out.toByteArray();
    }

    /** A PNG signature and an IHDR chunk (with a correct CRC) declaring width×height, then nothing. */
    private static byte[] hugePng(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 17 + 4);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return b.array();
    }
}
