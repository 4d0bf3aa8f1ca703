package io.neuromask.options;

import ai.djl.Device;
import io.neuromask.base.Classifier;
import io.neuromask.io.LabelFiles;
import io.neuromask.model.Models;
import io.neuromask.model.Normalization;
import io.neuromask.model.TorchScriptClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The model: {@code --model NAME}, or a TorchScript file, {@code --model-file FILE --labels FILE --input-size N|HxW
 * [--normalization none|imagenet|M,M,M/S,S,S]}. A picocli mixin, the one declaration of all five options. Commands
 * that pass the model on by name (the Spark jobs, bench-shared) take {@code --model} only ({@link #namesOnly}).
 */
public final class ModelOption {

    /** The options that describe a TorchScript file, which {@link #namesOnly} removes. */
    public static final List<String> FILE_OPTIONS = List.of("--model-file", "--labels", "--input-size",
            "--normalization");

    /** The largest side {@code --input-size} takes. */
    public static final int MAX_SIDE = 8192;

    private static final String NAME_DESCRIPTION = "Model name (see 'neuromask models list')";

    @Option(names = "--model", description = NAME_DESCRIPTION + "; required unless --model-file gives a TorchScript "
            + "file.")
    String model;

    @Option(names = "--model-file", paramLabel = "FILE", description = "A TorchScript classifier instead of --model: "
            + "a .pt file that torch.jit.save wrote (of torch.jit.trace or torch.jit.script), mapping an N x 3 x H x W "
            + "batch to N x C logits; PyTorch 1.x and 2.x files load. Needs --labels and --input-size. The CAM "
            + "methods (gradcam, gradcam++, scorecam, layercam, opticam) do not run on it (its layers cannot be "
            + "reached); the other methods do.")
    Path modelFile;

    @Option(names = "--labels", paramLabel = "FILE", description = "With --model-file: the class names, one per line "
            + "in output order, as many as the model has outputs.")
    Path labels;

    @Option(names = "--input-size", paramLabel = "N|HxW", description = "With --model-file: the input the model "
            + "takes, in pixels, e.g. 32 or 224x224 (height x width); images are resized to it.")
    String inputSize;

    @Option(names = "--normalization", paramLabel = "none|imagenet|M,M,M/S,S,S", description = "With --model-file: "
            + "what the model expects done to RGB pixels in [0, 1]: none (the default: the model gets [0, 1] pixels, "
            + "right for a model that normalises inside), imagenet (torchvision's mean 0.485,0.456,0.406 and std "
            + "0.229,0.224,0.225; most torchvision models need it) or three means / three positive standard "
            + "deviations, e.g. 0.5,0.5,0.5/0.25,0.25,0.25.")
    String normalization;

    /**
     * The model's name: the name given (or the command's default; null where the option is optional and absent), or
     * for {@code --model-file} the file's name, e.g. {@code net.pt}. The loaded classifier of a file is named after
     * the file and a digest ({@link #load}).
     */
    public String name() {
        return modelFile != null && model == null ? modelFile.getFileName().toString() : model;
    }

    /** The TorchScript file given, or null for a named model. */
    public Path file() {
        return modelFile;
    }

    /**
     * Loads the model on the device given: a named one by {@link Models#load} (unknown names fail with the known
     * ones), a TorchScript file by {@link Models#torchScript}, named {@code FILE@DIGEST}: the file's name and the
     * first 12 hex digits of a sha256 over its bytes, its labels, input size and normalisation, so that results
     * recorded under the name (evaluate's {@code --resume}) are refused for another file or other settings.
     *
     * @throws IllegalArgumentException for options that do not go together or do not parse, naming the option and
     *     the fix; for a model whose output does not match its labels or fails on the input size
     * @throws java.io.UncheckedIOException for a missing file, or one that is not TorchScript
     */
    public Classifier load(DeviceOption device) {
        return load(device.device());
    }

    /** {@link #load(DeviceOption)} on a device ({@code null}: the engine's default). */
    public Classifier load(Device device) {
        FileModel file = fileModel();
        if (file == null) {
            return Models.load(model, device);
        }
        try {
            return Models.torchScript(file.name(), file.file(), file.labels(), file.height(), file.width(),
                    file.normalization(), device);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("--model-file: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model-file: " + e.getMessage(), e);
        }
    }

    /**
     * A TorchScript file and its settings, as {@link #load} loads it.
     *
     * @param name the classifier's name, {@code FILE@DIGEST}
     */
    public record FileModel(String name, Path file, Path labels, int height, int width, Normalization normalization) {}

    /**
     * The TorchScript file that the options give, checked, or null when they name a model ({@code --model}).
     *
     * @throws IllegalArgumentException when neither or both of {@code --model} and {@code --model-file} are given,
     *     {@code --model-file} lacks {@code --labels} or {@code --input-size}, those come without it, or a value does
     *     not parse; each names the option and the fix
     * @throws java.io.UncheckedIOException when the model or labels file cannot be read
     */
    public FileModel fileModel() {
        List<String> fileOptions = new ArrayList<>();
        if (labels != null) {
            fileOptions.add("--labels");
        }
        if (inputSize != null) {
            fileOptions.add("--input-size");
        }
        if (normalization != null) {
            fileOptions.add("--normalization");
        }
        if (modelFile == null) {
            if (model == null) {
                throw new IllegalArgumentException("no model: give --model NAME (see 'neuromask models list'), or "
                        + "--model-file FILE --labels FILE --input-size N|HxW for a TorchScript file");
            }
            if (!fileOptions.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", fileOptions) + " describe" + (fileOptions.size() == 1
                        ? "s" : "") + " a --model-file, but --model " + model + " names a model, which knows its "
                        + "labels, input size and normalisation: drop " + String.join(", ", fileOptions) + ", or give "
                        + "--model-file FILE instead of --model");
            }
            return null;
        }
        if (model != null) {
            throw new IllegalArgumentException("--model and --model-file are mutually exclusive: give --model NAME for "
                    + "a named model, or --model-file FILE for a TorchScript file");
        }
        List<String> missing = new ArrayList<>();
        if (labels == null) {
            missing.add("--labels FILE (the class names, one per line)");
        }
        if (inputSize == null) {
            missing.add("--input-size N|HxW (the input the model takes, e.g. 32 or 224x224)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--model-file " + modelFile + " needs " + String.join(" and ", missing));
        }
        int[] size = parseSize(inputSize);
        Normalization norm;
        try {
            norm = Normalization.parse(normalization == null ? "none" : normalization);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--normalization: " + e.getMessage(), e);
        }
        try {
            TorchScriptClassifier.checkArchive(modelFile);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("--model-file: " + e.getMessage(), e);
        }
        List<String> names;
        try {
            names = LabelFiles.read(labels);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("--labels: " + e.getMessage(), e);
        }
        String digest = digest(modelFile, names, size, norm);
        return new FileModel(modelFile.getFileName() + "@" + digest, modelFile, labels, size[0], size[1], norm);
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)(?:\\s*[x×X]\\s*(\\d+))?");

    /**
     * {@code --input-size}: {@code N} (N×N) or {@code HxW}, in pixels, each 1 to {@link #MAX_SIDE}.
     *
     * @return height and width
     * @throws IllegalArgumentException naming the text and the form it must take
     */
    public static int[] parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        String form = "give N or HxW in pixels (height x width), e.g. 32 or 224x224";
        if (!m.matches()) {
            throw new IllegalArgumentException("--input-size '" + text + "' is not a size: " + form);
        }
        int[] size = new int[2];
        for (int i = 0; i < 2; i++) {
            String digits = m.group(i == 1 && m.group(2) != null ? 2 : 1);
            long v;
            try {
                v = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                v = Long.MAX_VALUE; // more digits than a long holds
            }
            if (v < 1 || v > MAX_SIDE) {
                throw new IllegalArgumentException("--input-size '" + text + "': each side must be 1 to " + MAX_SIDE
                        + " pixels; " + form);
            }
            size[i] = (int) v;
        }
        return size;
    }

    /** 12 hex digits of a sha256 over the file, its labels, its input size and its normalisation. */
    private static String digest(Path file, List<String> labels, int[] size, Normalization normalization) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            String settings = "\nlabels:" + String.join("\n", labels) + "\nsize:" + size[0] + "x" + size[1]
                    + "\nnormalization:" + normalization.text();
            sha.update(settings.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("--model-file: cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    /**
     * For a command's model transformer: {@code --model} is optional and defaults to {@code model}. Only for a command
     * that takes names only: apply {@link #namesOnly} first.
     */
    public static CommandSpec defaultTo(CommandSpec spec, String model) {
        requireNamesOnly(spec, "a default model");
        return SharedOption.change(spec, "--model", o -> o.required(false).defaultValue(model)
                .description("Model name (see 'neuromask models list'; default ${DEFAULT-VALUE})."));
    }

    /**
     * For a command's model transformer: {@code --model} is optional, without a default; {@code absent} says what
     * the command does without it. Only for a command that takes names only: apply {@link #namesOnly} first.
     */
    public static CommandSpec optional(CommandSpec spec, String absent) {
        requireNamesOnly(spec, "an optional model");
        return SharedOption.change(spec, "--model", o -> o.required(false)
                .description("Model name (see 'neuromask models list'; " + absent + ")."));
    }

    private static void requireNamesOnly(CommandSpec spec, String what) {
        if (spec.findOption("--model-file") != null) {
            throw new IllegalStateException(spec.qualifiedName() + ": " + what + " goes with --model alone; apply "
                    + "ModelOption.namesOnly first (a command that loads files needs no default)");
        }
    }

    /**
     * For a command's model transformer: the command takes a model by name only (it passes the name on, e.g. to
     * Spark executors or child processes), so the TorchScript options ({@link #FILE_OPTIONS}) are removed and
     * {@code --model} is required. Apply before {@link #defaultTo} or {@link #optional}.
     */
    public static CommandSpec namesOnly(CommandSpec spec) {
        for (String name : FILE_OPTIONS) {
            if (spec.findOption(name) == null) {
                throw new IllegalStateException(spec.qualifiedName() + " has no " + name + " to remove; add the "
                        + "ModelOption mixin");
            }
            spec.remove(spec.findOption(name));
        }
        return SharedOption.change(spec, "--model", o -> o.required(true).description(NAME_DESCRIPTION + "."));
    }
}
