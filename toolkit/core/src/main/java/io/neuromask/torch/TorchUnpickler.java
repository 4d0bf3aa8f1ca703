package io.neuromask.torch;

import java.util.LinkedHashMap;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * A razorvine {@link Unpickler} that understands PyTorch's pickles: persistent ids of storages,
 * {@code torch._utils._rebuild_tensor[_v2]}, {@code _rebuild_parameter} and {@code collections.OrderedDict}.
 */
final class TorchUnpickler extends Unpickler {

    /** An {@code OrderedDict}; its pickled attributes (e.g. {@code _metadata}) are ignored. */
    public static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Called by BUILD with the instance attributes, which a state_dict does not need. */
        public void __setstate__(java.util.HashMap<?, ?> state) {
            // attributes such as _metadata carry no weights
        }
    }

    static {
        registerConstructor("collections", "OrderedDict", args -> new OrderedDict());
        IObjectConstructor rebuild = TorchUnpickler::rebuildTensor;
        registerConstructor("torch._utils", "_rebuild_tensor", rebuild);
        registerConstructor("torch._utils", "_rebuild_tensor_v2", rebuild);
        registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        StorageType.KNOWN.forEach((name, type) -> registerConstructor("torch", name, new StorageType(name, type)));
    }

    private final Function<Object[], TorchStorage> storages;

    /** @param storages maps a persistent id tuple {@code ('storage', type, key, location, numel, ...)} to its storage */
    TorchUnpickler(Function<Object[], TorchStorage> storages) {
        this.storages = storages;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new PickleException("unsupported persistent id in checkpoint: " + describe(pid));
        }
        if (!(t[1] instanceof StorageType)) {
            throw new PickleException("unsupported storage type " + t[1] + "; known: torch." + StorageType.KNOWN.keySet());
        }
        return storages.apply(t);
    }

    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof TorchStorage storage)) {
            throw new PickleException("unexpected arguments to torch._utils._rebuild_tensor: " + describe(args));
        }
        return new TorchTensor(storage, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
    }

    private static long[] longs(Object tuple) {
        Object[] t = (Object[]) tuple;
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    private static String describe(Object o) {
        return o instanceof Object[] a ? java.util.Arrays.deepToString(a) : String.valueOf(o);
    }
}
