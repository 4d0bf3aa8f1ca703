package io.neuromask.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
     * Reads a {@code .npy} file into {@code manager}. Headers in the older NumPy spelling (e.g.
     * {@code { 'descr': '<f4', ... (64, 3) }}, which DJL's strict parser rejects) are rewritten to the
     * current spelling first; DJL's codec then decodes the data.
     *
     * @throws IOException naming the file when it is missing or not a valid {@code .npy}
     */
    public static NDArray read(NDManager manager, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such .npy file: " + file);
        }
        try (InputStream in = new ByteArrayInputStream(canonicalHeader(Files.readAllBytes(file)))) {
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

    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr':\\s*'([^']+)',\\s*'fortran_order':\\s*(True|False),\\s*'shape':\\s*\\(([^)]*)\\),?\\s*}\\s*");

    /** The same .npy with its header in the spelling DJL parses (version 1.0, trailing comma, 64-byte aligned). */
    static byte[] canonicalHeader(byte[] npy) throws IOException {
        if (npy.length < 10 || (npy[0] & 0xff) != 0x93 || npy[1] != 'N' || npy[6] != 1) {
            return npy; // not a version-1 .npy: let DJL report it
        }
        int headerLen = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        if (10 + headerLen > npy.length) {
            throw new IOException("truncated .npy header");
        }
        String header = new String(npy, 10, headerLen, StandardCharsets.ISO_8859_1);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IOException("unsupported .npy header " + header.trim());
        }
        if (m.group(2).equals("True")) {
            throw new IOException("Fortran-ordered .npy arrays are not supported; save with np.ascontiguousarray");
        }
        String dims = m.group(3).replaceAll("\\s+", "").replaceAll(",$", "");
        String shape = dims.isEmpty() ? "()" : "(" + dims.replace(",", ", ") + (dims.contains(",") ? ")" : ",)");
        StringBuilder text = new StringBuilder("{'descr': '" + m.group(1) + "', 'fortran_order': False, 'shape': "
                + shape + ", }");
        while ((10 + text.length() + 1) % 64 != 0) {
            text.append(' ');
        }
        text.append('\n');
        byte[] h = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + npy.length - 10 - headerLen];
        System.arraycopy(npy, 0, out, 0, 8);
        out[8] = (byte) h.length;
        out[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(npy, 10 + headerLen, out, 10 + h.length, npy.length - 10 - headerLen);
        return out;
    }
}
