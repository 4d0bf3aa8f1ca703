package io.neuromask.model;

import ai.djl.Device;
import io.neuromask.data.LabelFiles;
import io.neuromask.store.Manifest;
import io.neuromask.store.ModelStore;
import io.neuromask.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads classifiers by name, or from elsewhere in one line.
 * <ul>
 *   <li>Pretrained models from the manifest ({@code models/models.json}), fetched and verified by the
 *       {@link ModelStore}: {@code cifar10-resnet20}, {@code -resnet32}, {@code -resnet44}, {@code -resnet56},
 *       {@code imagenet-squeezenet1.1};</li>
 *   <li>built-in test models: {@code test-planted-32}, {@code test-planted-224} ({@link PlantedEvidence}),
 *       {@code test-cnn32} (a seeded random {@link TinyCnn});</li>
 *   <li>{@link #torchScript} files and DJL {@link #zoo} models.</li>
 * </ul>
 */
public final class Models {

    private static final Map<String, Function<Device, Classifier>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("test-planted-32", d -> PlantedEvidence.model(32, d));
        BUILT_IN.put("test-planted-224", d -> PlantedEvidence.model(224, d));
        BUILT_IN.put("test-cnn32", d -> TinyCnn.model(0, d));
    }

    private Models() {}

    /**
     * Loads a model, fetching pretrained weights through {@link ModelStore#fromEnvironment()}.
     *
     * @param name a registered name
     * @param device where to run; {@code null} for the default (GPU when present)
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws UncheckedIOException when weights are missing, corrupt or fail their checksum (the message
     *     says how to fix it)
     */
    public static Classifier load(String name, Device device) {
        Function<Device, Classifier> factory = BUILT_IN.get(name);
        if (factory != null) {
            return factory.apply(device);
        }
        ModelStore store = ModelStore.fromEnvironment();
        Manifest.ModelEntry entry = store.manifest().model(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown model '" + name + "'; known models: " + String.join(", ", names())));
        try {
            return load(entry, store, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Loads a manifest model through the given store. */
    public static BlockClassifier load(Manifest.ModelEntry entry, ModelStore store, Device device) throws IOException {
        Path root = store.resolveAll(entry.files());
        if (!"imagenet".equalsIgnoreCase(entry.normalization())) {
            throw new IllegalArgumentException("model " + entry.name() + " declares normalisation "
                    + entry.normalization() + ", but its architecture " + entry.architecture() + " uses imagenet");
        }
        return switch (entry.architecture()) {
            case "cifar-resnet" -> CifarResNet.classifier(entry.name(), entry.depth(),
                    TorchCheckpoint.read(root.resolve(entry.weights())).stateDict(), device);
            case "squeezenet1.1" -> SqueezeNet.classifier(entry.name(),
                    SqueezeNet.readNpyWeights(root.resolve(entry.weights())), LabelFiles.read(root.resolve(entry.labelsFile())),
                    device);
            default -> throw new IllegalArgumentException("model " + entry.name() + " has unknown architecture "
                    + entry.architecture());
        };
    }

    /**
     * A TorchScript classifier in one line, e.g. {@code Models.torchScript(Path.of("resnet18.pt"),
     * Path.of("synset.txt"), 224, 224, Normalization.IMAGENET, null)}.
     *
     * @param labels a file of one class name per line
     */
    public static Classifier torchScript(Path file, Path labels, int height, int width, Normalization normalization,
            Device device) throws IOException {
        return TorchScriptClassifier.load(file, LabelFiles.read(labels), height, width, normalization, device);
    }

    /** A DJL model-zoo classifier in one line, e.g. {@code Models.zoo(ZooClassifier.RESNET50, null)} (online). */
    public static Classifier zoo(String url, Device device) throws IOException {
        return ZooClassifier.load(url, 224, 224, Normalization.IMAGENET, device);
    }

    /** The registered names: pretrained models first, then the test models. */
    public static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        Manifest.builtIn().models().forEach(m -> names.add(m.name()));
        names.addAll(BUILT_IN.keySet());
        return Collections.unmodifiableSet(names);
    }

    /** The test models that need no files. */
    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }
}
