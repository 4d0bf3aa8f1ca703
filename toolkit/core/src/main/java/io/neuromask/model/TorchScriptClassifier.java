package io.neuromask.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Classifiers from TorchScript files ({@code torch.jit.save}): the module must map an N×3×H×W normalised
 * batch to N×C logits.
 */
public final class TorchScriptClassifier {

    private TorchScriptClassifier() {}

    /**
     * Loads a TorchScript file.
     *
     * @param file a {@code .pt} TorchScript archive
     * @param labels one per output class
     * @param normalization what the module expects applied to [0, 1] pixels
     * @throws IOException naming the file when it is missing or not TorchScript
     */
    public static BlockClassifier load(Path file, List<String> labels, int height, int width,
            Normalization normalization, Device device) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("TorchScript file not found: " + file.toAbsolutePath());
        }
        Device dev = device != null ? device : Engine.getEngine("PyTorch").defaultDevice();
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Model model = Model.newInstance(name, dev, "PyTorch");
        try {
            model.load(file);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load " + file + " as TorchScript (save it with torch.jit.save(torch.jit.trace"
                    + "(model, example))): " + e.getMessage(), e);
        }
        return BlockClassifier.ofModel(name, model, labels, height, width, normalization);
    }
}
