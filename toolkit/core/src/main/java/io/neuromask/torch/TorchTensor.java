package io.neuromask.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor read from a PyTorch checkpoint: a dtype, a shape and contiguous little-endian data. Views
 * with any strides and offsets are copied into row-major order on first access.
 */
public final class TorchTensor {

    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;
    private byte[] contiguous;

    TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
    }

    /** A float32 tensor from row-major values, e.g. to feed {@link StateDictLoader} weights from elsewhere. */
    public static TorchTensor ofFloats(float[] values, long... shape) {
        long n = new Shape(shape).size();
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
        }
        TorchStorage s = new TorchStorage("<memory>", DataType.FLOAT32, n);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        try {
            s.fill(b.array());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        long[] stride = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = step;
            step *= shape[i];
        }
        return new TorchTensor(s, 0, shape, stride);
    }

    /** The element type. */
    public DataType dataType() {
        return storage.dataType;
    }

    /** The shape (empty for a scalar). */
    public Shape shape() {
        return new Shape(shape);
    }

    /** Row-major little-endian bytes of the tensor. */
    public synchronized byte[] bytes() {
        if (contiguous == null) {
            contiguous = gather();
        }
        return contiguous;
    }

    /** Creates an NDArray of the same dtype and shape in {@code manager}. */
    public NDArray toNDArray(NDManager manager) {
        ByteBuffer buf = manager.allocateDirect(bytes().length);
        buf.put(bytes()).rewind();
        return manager.create(buf, shape(), dataType());
    }

    /** The values as float32, converting from other numeric types. */
    public float[] toFloatArray() {
        if (dataType() == DataType.FLOAT32) {
            float[] out = new float[bytes().length / 4];
            ByteBuffer.wrap(bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            return toNDArray(m).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private byte[] gather() {
        int elem = storage.dataType.getNumOfBytes();
        long n = new Shape(shape).size();
        byte[] src = storage.bytes();
        long maxIndex = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 0) {
                maxIndex += (shape[d] - 1) * stride[d];
            }
        }
        if (n > 0 && (offset < 0 || (maxIndex + 1) * elem > src.length)) {
            throw new IllegalStateException("tensor view (offset " + offset + ", shape " + Arrays.toString(shape)
                    + ", stride " + Arrays.toString(stride) + ") reaches past storage " + storage.key + " of "
                    + storage.numel + " elements; the checkpoint is corrupt");
        }
        byte[] out = new byte[(int) (n * elem)];
        if (isRowMajor()) {
            System.arraycopy(src, (int) (offset * elem), out, 0, out.length);
            return out;
        }
        long[] index = new long[shape.length];
        for (long i = 0; i < n; i++) {
            long at = offset;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            System.arraycopy(src, (int) (at * elem), out, (int) (i * elem), elem);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    private boolean isRowMajor() {
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != step) {
                return false;
            }
            step *= shape[d];
        }
        return true;
    }

    @Override
    public String toString() {
        return "TorchTensor[" + dataType() + " " + shape() + "]";
    }
}
