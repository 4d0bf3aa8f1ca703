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

    /** Top-level folders of the cache that the store keeps for itself; no manifest path may start with them. */
    static final List<String> RESERVED = List.of(".partial", ".locks");

    /**
     * A manifest, checked: see the package-private {@code problems(models, datasets, files)} for the rules.
     *
     * @throws IllegalArgumentException naming every entry that breaks a rule, and the rule
     */
    public Manifest {
        models = models == null ? null : List.copyOf(models);
        datasets = datasets == null ? null : List.copyOf(datasets);
        files = files == null ? null : List.copyOf(files);
        if (models == null || datasets == null || files == null) {
            throw new IllegalArgumentException("a manifest needs models, datasets and files (each may be empty)");
        }
        List<String> problems = problems(models, datasets, files);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("manifest is inconsistent: " + String.join("; ", problems));
        }
    }

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
     * @param size the archive's size in bytes, where the manifest gives it ({@code tar-gz-member}), else 0: a
     *     download that announces or sends more is stopped
     */
    public record Derive(String kind, String url, String md5, String member, String file, long offset, long length,
            Map<String, String> urls, String images, long size) {

        /** The kind for an archive member. */
        public static final String TAR_GZ_MEMBER = "tar-gz-member";
        /** The kind for a byte range of another file. */
        public static final String BYTE_RANGE = "byte-range";
        /** The kind for a val-sample {@code annotations.csv} built from metadata files. */
        public static final String VAL_SAMPLE_ANNOTATIONS = "val-sample-annotations";
    }

    /**
     * One model (a class, not a record, so that its 14 values are never a public positional constructor).
     *
     * @param architecture {@code cifar-resnet}, {@code squeezenet1.1} or {@code torchscript} (a TorchScript file:
     *     {@code weights} is the {@code .pt}, with {@code labelsFile}, the input size and {@code normalization})
     * @param depth the ResNet depth, else 0
     * @param weights the checkpoint file or the folder of weight files
     * @param files every file the model needs
     * @param labels {@code cifar10} for the built-in CIFAR-10 names, else null
     * @param labelsFile a file of one label per line, else null
     * @param normalization {@code imagenet} (the built-in architectures), or for {@code torchscript} also
     *     {@code none} or {@code M,M,M/S,S,S}
     * @param gradcamLayer the layer the CAM methods explain by default (the last spatial stage), else null
     */
    public static final class ModelEntry {
        private final String name;
        private final String architecture;
        private final int depth;
        private final String weights;
        private final List<String> files;
        private final String labels;
        private final String labelsFile;
        private final int inputHeight;
        private final int inputWidth;
        private final String normalization;
        private final String license;
        private final String format;
        private final String source;
        private final String gradcamLayer;

        /** Read from the manifest by Gson; built directly by tests of the manifest's rules. */
        ModelEntry(String name, String architecture, int depth, String weights, List<String> files, String labels, String labelsFile, int inputHeight, int inputWidth, String normalization, String license, String format, String source, String gradcamLayer) {
            this.name = name;
            this.architecture = architecture;
            this.depth = depth;
            this.weights = weights;
            this.files = files;
            this.labels = labels;
            this.labelsFile = labelsFile;
            this.inputHeight = inputHeight;
            this.inputWidth = inputWidth;
            this.normalization = normalization;
            this.license = license;
            this.format = format;
            this.source = source;
            this.gradcamLayer = gradcamLayer;
        }

        public String name() {
            return name;
        }

        public String architecture() {
            return architecture;
        }

        public int depth() {
            return depth;
        }

        public String weights() {
            return weights;
        }

        public List<String> files() {
            return files;
        }

        public String labels() {
            return labels;
        }

        public String labelsFile() {
            return labelsFile;
        }

        public int inputHeight() {
            return inputHeight;
        }

        public int inputWidth() {
            return inputWidth;
        }

        public String normalization() {
            return normalization;
        }

        public String license() {
            return license;
        }

        public String format() {
            return format;
        }

        public String source() {
            return source;
        }

        public String gradcamLayer() {
            return gradcamLayer;
        }

        @Override
        public String toString() {
            return "ModelEntry[" + name + ", " + architecture + ", " + inputWidth + "x" + inputHeight + "]";
        }
    }

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
            if (m == null) {
                throw new IOException("manifest " + source + " is empty");
            }
            return m;
        } catch (JsonParseException e) {
            throw new IOException("manifest " + source + " is not valid JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson builds the record through its constructor and wraps what the constructor throws
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException bad) {
                    throw new IOException("manifest " + source + ": " + bad.getMessage(), bad);
                }
            }
            throw e;
        }
    }

    /**
     * What is wrong with a manifest, one line per broken rule, each naming the entry:
     * <ul>
     *   <li>every path (a file's, a model's {@code weights}, {@code files} and {@code labelsFile}, a data set's
     *       {@code root}, {@code files} and {@code fullFiles}, a derivation's {@code file} and {@code images}) is
     *       relative and normalised: no leading {@code /}, no {@code \\}, no empty, {@code .} or {@code ..}
     *       segment, and not under the store's own folders {@link #RESERVED}; so it resolves inside the cache or
     *       the mirror;</li>
     *   <li>no two files share a path; every file a model or data set names is listed in {@code files};</li>
     *   <li>a model's {@code weights} is one of its {@code files} or a folder holding some of them, and its
     *       {@code labelsFile} is one of its {@code files}, so both are checked by sha256 before loading;</li>
     *   <li>every derivation is complete; a {@code byte-range} names another listed file, and a chain of byte
     *       ranges never comes back to a file it started from;</li>
     *   <li>every file has a sha256, except an archive member whose byte-range files have one.</li>
     * </ul>
     */
    static List<String> problems(List<ModelEntry> models, List<DatasetEntry> datasets, List<FileEntry> files) {
        List<String> problems = new ArrayList<>();
        Map<String, FileEntry> byPath = new java.util.HashMap<>();
        for (FileEntry f : files) {
            if (f == null || f.path() == null || f.size() <= 0) {
                problems.add("a file lacks its path or size: " + f);
                continue;
            }
            pathProblem("file " + f.path(), "path", f.path()).ifPresent(problems::add);
            if (byPath.put(f.path(), f) != null) {
                problems.add("file " + f.path() + " is listed twice (each path once)");
            }
        }
        for (FileEntry f : files) {
            if (f == null || f.path() == null || f.size() <= 0) {
                continue;
            }
            Derive d = f.derive();
            if (d != null) {
                String kind = d.kind() == null ? "" : d.kind();
                switch (kind) {
                    case Derive.TAR_GZ_MEMBER -> {
                        if (d.url() == null || d.member() == null || d.md5() == null || !d.md5().matches("[0-9a-f]{32}")) {
                            problems.add("file " + f.path() + ": tar-gz-member needs url, member and md5 (32 lower-case hex)");
                        }
                        if (d.size() < 0) {
                            problems.add("file " + f.path() + ": the archive's size must be > 0, or 0 when unknown");
                        }
                    }
                    case Derive.BYTE_RANGE -> {
                        if (d.file() == null || d.length() <= 0 || d.offset() < 0 || d.length() != f.size()
                                || !byPath.containsKey(d.file())) {
                            problems.add("file " + f.path() + ": byte-range needs a listed file, offset >= 0 and length = size");
                        } else if (d.file().equals(f.path())) {
                            problems.add("file " + f.path() + ": byte-range of itself (a byte range must name another file)");
                        } else {
                            rangeCycle(f, byPath).ifPresent(problems::add);
                        }
                    }
                    case Derive.VAL_SAMPLE_ANNOTATIONS -> {
                        if (d.urls() == null || d.images() == null
                                || !d.urls().keySet().containsAll(List.of("labels", "sizes", "boxes"))) {
                            problems.add("file " + f.path() + ": val-sample-annotations needs urls labels, sizes, boxes and images");
                        } else {
                            pathProblem("file " + f.path(), "derive.images", folder(d.images())).ifPresent(problems::add);
                        }
                    }
                    default -> problems.add("file " + f.path() + ": unknown derive kind '" + d.kind()
                            + "' (tar-gz-member, byte-range or val-sample-annotations)");
                }
            }
            if (f.sha256() == null && (d == null || !Derive.TAR_GZ_MEMBER.equals(d.kind())
                    || derivedRanges(files, f).isEmpty())) {
                problems.add("file " + f.path() + ": no sha256; only an archive member with byte-range files of known "
                        + "sha256 may omit it");
            }
        }
        for (ModelEntry m : models) {
            String who = "model " + (m == null ? null : m.name());
            if (m == null || m.name() == null || m.files() == null) {
                problems.add(who + " lacks its name or files");
                continue;
            }
            listed(who, "files", m.files(), byPath, problems);
            if (m.weights() != null) {
                pathProblem(who, "weights", m.weights()).ifPresent(problems::add);
                if (!m.files().contains(m.weights()) && m.files().stream().noneMatch(p -> p.startsWith(m.weights() + "/"))) {
                    problems.add(who + ": weights " + m.weights() + " is neither one of its files nor a folder of them; "
                            + "list it in files, so that it is checked by sha256 before loading");
                }
            }
            if (m.labelsFile() != null) {
                pathProblem(who, "labelsFile", m.labelsFile()).ifPresent(problems::add);
                if (!m.files().contains(m.labelsFile())) {
                    problems.add(who + ": labelsFile " + m.labelsFile() + " is not one of its files; list it in files, "
                            + "so that it is checked by sha256 before loading");
                }
            }
        }
        for (DatasetEntry d : datasets) {
            String who = "data set " + (d == null ? null : d.name());
            if (d == null || d.name() == null || d.files() == null) {
                problems.add(who + " lacks its name or files");
                continue;
            }
            if (d.root() != null) {
                pathProblem(who, "root", folder(d.root())).ifPresent(problems::add);
            }
            listed(who, "files", d.files(), byPath, problems);
            if (d.fullFiles() != null) {
                listed(who, "fullFiles", d.fullFiles(), byPath, problems);
            }
        }
        return problems;
    }

    private static void listed(String who, String field, List<String> paths, Map<String, FileEntry> byPath,
            List<String> problems) {
        for (String p : paths) {
            java.util.Optional<String> bad = pathProblem(who, field, p);
            if (bad.isPresent()) {
                problems.add(bad.get());
            } else if (!byPath.containsKey(p)) {
                problems.add(who + ": " + field + " names " + p + ", which the manifest's files do not list; add it "
                        + "to files with its size and sha256");
            }
        }
    }

    /**
     * What is wrong with a manifest path, if anything: it must be relative and normalised (segments separated
     * by {@code /}, none empty, {@code .} or {@code ..}), and outside the store's own folders.
     */
    static java.util.Optional<String> pathProblem(String who, String field, String path) {
        String rule = null;
        if (path == null || path.isEmpty()) {
            rule = "is empty";
        } else if (path.startsWith("/") || path.contains("\\") || path.contains(":") || path.indexOf('\0') >= 0) {
            rule = "must be a relative path with / separators (no leading /, no \\, no drive letter)";
        } else if (java.util.Arrays.stream(path.split("/", -1)).anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
            rule = "must be normalised: no empty, . or .. segment, so that it stays inside the cache and the mirror";
        } else if (RESERVED.contains(path.split("/", -1)[0])) {
            rule = "must not lie under " + path.split("/", -1)[0] + "/, which the store keeps for itself";
        }
        return rule == null ? java.util.Optional.empty()
                : java.util.Optional.of(who + ": " + field + " '" + path + "' " + rule);
    }

    /** A folder path without its one optional trailing {@code /}. */
    private static String folder(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A cycle of byte ranges that starts at {@code f}, if any. */
    private static java.util.Optional<String> rangeCycle(FileEntry f, Map<String, FileEntry> byPath) {
        List<String> chain = new ArrayList<>(List.of(f.path()));
        FileEntry at = f;
        while (at != null && at.derive() != null && Derive.BYTE_RANGE.equals(at.derive().kind()) && at.derive().file() != null) {
            String next = at.derive().file();
            if (chain.contains(next)) {
                chain.add(next);
                return java.util.Optional.of("file " + f.path() + ": byte ranges form a cycle (" + String.join(" -> ", chain)
                        + "); a byte range must end at a file obtained otherwise");
            }
            chain.add(next);
            at = byPath.get(next);
        }
        return java.util.Optional.empty();
    }

    /** The {@code byte-range} files derived from {@code source}: their digests check it. */
    public List<FileEntry> derivedRanges(FileEntry source) {
        return derivedRanges(files, source);
    }

    private static List<FileEntry> derivedRanges(List<FileEntry> files, FileEntry source) {
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
