package io.neuromask.torch;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;

/** One untyped-by-Java storage of a checkpoint: a flat buffer of {@code numel} elements of one dtype. */
final class TorchStorage {

    final String key;
    final DataType dataType;
    final long numel;
    private byte[] bytes;

    TorchStorage(String key, DataType dataType, long numel) {
        if (numel < 0 || numel * dataType.getNumOfBytes() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("storage " + key + " has an invalid element count " + numel);
        }
        this.key = key;
        this.dataType = dataType;
        this.numel = numel;
    }

    int byteCount() {
        return (int) (numel * dataType.getNumOfBytes());
    }

    void fill(byte[] data) throws IOException {
        if (data.length != byteCount()) {
            throw new IOException("storage " + key + " holds " + data.length + " bytes, expected " + byteCount()
                    + " (" + numel + " x " + dataType + ")");
        }
        bytes = data;
    }

    byte[] bytes() {
        if (bytes == null) {
            throw new IllegalStateException("storage " + key + " was never read from the checkpoint");
        }
        return bytes;
    }
}
