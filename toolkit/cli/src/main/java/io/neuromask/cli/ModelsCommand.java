package io.neuromask.cli;

import io.neuromask.model.Models;
import io.neuromask.store.Location;
import io.neuromask.store.Manifest;
import io.neuromask.store.ModelStore;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code neuromask models list|verify|fetch}: the manifest's models and data sets, where their files are, and
 * fetching them ahead of use.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists, verifies or fetches the pretrained models and data sets of the manifest. Files are "
                + "looked up in the cache (NEUROMASK_CACHE, default ~/.neuromask/cache), then the mirror "
                + "(NEUROMASK_MIRROR), then obtained from their public sources (NEUROMASK_URL_REWRITE rewrites the "
                + "URLs; NEUROMASK_MANIFEST replaces the manifest).")
final class ModelsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Shows name, size, license and where each model's files were found.")
    int list() {
        ModelStore store = ModelStore.fromEnvironment();
        Manifest m = store.manifest();
        System.out.printf(Locale.ROOT, "cache:  %s%nmirror: %s%n%n", store.cache(),
                store.mirror() != null ? store.mirror() : "(not set; set NEUROMASK_MIRROR)");
        String row = "%-26s %9s  %-24s %s%n";
        System.out.printf(Locale.ROOT, row, "MODEL", "SIZE", "FOUND IN", "LICENSE");
        for (Manifest.ModelEntry e : m.models()) {
            System.out.printf(Locale.ROOT, row, e.name(), size(m, e.files()), where(store, e.files()), e.license());
        }
        for (String name : Models.builtInNames()) {
            System.out.printf(Locale.ROOT, row, name, "-", "built in (test model)", "-");
        }
        System.out.printf(Locale.ROOT, "%n" + row, "DATA SET", "SIZE", "FOUND IN", "LICENSE");
        for (Manifest.DatasetEntry d : m.datasets()) {
            String licenses = d.files().stream().map(f -> m.file(f).license()).distinct().collect(Collectors.joining("; "));
            System.out.printf(Locale.ROOT, row, d.name(), size(m, d.files()), where(store, d.files()), licenses);
        }
        return 0;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks the sha256 of every manifest file where it is (cache, else mirror).")
    int verify() throws IOException {
        ModelStore store = ModelStore.fromEnvironment();
        int bad = 0;
        int notLocal = 0;
        List<Manifest.FileEntry> files = store.manifest().files();
        for (Manifest.FileEntry f : files) {
            Location where = store.locate(f);
            if (where == Location.DOWNLOAD) {
                notLocal++;
                continue;
            }
            String problem = store.verify(f);
            if (problem != null) {
                bad++;
                System.out.println("FAIL " + f.path() + ": " + problem);
            }
        }
        System.out.println((files.size() - notLocal - bad) + " of " + (files.size() - notLocal) + " local files verified"
                + (notLocal > 0 ? "; " + notLocal + " not fetched yet (models fetch --all)" : "")
                + (bad > 0 ? "; fix: set NEUROMASK_MIRROR to a good mirror and delete bad cache files" : ""));
        return bad == 0 ? 0 : 1;
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetches models and data sets into the cache (from the mirror when set, else from their "
                    + "public sources) and prints per file: fetched, skipped (already cached) or failed. Exits with 1 "
                    + "when any file failed.")
    int fetch(@Option(names = "--all", description = "Every model and data set (including the full CIFAR-10 "
                    + "batches).") boolean all,
            @Parameters(arity = "0..*", paramLabel = "NAME", description = "A model or data set name from "
                    + "'models list'.") List<String> names) {
        ModelStore store = ModelStore.fromEnvironment();
        Manifest m = store.manifest();
        Set<String> paths = new LinkedHashSet<>();
        if (all == (names != null && !names.isEmpty())) {
            System.err.println("models fetch: give --all or one or more names (models list shows them), not both");
            return 2;
        }
        if (all) {
            m.files().forEach(f -> paths.add(f.path()));
        } else {
            for (String name : names) {
                List<String> files = m.filesOf(name).orElse(null);
                if (files == null) {
                    System.err.println("models fetch: unknown model or data set '" + name + "'; known: "
                            + Stream.concat(m.models().stream().map(Manifest.ModelEntry::name),
                                    m.datasets().stream().map(Manifest.DatasetEntry::name))
                                    .collect(Collectors.joining(", ")));
                    return 2;
                }
                paths.addAll(files);
            }
        }
        // "skipped" is for files cached before this run; one that came along (e.g. a second member of an archive
        // downloaded for the first) counts as fetched
        Set<String> cachedBefore = new LinkedHashSet<>();
        for (String path : paths) {
            if (store.locate(m.file(path)) == Location.CACHE) {
                cachedBefore.add(path);
            }
        }
        int fetched = 0;
        int skipped = 0;
        int failed = 0;
        for (String path : paths) {
            Manifest.FileEntry f = m.file(path);
            try {
                if (cachedBefore.contains(path) && store.verify(f) == null) {
                    skipped++;
                    System.out.println("skipped " + path + " (already cached)");
                    continue;
                }
                Location from = store.locate(f);
                store.resolve(f);
                fetched++;
                System.out.println("fetched " + path + " (from " + (from == Location.MIRROR ? "the mirror" : "its source")
                        + ")");
            } catch (IOException | RuntimeException e) {
                failed++;
                System.out.println("failed  " + path + ": " + e.getMessage());
            }
        }
        System.out.printf(Locale.ROOT, "%d fetched, %d skipped (already cached), %d failed; cache %s%n", fetched,
                skipped, failed, store.cache());
        return failed == 0 ? 0 : 1;
    }

    private static String size(Manifest m, List<String> files) {
        long bytes = files.stream().mapToLong(f -> m.file(f).size()).sum();
        return bytes >= 1_000_000 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
    }

    private static String where(ModelStore store, List<String> files) {
        Map<Location, Integer> counts = new EnumMap<>(Location.class);
        for (String f : files) {
            counts.merge(store.locate(store.manifest().file(f)), 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + (counts.size() > 1 || files.size() > 1
                        ? " " + e.getValue() + "/" + files.size() : ""))
                .collect(Collectors.joining(", "));
    }
}
