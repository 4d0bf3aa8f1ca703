package io.neuromask;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared model/data mirror for tests; tests that need it fail (never skip) when it is not set. */
public final class TestMirror {

    private TestMirror() {}

    /** The mirror folder from system property {@code neuromask.mirror} or env {@code NEUROMASK_MIRROR}. */
    public static Path path() {
        String value = System.getProperty("neuromask.mirror");
        if (value == null || value.isBlank() || value.startsWith("${")) {
            value = System.getenv("NEUROMASK_MIRROR");
        }
        if (value == null || value.isBlank()) {
            fail("set NEUROMASK_MIRROR to the shared mirror folder (e.g. ../shared)");
        }
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            fail("NEUROMASK_MIRROR=" + value + " is not a folder; set NEUROMASK_MIRROR to the shared mirror folder "
                    + "(e.g. ../shared)");
        }
        return p;
    }

    /** A file in the mirror, by its path relative to the mirror root. */
    public static Path file(String relative) {
        return path().resolve(relative);
    }
}
