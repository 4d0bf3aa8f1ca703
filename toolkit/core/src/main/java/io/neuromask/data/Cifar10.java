package io.neuromask.data;

import io.neuromask.base.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A CIFAR-10 batch in the standard binary format: records of one label byte then 1024 red, 1024 green and
 * 1024 blue bytes (32×32, row-major). Reads the official {@code test_batch.bin}/{@code data_batch_N.bin} and
 * any prefix of them.
 */
public final class Cifar10 implements LabeledImages {

    /** Bytes per record. */
    public static final int RECORD = 1 + 3 * 32 * 32;
    /** The class names, index = label byte. */
    public static final List<String> CLASSES = io.neuromask.model.CifarResNet.CIFAR10_LABELS;

    private final byte[] data;

    private Cifar10(byte[] data) {
        this.data = data;
    }

    /**
     * Reads a batch file.
     *
     * @throws IOException naming the file when it is missing, empty, truncated mid-record or has a label above 9
     */
    public static Cifar10 read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("CIFAR-10 batch not found: " + file.toAbsolutePath());
        }
        byte[] data = Files.readAllBytes(file);
        check(file, data);
        return new Cifar10(data);
    }

    /** Reads several batch files as one sequence, in order. */
    public static Cifar10 read(List<Path> files) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (Path f : files) {
            all.write(read(f).data);
        }
        return new Cifar10(all.toByteArray());
    }

    private static void check(Path file, byte[] data) throws IOException {
        if (data.length == 0 || data.length % RECORD != 0) {
            throw new IOException("not a CIFAR-10 binary batch: " + file + " has " + data.length
                    + " bytes, not a positive multiple of " + RECORD + " (truncated or wrong file?)");
        }
        for (int i = 0; i < data.length; i += RECORD) {
            if ((data[i] & 0xff) > 9) {
                throw new IOException("not a CIFAR-10 binary batch: " + file + " record " + i / RECORD + " has label "
                        + (data[i] & 0xff) + " (CIFAR-100 files have two label bytes and are not supported)");
            }
        }
    }

    @Override
    public int size() {
        return data.length / RECORD;
    }

    @Override
    public int label(int i) {
        return data[check(i) * RECORD] & 0xff;
    }

    @Override
    public String name() {
        return "cifar10";
    }

    /** Image {@code i} with its label; CIFAR-10 has no boxes. */
    @Override
    public LabeledImage get(int i) {
        return new LabeledImage("cifar10-" + i, image(i), label(i), List.of());
    }

    /** Image {@code i}, 32×32. */
    public RgbImage image(int i) {
        float[] chw = new float[RECORD - 1];
        int base = check(i) * RECORD + 1;
        for (int k = 0; k < chw.length; k++) {
            chw[k] = (data[base + k] & 0xff) / 255f;
        }
        return RgbImage.ofChw(chw, 3, 32, 32);
    }

    private int check(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("image " + i + " of a " + size() + "-image CIFAR-10 batch");
        }
        return i;
    }
}
