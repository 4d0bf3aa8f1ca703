package io.neuromask.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * NumPy {@code .npy} files through DJL's own codec: DJL encodes an {@link NDList} as {@code .npz} (a
 * zip of {@code .npy} entries); a single-array {@code .npy} is that zip's one entry.
 */
public final class Npy {

    private Npy() {}

    /** Writes a float32 array of the given shape as {@code .npy}, atomically. */
    public static void write(Path file, float[] data, long... shape) throws IOException {
        byte[] npy;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            npy = encode(manager.create(data, new Shape(shape)));
        }
        AtomicFiles.write(file, out -> out.write(npy));
    }

    /** The {@code .npy} bytes of one array. */
    public static byte[] encode(NDArray array) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        new NDList(array).encode(zip, NDList.Encoding.NPZ);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            ZipEntry entry = in.getNextEntry();
            if (entry == null) {
                throw new IOException("DJL wrote an empty .npz");
            }
            return in.readAllBytes();
        }
    }

    /**
     * Reads a {@code .npy} file into {@code manager}.
     *
     * @throws IOException naming the file when it is missing or not a valid {@code .npy}
     */
    public static NDArray read(NDManager manager, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such .npy file: " + file);
        }
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            NDList list = NDList.decode(manager, in);
            if (list.size() != 1) {
                throw new IOException("expected one array, found " + list.size());
            }
            return list.singletonOrThrow();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + file + " as a NumPy .npy array (corrupt or truncated?): "
                    + e.getMessage(), e);
        }
    }
}
