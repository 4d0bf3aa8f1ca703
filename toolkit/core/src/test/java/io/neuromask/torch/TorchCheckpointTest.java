package io.neuromask.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.neuromask.HostileFiles;
import io.neuromask.TestMirror;
import io.neuromask.model.CifarResNet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.razorvine.pickle.Unpickler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java checkpoint reader on the real ResNet20 file, its zip re-packing, and broken copies. */
class TorchCheckpointTest {

    @TempDir
    Path tmp;

    private static Path resnet20() {
        return TestMirror.file("models/cifar10-resnet/resnet20-12fca82f.th");
    }

    @Test
    void readsLegacyCheckpoint() throws IOException {
        TorchCheckpoint ckpt = TorchCheckpoint.read(resnet20());
        assertFalse(ckpt.isZip());
        Map<String, TorchTensor> sd = ckpt.stateDict();
        assertTrue(sd.keySet().stream().allMatch(k -> k.startsWith("module.")), "keys " + sd.keySet());
        TorchTensor w = sd.get("module.conv1.weight");
        assertEquals(new Shape(16, 3, 3, 3), w.shape());
        assertEquals(DataType.FLOAT32, w.dataType());
        assertEquals(new Shape(10, 64), sd.get("module.linear.weight").shape());
        float[] var = sd.get("module.bn1.running_var").toFloatArray();
        assertTrue(Arrays.stream(toDoubles(var)).allMatch(v -> v > 0), "running variances are positive");
    }

    @Test
    void zipLayoutGivesTheSameTensors() throws IOException {
        Path zip = repackAsZip(resnet20(), tmp.resolve("resnet20.pt"));
        TorchCheckpoint z = TorchCheckpoint.read(zip);
        assertTrue(z.isZip());
        Map<String, TorchTensor> expected = TorchCheckpoint.read(resnet20()).stateDict();
        Map<String, TorchTensor> actual = z.stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, t) -> {
            assertEquals(t.shape(), actual.get(k).shape(), k);
            assertArrayEquals(t.bytes(), actual.get(k).bytes(), k);
        });
    }

    @Test
    void truncatedCheckpointIsAClearError() throws IOException {
        byte[] all = Files.readAllBytes(resnet20());
        for (int length : new int[] {all.length - 1000, 300}) {
            Path cut = tmp.resolve("cut" + length + ".th");
            Files.write(cut, Arrays.copyOf(all, length));
            IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(cut));
            assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void storageLargerThanTheFileIsRefusedBeforeAllocation() throws IOException {
        Path small = tmp.resolve("small.th");
        Files.write(small, HostileFiles.legacyCheckpoint(3, 12));
        assertArrayEquals(new float[3], TorchCheckpoint.read(small).stateDict().get("weight").toFloatArray(),
                "the hand-written checkpoint is well formed");

        Path hostile = tmp.resolve("hostile.th");
        Files.write(hostile, HostileFiles.legacyCheckpoint(500_000_000, 16)); // declares 2 GB
        assertTrue(Files.size(hostile) < 1000, Files.size(hostile) + " bytes");
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(hostile));
        String msg = e.getMessage();
        assertTrue(msg.contains(hostile.toString()), msg);
        assertTrue(msg.contains("storage 0 declares 500000000 elements (2000000000 bytes"), msg);
        assertTrue(msg.contains("only 16 bytes remain"), msg);
        assertTrue(msg.contains("corrupt or truncated"), msg);
    }

    @Test
    void corruptedCheckpointIsAClearError() throws IOException {
        byte[] all = Files.readAllBytes(resnet20());
        byte[] bad = all.clone();
        for (int i = 150; i < 260; i++) {
            bad[i] = (byte) 0xff; // inside the main pickle
        }
        Path corrupt = tmp.resolve("corrupt.th");
        Files.write(corrupt, bad);
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(corrupt));
        assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("truncated"), e.getMessage());

        Path text = tmp.resolve("notes.th");
        Files.writeString(text, "this is not a checkpoint");
        e = assertThrows(IOException.class, () -> TorchCheckpoint.read(text));
        assertTrue(e.getMessage().contains("not a PyTorch checkpoint"), e.getMessage());
    }

    @Test
    void misShapedMissingAndUnexpectedKeysAreNamed() throws IOException {
        Map<String, TorchTensor> sd = new LinkedHashMap<>(TorchCheckpoint.read(resnet20()).stateDict());
        sd.put("module.linear.weight", TorchTensor.ofFloats(new float[64 * 5], 5, 64));
        sd.remove("module.bn1.bias");
        sd.put("module.extra.weight", TorchTensor.ofFloats(new float[1], 1));
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block block = CifarResNet.block(20, 10);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StateDictLoader.load(block, sd));
            String msg = e.getMessage();
            assertTrue(msg.contains("missing keys [bn1.bias]"), msg);
            assertTrue(msg.contains("unexpected keys [extra.weight]"), msg);
            assertTrue(msg.contains("linear.weight has shape (5, 64) but the block expects (10, 64)"), msg);

            Block deeper = CifarResNet.block(32, 10);
            deeper.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, TorchTensor> good = TorchCheckpoint.read(resnet20()).stateDict();
            e = assertThrows(IllegalArgumentException.class, () -> StateDictLoader.load(deeper, good));
            assertTrue(e.getMessage().contains("layer1.3.conv1.weight"), e.getMessage());
        }
    }

    /** Re-packs a legacy checkpoint in the zip layout: its main pickle as data.pkl, each storage as data/<key>. */
    private static Path repackAsZip(Path legacy, Path zip) throws IOException {
        byte[] all = Files.readAllBytes(legacy);
        ByteArrayInputStream in = new ByteArrayInputStream(all);
        Unpickler plain = new TorchUnpickler(
                pid -> new TorchStorage((String) pid[2], DataType.FLOAT32, ((Number) pid[4]).longValue()));
        for (int i = 0; i < 3; i++) {
            plain.load(in); // magic, protocol, sys info
        }
        int start = all.length - in.available();
        plain.load(in);
        byte[] mainPickle = Arrays.copyOfRange(all, start, all.length - in.available());
        List<?> keys = (List<?>) plain.load(in);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, "archive/data.pkl", mainPickle);
            for (Object key : keys) {
                byte[] count = in.readNBytes(8);
                long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
                put(out, "archive/data/" + key, in.readNBytes((int) numel * 4));
            }
            put(out, "archive/version", "3\n".getBytes());
        }
        return zip;
    }

    private static void put(ZipOutputStream out, String name, byte[] data) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        ((OutputStream) out).write(data);
        out.closeEntry();
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
