package io.neuromask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void writtenFileHasTheModeOfAPlainlyWrittenOne(@TempDir Path dir) throws IOException {
        Path plain = Files.write(dir.resolve("plain.txt"), "a".getBytes(StandardCharsets.UTF_8));
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.write(atomic, out -> out.write('b'));
        // With the usual umask 022 the plain file is rw-r--r--; the temporary file of Files.createTempFile,
        // which the atomic write used to rename into place, is rw-------.
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        assertEquals("b", Files.readString(atomic));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("atomic.txt", "plain.txt"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary file left");
        }
    }

    @Test
    void aFailedWriteLeavesTheTargetAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = Files.writeString(dir.resolve("t.txt"), "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write('x');
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
