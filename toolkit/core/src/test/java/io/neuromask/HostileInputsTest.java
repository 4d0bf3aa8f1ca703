package io.neuromask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small hostile files in a JVM of 512 MB heap ({@link HostileInputsMain}): a 10000×10000 single-colour PNG read
 * towards 224×224 gives the right image without running out of memory, and is refused with the size, the limit and
 * the fix when read at its own size; a legacy checkpoint of a few hundred bytes declaring a 2 GB storage is refused
 * before any allocation. Without subsampling and the storage check, each of them ends in an OutOfMemoryError.
 */
class HostileInputsTest {

    @TempDir
    Path tmp;

    /** Runs {@link HostileInputsMain} with {@code -Xmx512m}; returns its output line, failing on a non-zero exit. */
    private String child(String... args) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(tmp, List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), HostileInputsMain.class,
                args);
        assertEquals(0, r.exit(), "child JVM failed (status 3: OutOfMemoryError): " + r.stdout() + " " + r.stderr());
        return r.stdout();
    }

    @Test
    void hugePngIsSubsampledOrRefusedUnderSmallHeap() throws Exception {
        Path png = tmp.resolve("huge.png");
        Files.write(png, HostileFiles.singleColourPng(10_000, 10_000, 0x3C8CDC));
        assertTrue(Files.size(png) < 1_000_000, Files.size(png) + " bytes");

        assertEquals("image 224 224 60 140 220", child("towards", png.toString(), "224", "224"));

        String full = child("full", png.toString());
        assertTrue(full.startsWith("refused "), full);
        assertTrue(full.contains(png.toString()) && full.contains("10000x10000"), full);
        assertTrue(full.contains("heap limit"), full);
        assertTrue(full.contains("ImageFiles.read(path, model)") && full.contains("-Xmx"), full);
    }

    @Test
    void hugeDeclaredStorageIsRefusedUnderSmallHeap() throws Exception {
        Path ckpt = tmp.resolve("hostile.th");
        Files.write(ckpt, HostileFiles.legacyCheckpoint(500_000_000, 16));
        String line = child("checkpoint", ckpt.toString());
        assertTrue(line.startsWith("refused ") && line.contains("storage 0 declares 500000000 elements")
                && line.contains("only 16 bytes remain") && line.contains("corrupt or truncated"), line);
    }
}
