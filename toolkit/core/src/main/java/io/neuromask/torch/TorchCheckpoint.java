package io.neuromask.torch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;

/**
 * Reads PyTorch checkpoints written by {@code torch.save} in pure Java, in both layouts:
 * <ul>
 *   <li>the current zip layout ({@code <archive>/data.pkl} plus one {@code <archive>/data/<key>} file per
 *       storage), and</li>
 *   <li>the legacy (pre-1.6) layout: a magic-number pickle, a protocol pickle, a sys-info pickle, the main
 *       pickle, a pickle of the storage keys, then per key an int64 element count and the raw data.</li>
 * </ul>
 * Only little-endian checkpoints are supported. Tensors become {@link TorchTensor}s; dicts become maps,
 * tuples {@code Object[]}, lists {@code List}.
 *
 * <pre>{@code
 * Map<String, TorchTensor> sd = TorchCheckpoint.read(Path.of("resnet20.th")).stateDict();
 * StateDictLoader.load(myBlock, sd);
 * }</pre>
 */
public final class TorchCheckpoint {

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int LEGACY_PROTOCOL = 1001;

    private final Path file;
    private final Object root;
    private final boolean zip;

    private TorchCheckpoint(Path file, Object root, boolean zip) {
        this.file = file;
        this.root = root;
        this.zip = zip;
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IOException naming the file when it is missing, truncated, corrupt or not a PyTorch checkpoint
     */
    public static TorchCheckpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("checkpoint not found: " + file.toAbsolutePath());
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 2) {
                throw new IOException("checkpoint " + file + " is empty or truncated; fetch it again");
            }
        }
        try {
            if (head[0] == 'P' && head[1] == 'K') {
                return new TorchCheckpoint(file, readZip(file), true);
            }
            if ((head[0] & 0xff) == 0x80) {
                return new TorchCheckpoint(file, readLegacy(file), false);
            }
        } catch (EOFException e) {
            throw new IOException("checkpoint " + file + " is truncated (" + Files.size(file)
                    + " bytes; it ended inside " + (e.getMessage() != null ? e.getMessage() : "the storage data") + "); fetch it again (the model store verifies sha256)",
                    e);
        } catch (PickleException | IOException e) {
            boolean cut = String.valueOf(e.getMessage()).contains("premature end");
            if (!cut && e instanceof IOException io && !(io instanceof java.util.zip.ZipException)) {
                throw io;
            }
            throw new IOException("checkpoint " + file + (cut ? " is truncated (" + Files.size(file)
                    + " bytes; it ends inside a pickle)" : " is corrupt or not a PyTorch checkpoint: " + e.getMessage())
                    + "; fetch it again (the model store verifies sha256)", e);
        } catch (ClassCastException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException("checkpoint " + file + " is corrupt or not a PyTorch checkpoint: " + e.getMessage()
                    + "; fetch it again (the model store verifies sha256)", e);
        }
        throw new IOException("not a PyTorch checkpoint: " + file
                + " (expected a zip archive or a legacy torch.save pickle stream)");
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** Whether the file used the zip layout (else the legacy one). */
    public boolean isZip() {
        return zip;
    }

    /** The unpickled top-level object. */
    public Object root() {
        return root;
    }

    /**
     * The state_dict: the top-level object when it maps names to tensors, else its {@code state_dict},
     * {@code model_state_dict} or {@code model} entry. Keys keep their original names; {@link StateDictLoader}
     * strips {@code module.}.
     *
     * @throws IllegalArgumentException when no such mapping is found
     */
    public Map<String, TorchTensor> stateDict() {
        Map<String, TorchTensor> direct = asStateDict(root);
        if (direct != null) {
            return direct;
        }
        if (root instanceof Map<?, ?> map) {
            for (String key : List.of("state_dict", "model_state_dict", "model")) {
                Map<String, TorchTensor> sd = asStateDict(map.get(key));
                if (sd != null) {
                    return sd;
                }
            }
            throw new IllegalArgumentException("checkpoint " + file + " holds no state_dict; its top-level keys are "
                    + map.keySet());
        }
        throw new IllegalArgumentException("checkpoint " + file + " holds a " + root.getClass().getSimpleName()
                + ", not a state_dict (a whole pickled nn.Module cannot be read; save model.state_dict() instead)");
    }

    private static Map<String, TorchTensor> asStateDict(Object o) {
        if (!(o instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TorchTensor t)) {
                return null;
            }
            out.put(k, t);
        }
        return out;
    }

    private static Object readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("data.pkl")
                    && e.getName().indexOf('/') == e.getName().length() - "data.pkl".length() - 1)
                    .findFirst().orElseThrow(() -> new IOException(
                            "zip file " + file + " has no <archive>/data.pkl entry; not a torch.save checkpoint"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            Map<String, TorchStorage> storages = new HashMap<>();
            TorchUnpickler unpickler = new TorchUnpickler(pid -> storages.computeIfAbsent((String) pid[2],
                    key -> new TorchStorage(key, ((StorageType) pid[1]).dataType(), ((Number) pid[4]).longValue())));
            Object root;
            try (InputStream in = zip.getInputStream(pkl)) {
                root = unpickler.load(in);
            }
            for (TorchStorage s : storages.values()) {
                ZipEntry entry = zip.getEntry(prefix + "data/" + s.key);
                if (entry == null) {
                    throw new IOException("checkpoint " + file + " lacks the data of storage " + s.key + " (entry "
                            + prefix + "data/" + s.key + "); the file is truncated or corrupt");
                }
                if (entry.getSize() >= 0 && entry.getSize() != s.byteCount()) {
                    throw new IOException("checkpoint " + file + ": storage " + s.key + " declares " + s.numel
                            + " elements (" + s.byteCount() + " bytes of " + s.dataType + ") but its entry holds "
                            + entry.getSize() + " bytes; the file is corrupt or truncated; fetch it again");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] data = in.readNBytes(s.byteCount() + 1);
                    if (data.length != s.byteCount()) {
                        throw new IOException("checkpoint " + file + ": storage " + s.key + " holds " + data.length
                                + " bytes, expected " + s.byteCount() + "; the file is truncated or corrupt");
                    }
                    s.fill(data);
                }
            }
            return root;
        }
    }

    private static Object readLegacy(Path file) throws IOException {
        long fileSize = Files.size(file);
        try (CountingInputStream counted = new CountingInputStream(new BufferedInputStream(Files.newInputStream(file)));
                DataInputStream in = new DataInputStream(counted)) {
            Object magic = new TorchUnpickler(pid -> null).load(in);
            if (!LEGACY_MAGIC.equals(magic instanceof Number n ? new BigInteger(n.toString()) : null)) {
                throw new IOException("not a PyTorch checkpoint: " + file + " (wrong magic number " + magic + ")");
            }
            Object protocol = new TorchUnpickler(pid -> null).load(in);
            if (!(protocol instanceof Number p) || p.intValue() != LEGACY_PROTOCOL) {
                throw new IOException("checkpoint " + file + " uses unsupported legacy protocol " + protocol);
            }
            Object sysInfo = new TorchUnpickler(pid -> null).load(in);
            if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new IOException("checkpoint " + file + " was written on a big-endian machine; not supported");
            }
            Map<String, TorchStorage> storages = new HashMap<>();
            Object root = new TorchUnpickler(pid -> {
                if (pid.length > 5 && pid[5] != null) {
                    throw new IllegalArgumentException("storage views (view_metadata " + pid[5] + ") are not supported");
                }
                return storages.computeIfAbsent((String) pid[2],
                        key -> new TorchStorage(key, ((StorageType) pid[1]).dataType(), ((Number) pid[4]).longValue()));
            }).load(in);
            List<?> keys = (List<?>) new TorchUnpickler(pid -> null).load(in);
            for (Object k : keys) {
                TorchStorage s = storages.get(String.valueOf(k));
                if (s == null) {
                    throw new IOException("checkpoint " + file + " lists storage " + k + " that no tensor uses");
                }
                byte[] count = new byte[8];
                in.readFully(count);
                long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (numel != s.numel) {
                    throw new IOException("checkpoint " + file + ": storage " + k + " has " + numel
                            + " elements on disk but " + s.numel + " in its header; the file is corrupt");
                }
                long available = fileSize - counted.count;
                if (s.byteCount() > available) {
                    throw new IOException("checkpoint " + file + ": storage " + k + " declares " + numel + " elements ("
                            + s.byteCount() + " bytes of " + s.dataType + ") but only " + available + " bytes remain in "
                            + "the file; the file is corrupt or truncated; fetch it again (the model store verifies "
                            + "sha256)");
                }
                byte[] data = new byte[s.byteCount()];
                try {
                    in.readFully(data);
                } catch (EOFException e) {
                    throw new EOFException("the data of storage " + k + " (" + s.byteCount() + " bytes)");
                }
                s.fill(data);
            }
            return root;
        }
    }

    /** Counts the bytes read through it, so that a storage's declared size can be checked against what is left. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
