package io.neuromask.model;

import io.neuromask.base.Classifier;
import ai.djl.Device;
import ai.djl.repository.zoo.ZooModel;
import io.neuromask.io.LabelFiles;
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
 *   <li>{@link #torchScript} files and DJL {@link #zoo} models; a manifest entry of architecture
 *       {@value #TORCHSCRIPT} names a TorchScript file by name;</li>
 *   <li>any DJL {@code ZooModel<Image, Classifications>} with its translator's preprocessing ({@link #classifier}),
 *       any loaded DJL {@code Model} ({@link BlockClassifier#ofModel}), and a classifier without gradients
 *       ({@link #forwardOnly}), which runs the forward-only methods only.</li>
 * </ul>
 * TorchScript models run as one opaque block: every method runs on them but the CAM methods, whose layer cannot be
 * reached ({@code io.neuromask.attribution.Methods.unavailable}).
 */
public final class Models {

    private static final Map<String, Function<Device, Classifier>> BUILT_IN = new LinkedHashMap<>();

    /** Grad-CAM layers of the built-in models (manifest models name theirs in {@code gradcamLayer}). */
    private static final Map<String, String> BUILT_IN_GRADCAM_LAYERS = Map.of("test-cnn32", "7");

    /**
     * Builds a manifest model's block from its files: one per {@code architecture} value of
     * {@code models/models.json}. A new architecture is a class plus {@link #registerArchitecture} plus a
     * manifest entry.
     */
    @FunctionalInterface
    public interface Architecture {
        /**
         * @param entry the manifest entry
         * @param root the folder its {@code files} were resolved into
         */
        BlockClassifier load(Manifest.ModelEntry entry, Path root, Device device) throws IOException;
    }

    private static final Map<String, Architecture> ARCHITECTURES = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The architecture of a manifest model that is a TorchScript file: {@code weights} names the {@code .pt}
     * file, {@code labelsFile} its labels, {@code inputHeight}/{@code inputWidth} its input and
     * {@code normalization} what it expects ({@code none}, {@code imagenet} or {@code M,M,M/S,S,S},
     * {@link Normalization#parse}).
     */
    public static final String TORCHSCRIPT = "torchscript";

    static {
        BUILT_IN.put("test-planted-32", d -> PlantedEvidence.model(32, d));
        BUILT_IN.put("test-planted-224", d -> PlantedEvidence.model(224, d));
        BUILT_IN.put("test-cnn32", d -> TinyCnn.model(0, d));
        registerArchitecture("cifar-resnet", (entry, root, device) -> CifarResNet.classifier(entry.name(), entry.depth(),
                TorchCheckpoint.read(root.resolve(entry.weights())).stateDict(), device, CifarResNet.foldRequested()));
        registerArchitecture("squeezenet1.1", (entry, root, device) -> SqueezeNet.classifier(entry.name(),
                SqueezeNet.readNpyWeights(root.resolve(entry.weights())), LabelFiles.read(root.resolve(entry.labelsFile())),
                device));
        registerArchitecture(TORCHSCRIPT, Models::torchScriptEntry);
    }

    private static BlockClassifier torchScriptEntry(Manifest.ModelEntry entry, Path root, Device device)
            throws IOException {
        List<String> missing = new java.util.ArrayList<>();
        if (entry.weights() == null) {
            missing.add("weights (the .pt file)");
        }
        if (entry.labelsFile() == null) {
            missing.add("labelsFile (one class name per line)");
        }
        if (entry.inputHeight() <= 0 || entry.inputWidth() <= 0) {
            missing.add("inputHeight and inputWidth (positive)");
        }
        if (entry.normalization() == null) {
            missing.add("normalization (none, imagenet or M,M,M/S,S,S)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("model " + entry.name() + " of architecture " + TORCHSCRIPT + " lacks "
                    + String.join(", ", missing) + " in its manifest entry");
        }
        Normalization normalization;
        try {
            normalization = Normalization.parse(entry.normalization());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + entry.name() + ": " + e.getMessage(), e);
        }
        return TorchScriptClassifier.load(entry.name(), root.resolve(entry.weights()),
                LabelFiles.read(root.resolve(entry.labelsFile())), entry.inputHeight(), entry.inputWidth(),
                normalization, device);
    }

    /** Registers (or replaces) how manifest entries of an {@code architecture} are built. */
    public static void registerArchitecture(String architecture, Architecture builder) {
        ARCHITECTURES.put(java.util.Objects.requireNonNull(architecture, "architecture"),
                java.util.Objects.requireNonNull(builder, "builder"));
    }

    /**
     * The layer the CAM methods (Grad-CAM, Grad-CAM++, Score-CAM, LayerCAM) explain by default for a model: the
     * manifest entry's {@code gradcamLayer}, or the built-in test model's.
     */
    public static java.util.Optional<String> gradcamLayer(String name) {
        if (BUILT_IN_GRADCAM_LAYERS.containsKey(name)) {
            return java.util.Optional.of(BUILT_IN_GRADCAM_LAYERS.get(name));
        }
        return Manifest.builtIn().model(name).map(Manifest.ModelEntry::gradcamLayer);
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
        Threads.configure();
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
        Threads.configure();
        Path root = store.resolveAll(entry.files());
        // the built-in architectures normalise with ImageNet's statistics; a TorchScript entry names its own
        if (!TORCHSCRIPT.equals(entry.architecture()) && !"imagenet".equalsIgnoreCase(entry.normalization())) {
            throw new IllegalArgumentException("model " + entry.name() + " declares normalisation "
                    + entry.normalization() + ", but its architecture " + entry.architecture() + " uses imagenet");
        }
        Architecture architecture = ARCHITECTURES.get(entry.architecture());
        if (architecture == null) {
            throw new IllegalArgumentException("model " + entry.name() + " has unknown architecture "
                    + entry.architecture() + "; known: " + String.join(", ", new java.util.TreeSet<>(ARCHITECTURES.keySet())));
        }
        return architecture.load(entry, root, device);
    }

    /**
     * A TorchScript classifier in one line, e.g. {@code Models.torchScript(Path.of("resnet18.pt"),
     * Path.of("synset.txt"), 224, 224, Normalization.IMAGENET, null)}.
     *
     * @param labels a file of one class name per line
     */
    public static Classifier torchScript(Path file, Path labels, int height, int width, Normalization normalization,
            Device device) throws IOException {
        return torchScript(file.getFileName().toString().replaceFirst("\\.[^.]*$", ""), file, labels, height, width,
                normalization, device);
    }

    /**
     * {@link #torchScript(Path, Path, int, int, Normalization, Device)} under a name of the caller's choice (the
     * command line names a file model after the file and a digest of it and its settings).
     *
     * @throws IOException naming the file when it or the labels file is missing, or it is not TorchScript
     * @throws IllegalArgumentException when the model fails on an input of the given size, or its output does not
     *     have one column per label (naming both files)
     */
    public static Classifier torchScript(String name, Path file, Path labels, int height, int width,
            Normalization normalization, Device device) throws IOException {
        Threads.configure();
        TorchScriptClassifier.checkArchive(file);
        List<String> names = LabelFiles.read(labels);
        try {
            return TorchScriptClassifier.load(name, file, names, height, width, normalization, device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (labels from " + labels + ")", e);
        }
    }

    /**
     * A DJL model-zoo classifier in one line, e.g. {@code Models.zoo(ZooClassifier.RESNET50, null)} (online), at
     * 224×224 with ImageNet normalisation whatever the model's translator says; for the translator's own
     * preprocessing load a {@code ZooModel<Image, Classifications>} and use {@link #classifier(ZooModel)}.
     */
    public static Classifier zoo(String url, Device device) throws IOException {
        return ZooClassifier.load(url, 224, 224, Normalization.IMAGENET, device);
    }

    /**
     * A classifier from any DJL image-classification model, keeping its translator's preprocessing: the input size of
     * its {@code Resize} (or sized {@code CenterCrop}), the mean and std of its {@code Normalize} (applied in-graph,
     * to [0, 1] pixels), and the labels of its synset. The model's block must map the normalised N×3×H×W batch to
     * N×C scores. Takes ownership: closing the classifier closes the model.
     *
     * <pre>{@code
     * ZooModel<Image, Classifications> model = Criteria.builder().setTypes(Image.class, Classifications.class)
     *         .optModelPath(Path.of("resnet18.pt")).optEngine("PyTorch").optOption("trainParam", "true")
     *         .optTranslator(ImageClassificationTranslator.builder().addTransform(new Resize(224, 224))
     *                 .addTransform(new ToTensor()).addTransform(new Normalize(mean, std))
     *                 .optSynsetArtifactName("synset.txt").optApplySoftmax(true).build())
     *         .build().loadModel();
     * Classifier classifier = Models.classifier(model);
     * }</pre>
     *
     * When no input gradient can be computed (PyTorch without {@code optOption("trainParam", "true")}, an engine
     * without autograd) the classifier is {@linkplain #forwardOnly forward-only}, saying why.
     *
     * @throws IllegalArgumentException when the translator is not DJL's {@code BaseImageTranslator} (e.g.
     *     {@code ImageClassificationTranslator}) or has a transform other than {@code Resize}, {@code CenterCrop},
     *     {@code ToTensor} and {@code Normalize}, saying to use {@link #classifier(ZooModel, int, int, Normalization)};
     *     or when the model's output does not have one column per label
     * @throws IOException when the model has no synset
     */
    public static Classifier classifier(ZooModel<?, ?> model) throws IOException {
        DjlClassifiers.Preprocessing p;
        List<String> labels;
        try {
            p = DjlClassifiers.preprocessing(model.getName(), model.getTranslator());
            labels = DjlClassifiers.labels(model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return DjlClassifiers.classifier(model, labels, p);
    }

    /**
     * {@link #classifier(ZooModel)} with the input size and normalisation given, for a translator whose preprocessing
     * cannot be read; the labels are still the translator's synset (or the model's {@code synset.txt}). Takes
     * ownership of the model.
     */
    public static Classifier classifier(ZooModel<?, ?> model, int height, int width, Normalization normalization)
            throws IOException {
        List<String> labels;
        try {
            labels = DjlClassifiers.labels(model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return DjlClassifiers.classifier(model, labels, new DjlClassifiers.Preprocessing(height, width, normalization));
    }

    /**
     * A classifier that computes no gradients ({@link Classifier#supportsGradients()} false), e.g. one whose engine
     * has no autograd: occlusion, RISE and the centre baseline run on it; the gradient methods, the CAM methods and
     * the mask methods refuse it by name ({@code io.neuromask.attribution.Methods.unavailable}), giving
     * {@code reason}.
     * Closing it closes {@code classifier}.
     */
    public static Classifier forwardOnly(Classifier classifier, String reason) {
        return new ForwardOnlyClassifier(classifier, reason);
    }

    /** The registered names: pretrained models first, then the test models. */
    public static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        ModelStore.environmentManifest().models().forEach(m -> names.add(m.name()));
        names.addAll(BUILT_IN.keySet());
        return Collections.unmodifiableSet(names);
    }

    /** The test models that need no files. */
    public static List<String> builtInNames() {
        return List.copyOf(BUILT_IN.keySet());
    }
}
