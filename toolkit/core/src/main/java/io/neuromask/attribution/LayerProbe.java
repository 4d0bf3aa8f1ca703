package io.neuromask.attribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pass-through wrapper around one layer of a DJL block tree that, only while the current thread has
 * switched it on, cuts the autograd graph at the layer's output: the output is replaced by a fresh leaf
 * that requires a gradient, so a backward pass yields {@code ∂score/∂activation} without differentiating
 * the layers below. DJL has no forward hooks; this is the hook.
 *
 * <p>A probe is installed once per layer, in place of the layer in its parent's child list, and stays
 * there (it is inactive for every other caller and every other thread; the wrapped layer keeps its
 * parameters). It is registered as the probe's only child, so the tree's parameters are unchanged.
 */
final class LayerProbe extends AbstractBlock {

    private static final ThreadLocal<NDArray[]> CAPTURE = new ThreadLocal<>();
    private static final String CHILD = "probed";

    private final Block inner;

    private LayerProbe(Block inner) {
        this.inner = addChildBlock(CHILD, inner);
    }

    /** The layer this probe wraps. */
    Block inner() {
        return inner;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList out = inner.forward(store, inputs, training, params);
        NDArray[] slot = CAPTURE.get();
        if (slot == null) {
            return out;
        }
        if (out.size() != 1) {
            throw new IllegalArgumentException("the probed layer returns " + out.size()
                    + " arrays; pick a layer with a single N×C×H×W output");
        }
        NDArray leaf = out.singletonOrThrow().stopGradient();
        leaf.setRequiresGradient(true);
        slot[0] = leaf;
        return new NDList(leaf);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        inner.initialize(manager, dataType, inputShapes);
    }

    /**
     * Runs {@code action} with this thread's probes switched on and returns the captured activation
     * (a leaf with a gradient after a backward pass), or {@code null} when no probe was reached.
     */
    static NDArray capture(Runnable action) {
        NDArray[] slot = new NDArray[1];
        CAPTURE.set(slot);
        try {
            action.run();
        } finally {
            CAPTURE.remove();
        }
        return slot[0];
    }

    // ---- finding layers by dotted path ----

    /**
     * Installs (or finds) the probe on the layer at a dotted path. Each path segment names a child: its
     * DJL key (e.g. {@code 03stage3}), the key without DJL's two-digit order prefix ({@code stage3}),
     * or its 0-based position ({@code 12}, as in PyTorch's {@code features.12}).
     *
     * @throws IllegalArgumentException for an unknown path, listing the valid ones
     */
    static LayerProbe install(Block root, String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a class activation map needs a layer name; valid names: "
                    + describe(root));
        }
        Block parent = null;
        int index = -1;
        Block current = root;
        for (String segment : path.trim().split("\\.")) {
            current = unwrap(current);
            BlockList children = current.getChildren();
            int found = find(children, segment);
            if (found < 0) {
                throw new IllegalArgumentException("no layer '" + path + "' (segment '" + segment + "' not found); "
                        + "valid layer names: " + describe(root));
            }
            parent = current;
            index = found;
            current = children.valueAt(found);
        }
        if (parent == null) {
            throw new IllegalArgumentException("empty layer path; valid layer names: " + describe(root));
        }
        if (current instanceof LayerProbe probe) {
            return probe;
        }
        if (!(parent instanceof AbstractBlock)) {
            throw new IllegalArgumentException("cannot hook layer '" + path + "': its parent "
                    + parent.getClass().getSimpleName() + " is not a DJL AbstractBlock");
        }
        synchronized (parent) {
            BlockList list = childList((AbstractBlock) parent);
            Block now = list.valueAt(index);
            if (now instanceof LayerProbe probe) {
                return probe;
            }
            LayerProbe probe = new LayerProbe(now);
            String key = list.keyAt(index);
            list.remove(index);
            list.add(index, key, probe);
            return probe;
        }
    }

    /** Puts the original layer back (used when a probe turns out not to be reachable). */
    static void uninstall(Block root, LayerProbe probe) {
        uninstall(unwrap(root), probe, 0);
    }

    private static boolean uninstall(Block block, LayerProbe probe, int depth) {
        if (!(block instanceof AbstractBlock ab) || depth > 64) {
            return false;
        }
        synchronized (block) {
            BlockList list = childList(ab);
            for (int i = 0; i < list.size(); i++) {
                if (list.valueAt(i) == probe) {
                    String key = list.keyAt(i);
                    list.remove(i);
                    list.add(i, key, probe.inner);
                    return true;
                }
            }
        }
        for (Block child : block.getChildren().values()) {
            if (uninstall(unwrap(child), probe, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private static BlockList childList(AbstractBlock block) {
        try {
            Field f = AbstractBlock.class.getDeclaredField("children");
            f.setAccessible(true);
            return (BlockList) f.get(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the child list of " + block.getClass().getName()
                    + " to hook a layer (DJL version change?): " + e, e);
        }
    }

    private static Block unwrap(Block b) {
        return b instanceof LayerProbe p ? p.inner : b;
    }

    private static int find(BlockList children, String segment) {
        for (int i = 0; i < children.size(); i++) {
            if (children.keyAt(i).equals(segment)) {
                return i;
            }
        }
        int match = -1;
        for (int i = 0; i < children.size(); i++) {
            if (stripped(children.keyAt(i)).equalsIgnoreCase(segment)) {
                if (match >= 0) {
                    match = -2; // ambiguous: fall through to the index
                    break;
                }
                match = i;
            }
        }
        if (match >= 0) {
            return match;
        }
        if (segment.matches("\\d+")) {
            int i = Integer.parseInt(segment);
            return i < children.size() ? i : -1;
        }
        return -1;
    }

    /** The key without DJL's two-digit order prefix. */
    static String stripped(String key) {
        return key.matches("\\d{2}.+") ? key.substring(2) : key;
    }

    /** Every layer's dotted path, depth first, unique names preferred over indices. */
    static List<String> names(Block root) {
        List<String> out = new ArrayList<>();
        collect(unwrap(root), "", out, 0);
        return out;
    }

    private static void collect(Block block, String prefix, List<String> out, int depth) {
        if (depth > 32) {
            return;
        }
        BlockList children = block.getChildren();
        for (int i = 0; i < children.size(); i++) {
            String name = stripped(children.keyAt(i));
            int same = 0;
            for (int j = 0; j < children.size(); j++) {
                if (stripped(children.keyAt(j)).equalsIgnoreCase(name)) {
                    same++;
                }
            }
            String segment = same == 1 && !name.matches("\\d+") ? name : Integer.toString(i);
            Block child = unwrap(children.valueAt(i));
            String path = prefix.isEmpty() ? segment : prefix + "." + segment;
            out.add(path + " (" + child.getClass().getSimpleName() + ")");
            collect(child, path, out, depth + 1);
        }
    }

    private static String describe(Block root) {
        List<String> names = names(root);
        if (names.isEmpty()) {
            return "(none: the model is a single block without layers)";
        }
        String all = String.join(", ", names.subList(0, Math.min(60, names.size())));
        return all + (names.size() > 60 ? String.format(Locale.ROOT, ", ... (%d in all)", names.size()) : "");
    }
}
