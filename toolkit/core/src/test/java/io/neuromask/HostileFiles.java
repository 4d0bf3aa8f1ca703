package io.neuromask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Small files that declare huge contents, written byte by byte: a single-colour PNG of many megapixels (a real,
 * valid image that compresses about 1000:1) and a legacy {@code torch.save} checkpoint whose storage declares far
 * more elements than the file holds.
 */
public final class HostileFiles {

    private HostileFiles() {}

    /**
     * A valid 8-bit RGB PNG of {@code width}×{@code height} pixels, all of colour {@code rgb} ({@code 0xRRGGBB}). Each
     * row uses PNG's Sub filter (the first pixel, then zero differences), so the compressed data stays small.
     */
    public static byte[] singleColourPng(int width, int height, int rgb) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        byte[] row = new byte[1 + 3 * width];
        row[0] = 1; // Sub: each byte is the difference to the byte 3 to its left
        row[1] = (byte) (rgb >> 16);
        row[2] = (byte) (rgb >> 8);
        row[3] = (byte) rgb;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /** A PNG signature and an IHDR chunk declaring an 8-bit RGB image of {@code width}×{@code height}, then nothing. */
    public static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A legacy (pre-1.6) {@code torch.save} checkpoint of a state_dict {@code {"weight": tensor}} whose one
     * {@code FloatStorage} (key {@code "0"}) declares {@code numel} elements, in its pickle and in the element count
     * before its data, followed by only {@code present} bytes of data: a few hundred bytes that announce
     * {@code 4·numel}.
     */
    public static byte[] legacyCheckpoint(int numel, int present) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // magic number 0x1950a86a20f9469cfc6c as a LONG1
        out.write(new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
                0x6a, (byte) 0xa8, 0x50, 0x19, '.'});
        // protocol version 1001 as a BININT2
        out.write(new byte[] {(byte) 0x80, 2, 'M', (byte) 0xe9, 0x03, '.'});
        // sys info {"little_endian": True}
        out.write(new byte[] {(byte) 0x80, 2, '}'});
        unicode(out, "little_endian");
        out.write(new byte[] {(byte) 0x88, 's', '.'});
        // the state_dict {"weight": _rebuild_tensor_v2(storage, 0, (numel,), (1,))}
        out.write(new byte[] {(byte) 0x80, 2, '}'});
        unicode(out, "weight");
        out.write("ctorch._utils\n_rebuild_tensor_v2\n".getBytes(StandardCharsets.US_ASCII));
        out.write('(');
        out.write('('); // the persistent id ('storage', torch.FloatStorage, '0', 'cpu', numel)
        unicode(out, "storage");
        out.write("ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII));
        unicode(out, "0");
        unicode(out, "cpu");
        binInt(out, numel);
        out.write(new byte[] {'t', 'Q'}); // TUPLE, BINPERSID
        binInt(out, 0); // storage offset
        binInt(out, numel);
        out.write(0x85); // TUPLE1: the size
        binInt(out, 1);
        out.write(0x85); // TUPLE1: the stride
        out.write(new byte[] {'t', 'R', 's', '.'}); // TUPLE, REDUCE, SETITEM, STOP
        // the storage keys ["0"]
        out.write(new byte[] {(byte) 0x80, 2, ']'});
        unicode(out, "0");
        out.write(new byte[] {'a', '.'});
        // the storage: its int64 element count, then its data
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(numel).array());
        out.write(new byte[present]);
        return out.toByteArray();
    }

    private static void unicode(ByteArrayOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.write(b);
    }

    private static void binInt(ByteArrayOutputStream out, int v) throws IOException {
        out.write('J');
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }
}
