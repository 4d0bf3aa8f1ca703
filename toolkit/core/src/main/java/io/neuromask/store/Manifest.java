package io.neuromask.store;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The model and data manifest ({@code models/models.json}, bundled in the jar): every file with its
 * canonical URL, size, sha256 and license; every model with its architecture, labels, input size and
 * normalisation; every data set with its files. Paths are relative to a root laid out like {@code shared/}.
 *
 * @param models the models
 * @param datasets the data sets
 * @param files every file that a model or data set names
 */
public record Manifest(List<ModelEntry> models, List<DatasetEntry> datasets, List<FileEntry> files) {

    private static final String RESOURCE = "/io/neuromask/store/models.json";

    /**
     * One file.
     *
     * @param path relative path, as in the mirror and the cache
     * @param size bytes
     * @param sha256 lower-case hex digest
     * @param url canonical source
     * @param direct whether {@code url} serves exactly this file (else it is derived from it, see {@code note})
     * @param license the file's license
     * @param note how the file derives from its source, when it is not a direct copy
     */
    public record FileEntry(String path, long size, String sha256, String url, boolean direct, String license,
            String note) {}

    /**
     * One model.
     *
     * @param architecture {@code cifar-resnet} or {@code squeezenet1.1}
     * @param depth the ResNet depth, else 0
     * @param weights the checkpoint file or the folder of weight files
     * @param files every file the model needs
     * @param labels {@code cifar10} for the built-in CIFAR-10 names, else null
     * @param labelsFile a file of one label per line, else null
     * @param normalization {@code imagenet} or {@code none}
     * @param gradcamLayer the layer Grad-CAM explains by default (the last spatial stage), else null
     */
    public record ModelEntry(String name, String architecture, int depth, String weights, List<String> files,
            String labels, String labelsFile, int inputHeight, int inputWidth, String normalization, String license,
            String format, String source, String gradcamLayer) {}

    /**
     * One data set.
     *
     * @param format {@code cifar10-binary}, {@code val-sample}, {@code npy} or {@code images}
     * @param root the folder that holds the files
     */
    public record DatasetEntry(String name, String format, String root, List<String> files, String description) {}

    /** The manifest bundled with the toolkit. */
    public static Manifest builtIn() {
        try (InputStream in = Manifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the toolkit jar lacks " + RESOURCE + "; rebuild it with mvn package");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Reads a manifest file. */
    public static Manifest read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file)) {
            return parse(r, file.toString());
        }
    }

    private static Manifest parse(Reader reader, String source) throws IOException {
        try {
            Manifest m = new Gson().fromJson(reader, Manifest.class);
            if (m == null || m.models == null || m.files == null || m.datasets == null) {
                throw new IOException("manifest " + source + " lacks models, datasets or files");
            }
            return m;
        } catch (JsonParseException e) {
            throw new IOException("manifest " + source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** A model by name. */
    public Optional<ModelEntry> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** A data set by name. */
    public Optional<DatasetEntry> dataset(String name) {
        return datasets.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * A file by path.
     *
     * @throws IllegalArgumentException when the manifest does not list it
     */
    public FileEntry file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the manifest lists no file " + path));
    }
}
