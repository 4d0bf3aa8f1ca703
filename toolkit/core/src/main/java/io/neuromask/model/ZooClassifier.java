package io.neuromask.model;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.neuromask.io.LabelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Classifiers from the DJL model zoo through {@link Criteria} (needs internet the first time), e.g. the
 * PyTorch ImageNet ResNet-50: {@code ZooClassifier.load("djl://ai.djl.pytorch/resnet", 224, 224,
 * Normalization.IMAGENET, null)}. Labels come from the model's {@code synset.txt}.
 */
public final class ZooClassifier {

    /** The DJL zoo URL of the PyTorch ResNet-50 for ImageNet. */
    public static final String RESNET50 = "djl://ai.djl.pytorch/resnet";

    private ZooClassifier() {}

    /**
     * Loads a zoo model whose block maps a normalised N×3×H×W batch to N×C logits.
     *
     * @param url a DJL model URL, e.g. {@link #RESNET50}
     * @throws IOException when the model cannot be fetched or has no {@code synset.txt}
     */
    public static BlockClassifier load(String url, int height, int width, Normalization normalization, Device device)
            throws IOException {
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class).optModelUrls(url)
                .optEngine("PyTorch").optTranslator(new NoopTranslator()).optDevice(device)
                // ordinary (not inference) parameter tensors, so that gradients reach the pixels (TorchScriptClassifier)
                .optOption("trainParam", "true").build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (Exception e) {
            throw new IOException("cannot load zoo model " + url + " (it needs internet the first time, or a DJL "
                    + "cache in ~/.djl.ai): " + e.getMessage(), e);
        }
        List<String> labels;
        try {
            Path synset = model.getModelPath().resolve("synset.txt");
            if (!Files.isRegularFile(synset)) {
                throw new IOException("zoo model " + url + " has no synset.txt; load it as TorchScript with a labels file");
            }
            labels = LabelFiles.read(synset);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return BlockClassifier.ofModel(url, model, labels, height, width, normalization); // closes model on failure
    }
}
