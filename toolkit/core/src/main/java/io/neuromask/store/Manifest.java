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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
     * @param sha256 lower-case hex digest; {@code null} only for a file extracted from an archive whose own
     *     digest is unknown (it is then checked by the archive's md5, its size and the sha256 of every
     *     {@code byte-range} file derived from it)
     * @param url canonical source (for a derived file: where its content comes from, for people)
     * @param direct whether {@code url} serves exactly this file (else {@code derive} says how it is made)
     * @param license the file's license
     * @param note how the file derives from its source, when it is not a direct copy
     * @param derive how to make the file when it is in neither the cache nor the mirror and {@code direct}
     *     is false; {@code null} for a direct file
     */
    public record FileEntry(String path, long size, String sha256, String url, boolean direct, String license,
            String note, Derive derive) {

        /** A file without a derivation (direct, or obtainable only from a mirror). */
        public FileEntry(String path, long size, String sha256, String url, boolean direct, String license,
                String note) {
            this(path, size, sha256, url, direct, license, note, null);
        }

        /** Whether the store can obtain the file without a mirror. */
        public boolean obtainable() {
            return direct || derive != null;
        }
    }

    /**
     * How a file that no URL serves as it is gets made from public sources. One of three kinds:
     * <ul>
     *   <li>{@code tar-gz-member}: member {@code member} of the gzip-compressed tar archive at {@code url},
     *       whose md5 must be {@code md5} (the publisher's checksum); every manifest file from the same archive
     *       is extracted in one download, and the archive itself is not kept;</li>
     *   <li>{@code byte-range}: bytes {@code offset} to {@code offset + length} of the manifest file
     *       {@code file} (obtained first, by any route);</li>
     *   <li>{@code val-sample-annotations}: an {@code annotations.csv} in the val-sample layout, built from the
     *       three metadata files in {@code urls} ({@code labels}: acuity-dataset's {@code dataset.txt};
     *       {@code sizes}: wsolevaluation's {@code image_sizes.txt}; {@code boxes}: wsolevaluation's
     *       {@code localization.txt}) for the images whose manifest paths start with {@code images}.</li>
     * </ul>
     *
     * @param kind {@code tar-gz-member}, {@code byte-range} or {@code val-sample-annotations}
     * @param url the archive ({@code tar-gz-member})
     * @param md5 the archive's md5, lower-case hex ({@code tar-gz-member})
     * @param member the member's path inside the archive ({@code tar-gz-member})
     * @param file the manifest path of the source file ({@code byte-range})
     * @param offset first byte ({@code byte-range})
     * @param length number of bytes ({@code byte-range})
     * @param urls named source URLs ({@code val-sample-annotations})
     * @param images manifest path prefix of the images to annotate ({@code val-sample-annotations})
     */
    public record Derive(String kind, String url, String md5, String member, String file, long offset, long length,
            Map<String, String> urls, String images) {

        /** The kind for an archive member. */
        public static final String TAR_GZ_MEMBER = "tar-gz-member";
        /** The kind for a byte range of another file. */
        public static final String BYTE_RANGE = "byte-range";
        /** The kind for a val-sample {@code annotations.csv} built from metadata files. */
        public static final String VAL_SAMPLE_ANNOTATIONS = "val-sample-annotations";
    }

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
     * @param files the files the data set needs
     * @param fullFiles files that replace {@code files} when they are all present locally (cache or mirror),
     *     e.g. the complete CIFAR-10 {@code test_batch.bin} instead of its first 1,000 records; may be null
     */
    public record DatasetEntry(String name, String format, String root, List<String> files, List<String> fullFiles,
            String description) {}

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
            m.check(source);
            return m;
        } catch (JsonParseException e) {
            throw new IOException("manifest " + source + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Checks that every derivation is complete and every file has a way to be verified. */
    private void check(String source) throws IOException {
        List<String> problems = new ArrayList<>();
        for (FileEntry f : files) {
            Derive d = f.derive();
            if (f.path() == null || f.size() <= 0) {
                problems.add("a file lacks its path or size: " + f);
                continue;
            }
            if (d != null) {
                String kind = d.kind() == null ? "" : d.kind();
                switch (kind) {
                    case Derive.TAR_GZ_MEMBER -> {
                        if (d.url() == null || d.member() == null || d.md5() == null || !d.md5().matches("[0-9a-f]{32}")) {
                            problems.add(f.path() + ": tar-gz-member needs url, member and md5 (32 lower-case hex)");
                        }
                    }
                    case Derive.BYTE_RANGE -> {
                        if (d.file() == null || d.length() <= 0 || d.offset() < 0 || d.length() != f.size()
                                || files.stream().noneMatch(g -> g.path().equals(d.file()))) {
                            problems.add(f.path() + ": byte-range needs a listed file, offset >= 0 and length = size");
                        }
                    }
                    case Derive.VAL_SAMPLE_ANNOTATIONS -> {
                        if (d.urls() == null || d.images() == null
                                || !d.urls().keySet().containsAll(List.of("labels", "sizes", "boxes"))) {
                            problems.add(f.path() + ": val-sample-annotations needs urls labels, sizes, boxes and images");
                        }
                    }
                    default -> problems.add(f.path() + ": unknown derive kind '" + d.kind()
                            + "' (tar-gz-member, byte-range or val-sample-annotations)");
                }
            }
            if (f.sha256() == null && (d == null || !Derive.TAR_GZ_MEMBER.equals(d.kind()) || derivedRanges(f).isEmpty())) {
                problems.add(f.path() + ": no sha256; only an archive member with byte-range files of known sha256 "
                        + "may omit it");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("manifest " + source + " is inconsistent: " + String.join("; ", problems));
        }
    }

    /** The {@code byte-range} files derived from {@code source}: their digests check it. */
    public List<FileEntry> derivedRanges(FileEntry source) {
        return files.stream().filter(g -> g.derive() != null && Derive.BYTE_RANGE.equals(g.derive().kind())
                && source.path().equals(g.derive().file()) && g.sha256() != null).toList();
    }

    /** The files of a model or data set by name (a data set's {@code files}, not its {@code fullFiles}). */
    public Optional<List<String>> filesOf(String name) {
        Optional<ModelEntry> m = model(name);
        return m.isPresent() ? Optional.of(m.get().files()) : dataset(name).map(DatasetEntry::files);
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
