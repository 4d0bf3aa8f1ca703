package io.neuromask.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.TestMirror;
import io.neuromask.io.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 binary batches, the val-sample layout with scaled boxes, and broken inputs. */
class DataReadersTest {

    @TempDir
    Path tmp;

    @Test
    void cifarTestBatchPrefix() throws IOException {
        Path file = TestMirror.file("data/cifar10/test_batch_first1000.bin");
        Cifar10 c = Cifar10.read(file);
        assertEquals(1000, c.size());
        int[] labels = new int[10];
        Arrays.setAll(labels, c::label);
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, labels, "first ten labels per the mirror README");
        byte[] raw = Files.readAllBytes(file);
        RgbImage img = c.image(17);
        int base = 17 * Cifar10.RECORD + 1;
        assertEquals((raw[base + 5 * 32 + 7] & 0xff) / 255f, img.get(0, 5, 7));
        assertEquals((raw[base + 2048 + 31 * 32 + 31] & 0xff) / 255f, img.get(2, 31, 31));
        assertEquals("horse", Cifar10.CLASSES.get(c.label(17)));
    }

    @Test
    void truncatedCifarBatchIsAClearError() throws IOException {
        Path cut = tmp.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(TestMirror.file("data/cifar10/test_batch_first1000.bin")), 5000));
        IOException e = assertThrows(IOException.class, () -> Cifar10.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void valSampleBoxesAreScaledToTheImage() throws IOException {
        ImageNetValSample v = ImageNetValSample.read(TestMirror.file("data/imagenet/val-sample"));
        assertEquals(300, v.size());
        ImageNetValSample.Entry e = v.entries().get(0);
        LabeledImage s = v.get(0);
        assertEquals(227, s.image().width());
        assertEquals(e.boxes().size(), s.boxes().size());
        Box original = e.boxes().get(0);
        Box scaled = s.boxes().get(0);
        assertEquals(original.x1() * 227.0 / e.originalWidth(), scaled.x1(), 1e-9);
        assertEquals(original.y1() * 227.0 / e.originalHeight(), scaled.y1(), 1e-9);
        assertTrue(s.boxes().stream().allMatch(b -> b.x1() <= 227 + 1e-6 && b.y1() <= 227 + 1e-6));
    }

    @Test
    void malformedAnnotationsAndCorruptImagesAreClearErrors() throws IOException {
        Files.createDirectories(tmp.resolve("images"));
        Files.writeString(tmp.resolve("annotations.csv"), "file,label,original_width,original_height,boxes\nx.JPEG,7,500\n");
        IOException e = assertThrows(IOException.class, () -> ImageNetValSample.read(tmp));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());

        Path jpeg = tmp.resolve("images/broken.JPEG");
        byte[] good = Files.readAllBytes(TestMirror.file("data/imagenet/neuromask-examples/cat_dog.jpg"));
        Files.write(jpeg, Arrays.copyOf(good, 200));
        e = assertThrows(IOException.class, () -> ImageFiles.read(jpeg));
        assertTrue(e.getMessage().contains(jpeg.toString()), e.getMessage());
    }
}
