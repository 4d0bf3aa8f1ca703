package io.neuromask.torch;

import ai.djl.ndarray.types.DataType;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;

/** The pickled {@code torch.FloatStorage}-style class named in a storage's persistent id. */
record StorageType(String name, DataType dataType) implements IObjectConstructor {

    /** PyTorch storage classes and the DJL data types they hold. */
    static final Map<String, DataType> KNOWN = Map.of(
            "FloatStorage", DataType.FLOAT32,
            "DoubleStorage", DataType.FLOAT64,
            "HalfStorage", DataType.FLOAT16,
            "BFloat16Storage", DataType.BFLOAT16,
            "LongStorage", DataType.INT64,
            "IntStorage", DataType.INT32,
            "ShortStorage", DataType.INT16,
            "CharStorage", DataType.INT8,
            "ByteStorage", DataType.UINT8,
            "BoolStorage", DataType.BOOLEAN);

    @Override
    public Object construct(Object[] args) {
        throw new UnsupportedOperationException("torch." + name + " cannot be constructed from a pickle");
    }
}
