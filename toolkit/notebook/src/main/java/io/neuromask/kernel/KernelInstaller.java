package io.neuromask.kernel;

import io.neuromask.NeuroMask;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.io.AtomicFiles;
import io.neuromask.model.Devices;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Installs a Jupyter kernelspec (default name {@value #DEFAULT_NAME}) whose class path holds the toolkit,
 * so that notebooks can {@code import io.neuromask.*} with no magics.
 *
 * <p>By default the kernel is an installed IJava or JJava when one is found among the kernelspecs (its
 * argv is reused; JJava preferred), else rapaio-jupyter-kernel from {@code toolkit/cli/target/kernel/}. The
 * toolkit goes on the class path through the kernel's environment variable ({@link JavaKernel}). A rapaio
 * kernelspec runs {@code MainApp} with the {@link RapaioPatch} folder before the rapaio jar, which fixes
 * rapaio 3.0.1's start-up races, its interrupt handling and two protocol gaps. A reused IJava/JJava argv
 * has {@code {resource_dir}} replaced by the absolute folder of the spec it comes from (the new spec's
 * folder holds no launcher jar), and keeps that spec's environment (its class path variable, if set, is
 * followed by the toolkit's). A bare {@code java} at the start of that argv becomes the absolute path of the JVM
 * that runs the installer, so the kernel keeps that JDK (Binder pins JDK 17 through {@code JAVA_HOME}).
 *
 * <p><b>Nothing of the user's is replaced.</b> Every kernelspec this installer writes carries a marker in its
 * {@code kernel.json}, {@code "metadata": {"neuromask": {"installer": "neuromask kernel install", …}}} (IJava, JJava
 * and rapaio write no such key: IJava and rapaio no {@code metadata} at all, JJava an empty one). A folder
 * {@code kernels/<name>} whose spec lacks the marker (IJava's and JJava's own default name is {@code java}) is
 * refused, left as it is, with the two ways out: another {@link Builder#name name}, or {@link Builder#force force},
 * which first copies the folder whole to a fresh {@code <name>.bak} (then {@code <name>.bak.2}, …: an earlier
 * backup is never replaced), which Jupyter keeps listing under that name. A spec of ours is replaced, computed
 * afresh: specs with the marker are never taken as the IJava/JJava to build on, so a re-install gives the same
 * class path, not the old one with the toolkit appended again.
 *
 * <pre>{@code
 * Path dir = KernelInstaller.builder().dataDir(Path.of("target/jupyter")).build().install().directory();
 * }</pre>
 */
public final class KernelInstaller {

    /**
     * The kernelspec name the notebooks ask for. Not {@code java}, the name IJava and JJava install themselves under,
     * so that installing it never meets their kernelspec.
     */
    public static final String DEFAULT_NAME = "neuromask-java";

    /** The key under a kernelspec's {@code metadata} that marks it as written by this installer. */
    public static final String MARKER = "neuromask";

    /** The marker's {@code installer} value. */
    static final String INSTALLER = "neuromask kernel install";

    private static final Pattern IJAVA_JAR = Pattern.compile("(?i)(^|[/\\\\])ijava[^/\\\\]*\\.jar$");
    private static final Pattern JJAVA_JAR = Pattern.compile("(?i)(^|[/\\\\])jjava[^/\\\\]*\\.jar$");

    private final String name;
    private final String displayName;
    private final Path dataDir;
    private final List<Path> classpath;
    private final JavaKernel kernel;
    private final Path rapaioJar;
    private final List<Path> searchPath;
    private final List<String> jvmOptions;
    private final boolean force;

    /**
     * What {@link #install()} wrote.
     *
     * @param backup where {@link Builder#force} kept the kernelspec it replaced, null when it replaced none
     */
    public record Installed(Path directory, JavaKernel kernel, JsonObject spec, Path backup) {}

    private KernelInstaller(Builder b) {
        this.name = b.name;
        this.displayName = b.displayName;
        this.dataDir = b.dataDir != null ? b.dataDir : defaultDataDir();
        this.classpath = b.classpath != null ? b.classpath : ToolkitClasspath.current();
        this.kernel = b.kernel;
        this.rapaioJar = b.rapaioJar;
        this.searchPath = b.searchPath != null ? b.searchPath : defaultSearchPath(this.dataDir);
        this.jvmOptions = b.jvmOptions;
        this.force = b.force;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Jupyter's user data directory: {@code $JUPYTER_DATA_DIR}, else ({@code ~} being {@code $HOME}, as for
     * Jupyter itself) {@code ~/Library/Jupyter} on macOS,
     * {@code %APPDATA%\jupyter} on Windows, {@code $XDG_DATA_HOME/jupyter} or {@code ~/.local/share/jupyter}.
     */
    public static Path defaultDataDir() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        // Jupyter (Python) takes the home folder from $HOME; Java's user.home comes from the password
        // database and differs when HOME is overridden (containers, Binder, tests).
        String homeEnv = System.getenv("HOME");
        Path home = Path.of(homeEnv != null && !homeEnv.isBlank() ? homeEnv : System.getProperty("user.home"));
        if (os.contains("mac")) {
            return home.resolve("Library/Jupyter");
        }
        if (os.contains("win") && System.getenv("APPDATA") != null) {
            return Path.of(System.getenv("APPDATA"), "jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("jupyter");
    }

    /** The data dir, {@code $JUPYTER_PATH} entries, {@code /usr/local/share/jupyter}, {@code /usr/share/jupyter}. */
    static List<Path> defaultSearchPath(Path dataDir) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(dataDir);
        String jp = System.getenv("JUPYTER_PATH");
        if (jp != null) {
            for (String s : jp.split(Pattern.quote(File.pathSeparator))) {
                if (!s.isBlank()) {
                    dirs.add(Path.of(s));
                }
            }
        }
        dirs.add(Path.of("/usr/local/share/jupyter"));
        dirs.add(Path.of("/usr/share/jupyter"));
        return dirs;
    }

    /** Jupyter's placeholder for a kernelspec's own folder in its argv. */
    static final String RESOURCE_DIR = "{resource_dir}";

    /** An installed IJava or JJava kernelspec: its kind, argv, environment (string values) and file. */
    record Existing(JavaKernel kernel, List<String> argv, Map<String, String> env, Path specFile) {}

    /** Looks for IJava/JJava kernelspecs under {@code <dir>/kernels/*}/kernel.json; JJava wins over IJava. */
    static Optional<Existing> findIJavaOrJJava(List<Path> dirs) {
        return findIJavaOrJJava(dirs, null);
    }

    /**
     * As {@link #findIJavaOrJJava(List)}, but only kernelspecs of kind {@code only} when it is not null, so that an
     * installed JJava does not hide the IJava that {@code --kernel ijava} asks for.
     */
    static Optional<Existing> findIJavaOrJJava(List<Path> dirs, JavaKernel only) {
        Existing ijava = null;
        for (Path dir : dirs) {
            Path kernels = dir.resolve("kernels");
            if (!Files.isDirectory(kernels)) {
                continue;
            }
            try (var specs = Files.list(kernels)) {
                for (Path spec : specs.map(p -> p.resolve("kernel.json")).filter(Files::isRegularFile).sorted().toList()) {
                    JsonObject json;
                    try {
                        json = JsonParser.parseString(Files.readString(spec)).getAsJsonObject();
                    } catch (RuntimeException e) {
                        continue;
                    }
                    if (!json.has("argv") || writtenByUs(json)) {
                        continue; // ours holds the toolkit already: it is never a base (a re-install would append)
                    }
                    List<String> argv = new ArrayList<>();
                    json.getAsJsonArray("argv").forEach(a -> argv.add(a.getAsString()));
                    Map<String, String> env = new LinkedHashMap<>();
                    if (json.has("env") && json.get("env").isJsonObject()) {
                        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("env").entrySet()) {
                            if (e.getValue().isJsonPrimitive()) {
                                env.put(e.getKey(), e.getValue().getAsString());
                            }
                        }
                    }
                    if ((only == null || only == JavaKernel.JJAVA) && argv.stream().anyMatch(a -> JJAVA_JAR.matcher(a).find())) {
                        return Optional.of(new Existing(JavaKernel.JJAVA, argv, env, spec));
                    }
                    if ((only == null || only == JavaKernel.IJAVA) && ijava == null
                            && argv.stream().anyMatch(a -> IJAVA_JAR.matcher(a).find())) {
                        ijava = new Existing(JavaKernel.IJAVA, argv, env, spec);
                    }
                }
            } catch (IOException e) {
                // unreadable directory: skip it
            }
        }
        return Optional.ofNullable(ijava);
    }

    /** Whether a kernelspec carries this installer's marker, {@code "metadata": {"neuromask": {…}}}. */
    public static boolean writtenByUs(JsonObject spec) {
        JsonElement metadata = spec.get("metadata");
        return metadata != null && metadata.isJsonObject() && metadata.getAsJsonObject().has(MARKER)
                && metadata.getAsJsonObject().get(MARKER).isJsonObject();
    }

    /**
     * Why the folder {@code dir} is not ours to write, or empty when it is: missing, empty, holding only what a
     * failed install of ours left ({@code rapaio-patch}), or a kernelspec with our marker.
     */
    static Optional<String> notOurs(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (Files.isSymbolicLink(dir)) {
            return Optional.of("it is a symbolic link (to " + Files.readSymbolicLink(dir) + "), not a folder");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("it is a file, not a folder");
        }
        Path file = dir.resolve("kernel.json");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try (var entries = Files.list(dir)) {
                List<String> names = entries.map(p -> p.getFileName().toString()).sorted().toList();
                return names.stream().allMatch("rapaio-patch"::equals) ? Optional.empty()
                        : Optional.of("it has no kernel.json but holds " + names);
            }
        }
        JsonObject spec;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            spec = e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (RuntimeException | IOException e) {
            spec = null;
        }
        if (spec == null) {
            return Optional.of("its kernel.json is not a JSON object");
        }
        if (writtenByUs(spec)) {
            return Optional.empty();
        }
        StringBuilder what = new StringBuilder("its kernel.json has no \"metadata\": {\"" + MARKER + "\": …}");
        if (spec.has("display_name") && spec.get("display_name").isJsonPrimitive()) {
            what.append(" (display name \"").append(spec.get("display_name").getAsString()).append('"');
            for (JsonElement a : spec.has("argv") && spec.get("argv").isJsonArray() ? spec.getAsJsonArray("argv")
                    : new JsonArray()) {
                String arg = a.isJsonPrimitive() ? a.getAsString() : "";
                if (arg.endsWith(".jar")) {
                    what.append(", runs ").append(arg.substring(Math.max(arg.lastIndexOf('/'), arg.lastIndexOf('\\'))
                            + 1));
                    break;
                }
            }
            what.append(')');
        }
        return Optional.of(what.toString());
    }

    /**
     * Writes {@code <dataDir>/kernels/<name>/kernel.json} and, for rapaio, the compiled patch next to it. A
     * kernelspec of ours there is replaced; one that is not ours is refused unless {@link Builder#force}, which
     * first copies its folder to a fresh {@code <name>.bak} ({@link Installed#backup()}).
     *
     * @throws IOException when writing fails
     * @throws IllegalStateException when the requested kernel is not available, or {@code kernels/<name>} holds a
     *     kernelspec this installer did not write (naming {@code --name} and {@code --force})
     */
    public Installed install() throws IOException {
        Path kernels = dataDir.resolve("kernels");
        Path dir = kernels.resolve(name);
        Optional<String> foreign = notOurs(dir);
        if (foreign.isPresent() && !force) {
            throw new IllegalStateException("kernelspec '" + name + "' (" + dir + ") was not written by "
                    + INSTALLER + ": " + foreign.get() + ". It is left as it is. Install under another name with "
                    + "--name NAME (the notebooks ask for '" + DEFAULT_NAME + "'), or replace it with --force, "
                    + "which first copies it to " + kernels.resolve(name + ".bak") + " (or the next free " + name
                    + ".bak.N)");
        }
        Optional<Existing> existing = findIJavaOrJJava(searchPath, kernel);
        JavaKernel kind = kernel != null ? kernel : existing.map(Existing::kernel).orElse(JavaKernel.RAPAIO);
        // what the kernel runs is checked before anything is written (a backup included)
        Path jar = null;
        if (kind == JavaKernel.RAPAIO) {
            jar = rapaioJar != null ? rapaioJar : ToolkitClasspath.rapaioJar().orElseThrow(() ->
                    new IllegalStateException("rapaio-jupyter-kernel jar not found next to the toolkit "
                            + "(toolkit/cli/target/kernel/); build with 'mvn package' or pass --rapaio-jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("rapaio kernel jar " + jar + " does not exist");
            }
        } else if (existing.filter(e -> e.kernel() == kind).isEmpty()) {
            throw new IllegalStateException("no installed " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " kernelspec found in " + searchPath + "; install it first or use --kernel rapaio");
        }
        Path backup = null;
        if (foreign.isPresent()) {
            backup = backUp(dir);
            if (!Files.isDirectory(backup, LinkOption.NOFOLLOW_LINKS)) {
                existing = findIJavaOrJJava(searchPath, kernel); // a link moved aside: its spec has a new path
            }
        }
        JsonObject spec = new JsonObject();
        JsonArray argv = new JsonArray();
        JsonObject env = new JsonObject();
        JsonObject meta = new JsonObject();
        Files.createDirectories(dir);
        if (kind == JavaKernel.RAPAIO) {
            String cp = jar.toAbsolutePath().toString();
            boolean patched = RapaioPatch.appliesTo(jar);
            if (patched) {
                Path classes = RapaioPatch.write(dir.resolve("rapaio-patch"));
                cp = classes.toAbsolutePath() + File.pathSeparator + cp;
            }
            argv.add(javaExecutable());
            jvmOptions.forEach(argv::add);
            argv.add("-cp");
            argv.add(cp);
            argv.add("org.rapaio.jupyter.kernel.MainApp");
            argv.add("{connection_file}");
            env.addProperty("RJK_TIMEOUT_MILLIS", "-1");
            env.addProperty("RJK_COMPILER_OPTIONS", "");
            env.addProperty("RJK_INIT_SCRIPT", "");
            meta.addProperty("rapaio_jar", jar.toAbsolutePath().toString());
            meta.addProperty("rapaio_patch", patched); // RapaioPatch: start-up race and interrupt fixes
        } else {
            Existing found = existing.filter(e -> e.kernel() == kind).orElseThrow(() -> new IllegalStateException(
                    "no installed " + kind.name().toLowerCase(java.util.Locale.ROOT) + " kernelspec found in "
                            + searchPath + " after " + dir + " was moved aside; install it first or use --kernel "
                            + "rapaio"));
            // Jupyter replaces {resource_dir} with the folder of the spec being run; this spec lives elsewhere
            // (and holds no launcher jar), so the original spec's folder is written out as an absolute path.
            String resourceDir = found.specFile().toAbsolutePath().normalize().getParent().toString();
            found.argv().forEach(a -> argv.add(a.replace(RESOURCE_DIR, resourceDir)));
            // A bare "java" would be whatever JVM comes first on the PATH when Jupyter starts the kernel (a newer
            // JRE on some base images); the kernel runs on the JDK that installed it, as the rapaio spec does.
            if (!argv.isEmpty() && argv.get(0).getAsString().equals("java")) {
                argv.set(0, new com.google.gson.JsonPrimitive(javaExecutable()));
            }
            found.env().forEach(env::addProperty);
            meta.addProperty("based_on", found.specFile().toString());
        }
        // libtorch on a Linux CPU runs up to 4x faster with these allocator settings (Devices#GLIBC_TUNABLES);
        // a value the base kernelspec already sets is kept
        if (!env.has("GLIBC_TUNABLES")) {
            env.addProperty("GLIBC_TUNABLES", Devices.GLIBC_TUNABLES);
        }
        String toolkit = classpath.stream().map(p -> p.toAbsolutePath().toString())
                .collect(Collectors.joining(kind.separator()));
        String before = env.has(kind.classpathVariable()) ? env.get(kind.classpathVariable()).getAsString() : "";
        env.addProperty(kind.classpathVariable(), before.isBlank() ? toolkit : before + kind.separator() + toolkit);
        meta.addProperty("installer", INSTALLER);
        meta.addProperty("kernel", kind.name().toLowerCase(java.util.Locale.ROOT));
        spec.add("argv", argv);
        spec.addProperty("display_name", displayName != null ? displayName : "Java (NeuroMask, "
                + kind.name().toLowerCase(java.util.Locale.ROOT) + ")");
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        spec.add("env", env);
        JsonObject metadata = new JsonObject();
        metadata.add("neuromask", meta);
        spec.add("metadata", metadata);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        byte[] json = (gson.toJson(spec) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("kernel.json"), out -> out.write(json));
        return new Installed(dir, kind, spec, backup);
    }

    /**
     * Copies a kernelspec folder whole to the first free {@code <name>.bak}, {@code <name>.bak.2}, … beside it,
     * claimed by an exclusive create so that no earlier backup is ever replaced. The folder stays in place: IJava's
     * spec names its jar in that folder by absolute path, and the new spec, built on it, runs that jar too. A file or
     * a symbolic link in the folder's place is moved to the backup name instead, so that the folder can be made.
     */
    static Path backUp(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        boolean folder = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
        for (int n = 1; ; n++) {
            Path target = dir.resolveSibling(name + ".bak" + (n == 1 ? "" : "." + n));
            try {
                if (!folder) {
                    Files.move(dir, target); // a link stays a link; never replaces an existing target
                    return target;
                }
                Files.createDirectory(target);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            try (var walk = Files.walk(dir)) {
                for (Path from : (Iterable<Path>) walk::iterator) {
                    if (!from.equals(dir)) {
                        Files.copy(from, target.resolve(dir.relativize(from).toString()), LinkOption.NOFOLLOW_LINKS,
                                StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot copy kernelspec " + dir + " to " + target + " (" + e + "); nothing "
                        + "was replaced, and the partial copy " + target + " can be deleted", e);
            }
            return target;
        }
    }

    private static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
        return java.toAbsolutePath().toString();
    }

    /** Configures a {@link KernelInstaller}. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String displayName;
        private Path dataDir;
        private List<Path> classpath;
        private JavaKernel kernel;
        private Path rapaioJar;
        private List<Path> searchPath;
        private List<String> jvmOptions = List.of("-Djava.awt.headless=true");
        private boolean force;

        private Builder() {}

        /** Kernelspec name (default {@value KernelInstaller#DEFAULT_NAME}). */
        public Builder name(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("kernelspec names use letters, digits, '.', '_' and '-': " + name);
            }
            this.name = name;
            return this;
        }

        /** The name shown in Jupyter's kernel menu. */
        public Builder displayName(String displayName) {
            this.displayName = displayName;
            return this;
        }

        /** Jupyter data directory to install into (default {@link #defaultDataDir()}). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The class path for notebooks (default {@link ToolkitClasspath#current()}). */
        public Builder classpath(List<Path> classpath) {
            this.classpath = List.copyOf(classpath);
            return this;
        }

        /** Force a kernel; default: an installed JJava or IJava, else rapaio. */
        public Builder kernel(JavaKernel kernel) {
            this.kernel = kernel;
            return this;
        }

        /** The rapaio-jupyter-kernel jar (default {@link ToolkitClasspath#rapaioJar()}). */
        public Builder rapaioJar(Path jar) {
            this.rapaioJar = jar;
            return this;
        }

        /** Jupyter data/path directories searched for IJava/JJava kernelspecs. */
        public Builder searchPath(List<Path> dirs) {
            this.searchPath = List.copyOf(dirs);
            return this;
        }

        /** JVM options of a rapaio kernel (default {@code -Djava.awt.headless=true}). */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /**
         * Whether a kernelspec of the same name that this installer did not write is replaced, after its folder is
         * copied to a fresh {@code <name>.bak} (default false: refused, naming the way out).
         */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public KernelInstaller build() {
            return new KernelInstaller(this);
        }
    }

    static Map<String, String> envOf(JsonObject spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : spec.getAsJsonObject("env").entrySet()) {
            m.put(e.getKey(), e.getValue().getAsString());
        }
        return m;
    }
}
