package io.neuromask.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.SymbolBlock;
import io.neuromask.base.Classifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Classifiers from TorchScript files ({@code torch.jit.save}): the module must map an N×3×H×W normalised
 * batch to N×C logits. Files saved by PyTorch 1.x and 2.x load (libtorch reads older archives).
 *
 * <p>DJL runs a TorchScript module as one opaque block ({@link SymbolBlock}): its layers and their activations
 * cannot be reached, so methods that need a named layer (the CAM methods) do not run on it ({@link #isTorchScript}).
 */
public final class TorchScriptClassifier {

    private TorchScriptClassifier() {}

    /** Whether a classifier runs a TorchScript (or other opaque symbol) module, whose layers cannot be reached. */
    public static boolean isTorchScript(Classifier classifier) {
        return classifier instanceof BlockClassifier b && b.block() instanceof SymbolBlock;
    }

    /**
     * Loads a TorchScript file, named after the file without its extension.
     *
     * @see #load(String, Path, List, int, int, Normalization, Device)
     */
    public static BlockClassifier load(Path file, List<String> labels, int height, int width,
            Normalization normalization, Device device) throws IOException {
        return load(file.getFileName().toString().replaceFirst("\\.[^.]*$", ""), file, labels, height, width,
                normalization, device);
    }

    /**
     * Loads a TorchScript file.
     *
     * @param name the classifier's name (recorded in explanations and results files)
     * @param file a {@code .pt} TorchScript archive
     * @param labels one per output class
     * @param normalization what the module expects applied to [0, 1] pixels
     * @throws IOException naming the file when it is missing, not a TorchScript archive (e.g. a state_dict saved by
     *     {@code torch.save}) or cannot be loaded
     * @throws IllegalArgumentException when the module fails on an input of the given size, or its output does not
     *     have one column per label
     */
    public static BlockClassifier load(String name, Path file, List<String> labels, int height, int width,
            Normalization normalization, Device device) throws IOException {
        checkArchive(file);
        Device dev = device != null ? device : Engine.getEngine("PyTorch").defaultDevice();
        Model model = Model.newInstance(name, dev, "PyTorch");
        try {
            // trainParam: libtorch loads the parameters as ordinary tensors; otherwise DJL loads them as inference
            // tensors, which autograd refuses to save ("Inference tensors cannot be saved for backward"), and no
            // gradient reaches the pixels. BlockClassifier freezes them all the same.
            model.load(file, null, java.util.Map.of("trainParam", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load " + file + " as TorchScript: " + firstLine(e.getMessage())
                    + "; save the model with torch.jit.save(torch.jit.trace(model, example), \"model.pt\") or "
                    + "torch.jit.script", e);
        }
        try {
            return BlockClassifier.ofModel(name, model, labels, height, width, normalization); // closes model on failure
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TorchScript model " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("TorchScript model " + file + " fails on a 1x3x" + height + "x" + width
                    + " input: " + firstLine(e.getMessage()) + "; give the input size (and a normalisation) the model "
                    + "was traced or scripted for, and check that it takes one N x 3 x H x W tensor and returns N x C "
                    + "logits", e);
        }
    }

    /**
     * Refuses, before libtorch sees it, a file that is missing or is no TorchScript archive (empty, not a zip archive,
     * a legacy {@code torch.save} pickle, a damaged zip, a zip without TorchScript's {@code code/}).
     *
     * @throws IOException naming the file, what it is, and how to save a TorchScript file
     */
    public static void checkArchive(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("TorchScript file not found: " + file.toAbsolutePath() + "; give the path of the .pt "
                    + "file that torch.jit.save wrote");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file.toAbsolutePath() + " is not a file; give the .pt file that torch.jit.save wrote");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read TorchScript file " + file.toAbsolutePath() + " (permission denied)");
        }
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        String how = "; save the model with torch.jit.save(torch.jit.trace(model, example), \"model.pt\") or "
                + "torch.jit.script";
        if (n < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            String what = n == 0 ? "it is empty"
                    : (head[0] & 0xff) == 0x80 ? "it looks like a legacy torch.save pickle (a state_dict or a pickled "
                            + "module), which holds weights but not the network's code"
                    : "a TorchScript file is a zip archive, and this one does not start like one";
            throw new IOException(file + " is not a TorchScript archive: " + what + how);
        }
        boolean code = false;
        boolean constants = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                code |= entry.contains("/code/");
                constants |= entry.endsWith("/constants.pkl");
            }
        } catch (ZipException e) {
            throw new IOException(file + " is not a TorchScript archive: it starts like a zip archive but cannot be "
                    + "read as one (" + e.getMessage() + "; truncated or damaged?)" + how, e);
        }
        if (!code || !constants) {
            throw new IOException(file + " is not a TorchScript archive: it is a zip archive without TorchScript's "
                    + "code/ and constants.pkl (torch.save of a state_dict or a module writes such a file: weights "
                    + "without the network's code)" + how);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
