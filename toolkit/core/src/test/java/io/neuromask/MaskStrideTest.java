package io.neuromask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.model.TinyCnn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NeuroMask with low-resolution weights ({@code maskStride}) through the engine. */
class MaskStrideTest {

    /** Stride 1 set by name is the preset itself: the same masks, bit for bit. */
    @Test
    void strideOneGivesThePresetsMasks() {
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 2, 5);
            for (Preset preset : new Preset[] {Preset.PAPER_CIFAR10, Preset.FAITHFUL_CIFAR10}) {
                List<Explanation> plain = NeuroMask.builder().model(model).preset(preset).iterations(30).seed(3).build()
                        .explain(images);
                List<Explanation> strideOne = NeuroMask.builder().model(model).preset(preset).iterations(30).seed(3)
                        .set("maskStride", "1").build().explain(images);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(plain.get(i).mask(), strideOne.get(i).mask(), preset + ", image " + i);
                }
            }
        }
    }

    /**
     * At stride 4 a batch gives each image the mask it gets alone; the mask is at the image's resolution, constant
     * nowhere but smooth: neighbouring pixels differ by at most a fraction of the mask's range.
     */
    @Test
    void aBatchAtStrideFourAgreesWithSingleRuns() {
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 3, 5);
            NeuroMaskObjective coarse = Preset.FAST_SPARSE_CIFAR10.neuroMask().withIterations(40).withMaskStride(4);
            List<Target> targets = List.of(Target.predicted(), Target.index(3), Target.index(7));
            List<Explanation> batch = NeuroMask.builder().model(model).objective(coarse).seed(9).build()
                    .explain(images, targets);
            for (int i = 0; i < images.size(); i++) {
                Explanation single = NeuroMask.builder().model(model).objective(coarse).seed(9).build()
                        .explain(images.get(i), targets.get(i));
                assertEquals(32 * 32, batch.get(i).mask().length, "the mask is at the image's resolution");
                BatchingTest.assertClose(single.mask(), batch.get(i).mask(), 1e-5, "image " + i);
                assertEquals(4, ((NeuroMaskObjective) batch.get(i).objective()).maskStride());
            }
        }
    }

    /** A stride larger than the image fails when the batch starts, naming the largest stride that fits. */
    @Test
    void aStrideLargerThanTheImageIsRefused() {
        try (BlockClassifier model = TinyCnn.model(11, null)) {
            RgbImage image = Benchmark.randomImages(model, 1, 5).get(0);
            MaskEngine engine = NeuroMask.builder().model(model).preset(Preset.FAST_CIFAR10).iterations(2)
                    .set("maskStride", "64").build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.explain(image, Target.predicted()));
            assertTrue(e.getMessage().contains("maskStride 64") && e.getMessage().contains("at most 32"),
                    e.getMessage());
        }
    }

    /**
     * The planted-evidence model of PlantedEvidenceTest: at stride 4 the mask's centre of mass lies on the patch and
     * most of its mass inside it. The stride-1 presets put 80 % inside; here the 8-pixel patch at (6, 18) straddles
     * the 4-pixel cells, and the bilinear ramp of about one cell around the cells that hold it leaves part of the
     * mass just outside (about 62 % inside when this test was written).
     */
    @Test
    void plantedEvidenceIsFoundAtStrideFour() {
        int size = 32;
        int top = 6;
        int left = 18;
        int patch = 8;
        try (BlockClassifier model = PlantedEvidence.model(size, top, left, patch, 10, null)) {
            RgbImage image = PlantedEvidence.image(size, top, left, patch, 7);
            for (Preset preset : new Preset[] {Preset.FAST_SPARSE_CIFAR10, Preset.FAITHFUL_CIFAR10}) {
                Explanation e = NeuroMask.builder().model(model).objective(preset.neuroMask().withMaskStride(4)).build()
                        .explain(image, Target.predicted());
                assertEquals(0, e.target());
                assertTrue(e.classPreserved(), "masked prediction " + e.predictedMasked());
                double inside = 0;
                double total = 0;
                double cy = 0;
                double cx = 0;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double m = e.maskAt(y, x);
                        total += m;
                        cy += m * y;
                        cx += m * x;
                        if (y >= top && y < top + patch && x >= left && x < left + patch) {
                            inside += m;
                        }
                    }
                }
                System.out.printf("stride 4, %s: inside share %.4f, mask mean %.4f%n", preset, inside / total,
                        e.maskMean());
                assertTrue(inside / total >= 0.5, preset + ": share of mask mass inside the patch " + inside / total);
                cy /= total;
                cx /= total;
                assertTrue(cy >= top && cy < top + patch && cx >= left && cx < left + patch,
                        preset + ": centre of mass (" + cy + ", " + cx + ") outside the patch");
            }
        }
    }
}
