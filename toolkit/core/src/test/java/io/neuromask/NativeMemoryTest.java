package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 200 consecutive explanations in one JVM must not grow resident memory. */
class NativeMemoryTest {

    @Test
    void twoHundredExplanationsDoNotGrowResidentMemory() throws IOException {
        try (BlockClassifier model = TinyCnn.model(3, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 4, 9);
            MaskEngine nm = NeuroMask.builder().model(model).iterations(15).build();
            float[][] firstMasks = new float[4][];
            for (int i = 0; i < 40; i++) { // warm-up: allocator pools, JIT
                Explanation e = nm.explain(images.get(i % 4), Target.predicted());
                if (i < 4) {
                    firstMasks[i] = e.mask();
                }
            }
            System.gc();
            long before = vmRssKb();
            for (int i = 0; i < 200; i++) {
                Explanation e = nm.explain(images.get(i % 4), Target.predicted());
                // freed and reused native memory must not leak into results: same image, same seed, same bits
                assertArrayEquals(firstMasks[i % 4], e.mask(), "explanation " + i);
            }
            System.gc();
            long after = vmRssKb();
            double growth = (after - before) / (double) before;
            System.out.printf("VmRSS %d kB -> %d kB (%.2f %%)%n", before, after, 100 * growth);
            assertTrue(growth <= 0.10, "VmRSS grew " + (100 * growth) + " % (" + before + " -> " + after + " kB)");
        }
    }

    static long vmRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status (Linux only)");
    }
}
