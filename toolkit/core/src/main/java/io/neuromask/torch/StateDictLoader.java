package io.neuromask.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Copies a PyTorch state_dict into an initialised DJL {@link Block}: "load your PyTorch state_dict into DJL".
 *
 * <p>Each DJL parameter gets a PyTorch-style name: the names of the child blocks on its path (without
 * DJL's {@code 01}, {@code 02}, ... prefixes), joined by dots, then the parameter name, with batch norm's
 * {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar} renamed to {@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var}. Build a block whose child names follow the PyTorch module
 * names (as {@code io.neuromask.model.CifarResNet} does) and the state_dict maps one to one.
 *
 * <p>A {@code module.} prefix (from {@code nn.DataParallel}) is stripped, and {@code num_batches_tracked}
 * counters are ignored. Any missing, unexpected or mis-shaped key is an {@link IllegalArgumentException}
 * that lists them all.
 */
public final class StateDictLoader {

    private static final Map<String, String> RENAMES = Map.of(
            "gamma", "weight", "beta", "bias", "runningMean", "running_mean", "runningVar", "running_var");

    private StateDictLoader() {}

    /**
     * The block's parameters by PyTorch-style name, in block order.
     *
     * @throws IllegalArgumentException when the block is not initialised
     */
    public static Map<String, Parameter> torchNames(Block block) {
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("initialise the block (block.initialize(...)) before loading weights");
        }
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + RENAMES.getOrDefault(p.getKey(), p.getKey()), p.getValue());
        }
        ai.djl.nn.BlockList children = block.getChildren();
        for (int i = 0; i < children.size(); i++) {
            String name = children.get(i).getKey();
            String index = String.format(Locale.ROOT, "%02d", i + 1);
            String torchName = name.startsWith(index) ? name.substring(index.length()) : name;
            collect(children.get(i).getValue(), prefix + torchName + ".", out);
        }
    }

    /**
     * Copies every tensor of {@code stateDict} into the parameter of the same name.
     *
     * @throws IllegalArgumentException listing every missing, unexpected and mis-shaped key; nothing is
     *     copied then
     */
    public static void load(Block block, Map<String, TorchTensor> stateDict) {
        Map<String, Parameter> params = torchNames(block);
        Map<String, TorchTensor> sd = normalise(stateDict);
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(params.keySet());
        missing.removeAll(sd.keySet());
        TreeSet<String> unexpected = new TreeSet<>(sd.keySet());
        unexpected.removeAll(params.keySet());
        if (!missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            TorchTensor t = sd.get(e.getKey());
            Shape want = e.getValue().getArray().getShape();
            if (t != null && !t.shape().equals(want)) {
                problems.add("key " + e.getKey() + " has shape " + t.shape() + " but the block expects " + want);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("state_dict does not fit the " + block.getClass().getSimpleName()
                    + ": " + String.join("; ", problems)
                    + ". Check that the checkpoint and the architecture (e.g. the depth) match.");
        }
        if (!params.isEmpty()) {
            // libtorch's once-per-process deprecation notice of DJL's tensor copy, given unprinted
            TorchWarnings.consumeDeprecationNotice(params.values().iterator().next().getArray().getManager());
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            TorchTensor t = sd.get(e.getKey());
            if (!t.dataType().isFloating()) {
                throw new IllegalArgumentException("key " + e.getKey() + " holds " + t.dataType() + ", expected floats");
            }
            NDArray target = e.getValue().getArray();
            target.set(FloatBuffer.wrap(t.toFloatArray()));
        }
    }

    /**
     * The state dict with {@code DataParallel}'s {@code module.} prefix removed (when every key has it) and without
     * BatchNorm's {@code num_batches_tracked} counters, in the same order.
     */
    public static Map<String, TorchTensor> normalise(Map<String, TorchTensor> stateDict) {
        boolean wrapped = !stateDict.isEmpty() && stateDict.keySet().stream().allMatch(k -> k.startsWith("module."));
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (!k.endsWith("num_batches_tracked")) {
                out.put(wrapped ? k.substring("module.".length()) : k, v);
            }
        });
        return out;
    }
}
