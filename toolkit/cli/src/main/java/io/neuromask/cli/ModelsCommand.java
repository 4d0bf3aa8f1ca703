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
import picocli.CommandLine.Command;

/** {@code neuromask models list|verify}: the manifest's models and data sets, and where their files are. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists or verifies the pretrained models and data sets of the manifest. Files are looked up "
                + "in the cache (NEUROMASK_CACHE, default ~/.neuromask/cache), then the mirror (NEUROMASK_MIRROR), "
                + "then downloaded.")
final class ModelsCommand {

    @Command(name = "list", description = "Shows name, size, license and where each model's files were found.")
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

    @Command(name = "verify", description = "Checks the sha256 of every manifest file where it is (cache, else mirror).")
    int verify() throws IOException {
        ModelStore store = ModelStore.fromEnvironment();
        int bad = 0;
        List<Manifest.FileEntry> files = store.manifest().files();
        for (Manifest.FileEntry f : files) {
            String problem = store.verify(f);
            if (problem != null) {
                bad++;
                System.out.println("FAIL " + f.path() + ": " + problem);
            }
        }
        System.out.println((files.size() - bad) + " of " + files.size() + " files verified (sha256)"
                + (bad > 0 ? "; fix: set NEUROMASK_MIRROR to a good mirror and delete bad cache files" : ""));
        return bad == 0 ? 0 : 1;
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
