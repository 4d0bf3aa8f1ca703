package io.neuromask.model;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.transform.CenterCrop;
import ai.djl.modality.cv.transform.Normalize;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.modality.cv.translator.BaseImageTranslator;
import ai.djl.modality.cv.translator.ImageClassificationTranslator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.GradientCollector;
import ai.djl.translate.Pipeline;
import ai.djl.translate.Transform;
import ai.djl.translate.Translator;
import io.neuromask.base.Classifier;
import io.neuromask.io.LabelFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Classifiers from DJL {@link ZooModel}s ({@link Models#classifier}): the preprocessing of the model's
 * {@link BaseImageTranslator} (its pipeline of {@link Resize}, {@link CenterCrop}, {@link ToTensor}, {@link Normalize})
 * becomes the classifier's input size and in-graph normalisation; the labels are the translator's synset.
 *
 * <p>DJL offers no getters for a translator's pipeline, a {@link Normalize}'s mean and std, or a {@link CenterCrop}'s
 * size, so they are read by reflection from DJL's private fields ({@code BaseImageTranslator.pipeline},
 * {@code Normalize.mean}/{@code std}, {@code CenterCrop.width}/{@code height},
 * {@code ImageClassificationTranslator.classes}/{@code synsetLoader}); {@link Resize} and {@link Pipeline} have public
 * getters.
 */
final class DjlClassifiers {

    /** What the translator's pipeline means for the classifier. */
    record Preprocessing(int height, int width, Normalization normalization) {}

    private static final String EXPLICIT = "; give the input size and normalisation explicitly: "
            + "Models.classifier(model, height, width, normalization)";

    private DjlClassifiers() {}

    /**
     * Reads the input size and normalisation of a {@link BaseImageTranslator}'s pipeline: the size from the last
     * {@link Resize} or sized {@link CenterCrop}, the normalisation from {@link Normalize} after {@link ToTensor}.
     *
     * @throws IllegalArgumentException for another translator, a transform it cannot read, no {@link ToTensor}, or no
     *     input size, naming what to pass instead
     */
    static Preprocessing preprocessing(String name, Translator<?, ?> translator) {
        if (!(translator instanceof BaseImageTranslator<?> image)) {
            throw new IllegalArgumentException("cannot read the preprocessing of model " + name + ": its translator "
                    + (translator == null ? "is missing" : translator.getClass().getName() + " is not a DJL "
                            + "BaseImageTranslator (e.g. ImageClassificationTranslator)") + EXPLICIT);
        }
        Object flag = field(BaseImageTranslator.class, "flag", image);
        if (flag == Image.Flag.GRAYSCALE) {
            throw new IllegalArgumentException("model " + name + " reads grayscale images (Image.Flag.GRAYSCALE); "
                    + "NeuroMask explains 3-channel RGB classifiers");
        }
        Pipeline pipeline = (Pipeline) field(BaseImageTranslator.class, "pipeline", image);
        int height = -1;
        int width = -1;
        boolean tensor = false;
        Normalization normalization = Normalization.NONE;
        for (Transform t : pipeline == null ? List.<Transform>of() : pipeline.getTransforms()) {
            if (t instanceof Resize r) {
                height = r.getHeight();
                width = r.getWidth();
            } else if (t instanceof CenterCrop c) {
                int h = (Integer) field(CenterCrop.class, "height", c);
                int w = (Integer) field(CenterCrop.class, "width", c);
                if (h > 0 && w > 0) {
                    height = h;
                    width = w;
                } else if (height != width || height < 0) { // CenterCrop(): the largest centred square
                    throw new IllegalArgumentException("model " + name + "'s translator crops a centred square of an "
                            + "image whose size it does not fix" + EXPLICIT);
                }
            } else if (t instanceof ToTensor) {
                tensor = true;
            } else if (t instanceof Normalize n) {
                if (!tensor) {
                    throw new IllegalArgumentException("model " + name + "'s translator normalises before ToTensor "
                            + "(pixels in 0-255)" + EXPLICIT);
                }
                normalization = new Normalization((float[]) field(Normalize.class, "mean", n),
                        (float[]) field(Normalize.class, "std", n));
            } else {
                throw new IllegalArgumentException("cannot read transform " + t.getClass().getName() + " of model "
                        + name + "'s translator (NeuroMask reads Resize, CenterCrop, ToTensor and Normalize)" + EXPLICIT);
            }
        }
        if (!tensor) {
            throw new IllegalArgumentException("model " + name + "'s translator has no ToTensor, so its inputs are "
                    + "not [0, 1] pixels" + EXPLICIT);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("model " + name + "'s translator has no Resize or sized CenterCrop, so "
                    + "its input size is unknown" + EXPLICIT);
        }
        return new Preprocessing(height, width, normalization);
    }

    /**
     * The labels of a zoo model: its {@link ImageClassificationTranslator}'s synset, else the model's
     * {@code synset.txt}.
     */
    @SuppressWarnings("unchecked")
    static List<String> labels(ZooModel<?, ?> model) throws IOException {
        if (model.getTranslator() instanceof ImageClassificationTranslator t) {
            List<String> classes = (List<String>) field(ImageClassificationTranslator.class, "classes", t);
            if (classes != null) {
                return classes;
            }
            Object loader = field(ImageClassificationTranslator.class, "synsetLoader", t);
            if (loader != null) { // BaseImageTranslator.SynsetLoader is a protected class: call its load by reflection
                try {
                    java.lang.reflect.Method load = loader.getClass().getMethod("load", ai.djl.Model.class);
                    load.setAccessible(true);
                    return (List<String>) load.invoke(loader, model);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw new IOException("cannot read the synset of model " + model.getName() + ": "
                            + e.getCause().getMessage(), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot call SynsetLoader.load of this DJL version: " + e, e);
                }
            }
        }
        Path synset = model.getModelPath() == null ? null : model.getModelPath().resolve("synset.txt");
        if (synset != null && Files.isRegularFile(synset)) {
            return LabelFiles.read(synset);
        }
        throw new IOException("model " + model.getName() + " has no synset: give its translator one "
                + "(ImageClassificationTranslator.builder().optSynset(...) or optSynsetArtifactName) or put a synset.txt "
                + "beside it, or wrap it with BlockClassifier.ofModel(name, model, labels, height, width, normalization)");
    }

    /**
     * Wraps a zoo model, taking ownership of it. When its input gradients cannot be computed (e.g. libtorch loaded
     * its parameters as inference tensors, or its engine has no autograd) the classifier is forward-only
     * ({@link ForwardOnlyClassifier}), saying why.
     */
    static Classifier classifier(ZooModel<?, ?> model, List<String> labels, Preprocessing p) {
        BlockClassifier block = BlockClassifier.ofModel(model.getName(), model, labels, p.height(), p.width(),
                p.normalization()); // closes the model on failure
        String why = gradientProblem(block);
        return why == null ? block : new ForwardOnlyClassifier(block, why);
    }

    /** Null when a gradient reaches the pixels of a blank image, else why not. */
    private static String gradientProblem(BlockClassifier c) {
        try (NDManager m = NDManager.newBaseManager(c.device());
                GradientCollector collector = Engine.getEngine(m.getEngine().getEngineName()).newGradientCollector()) {
            NDArray x = m.zeros(new Shape(1, 3, c.inputHeight(), c.inputWidth()));
            x.setRequiresGradient(true);
            collector.backward(c.logits(x).get(":, 0").sum());
            x.getGradient();
            return null;
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().split("\n")[0];
            return "no input gradient could be computed: " + msg + "; for PyTorch models load it with "
                    + "Criteria.builder()...optOption(\"trainParam\", \"true\") so that libtorch loads its parameters as "
                    + "ordinary tensors, not inference tensors that autograd refuses";
        }
    }

    private static Object field(Class<?> owner, String name, Object instance) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(instance);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + owner.getSimpleName() + "." + name + " of this DJL "
                    + "version (" + e + ")" + EXPLICIT, e);
        }
    }
}
