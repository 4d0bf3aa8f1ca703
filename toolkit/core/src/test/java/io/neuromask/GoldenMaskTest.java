package io.neuromask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.model.TinyCnn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * NeuroMask's masks at a given seed stay bit-identical to those of the engine before objectives became
 * pluggable (recorded at commit 20bbf9c, the last commit with the NeuroMask-only engine): the SHA-256 of every
 * mask's float bits, of the masked probabilities and of the loss history, per case, in
 * {@code golden-masks.properties}. Re-record only on purpose, with
 * {@code mvn -pl toolkit/core test -Dtest=GoldenMaskTest -Dgolden.record=src/test/resources/io/neuromask/golden-masks.properties}.
 */
class GoldenMaskTest {

    @Test
    void neuroMaskMasksAreBitIdenticalToTheRecordedEngine() throws Exception {
        TreeMap<String, String> actual = new TreeMap<>();
        try (BlockClassifier tiny = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(tiny, 3, 5);
            List<Target> targets = List.of(Target.predicted(), Target.index(3), Target.index(7));
            actual.put("paper-cifar10-batch3", digest(NeuroMask.builder().model(tiny).preset(Preset.PAPER_CIFAR10)
                    .iterations(60).seed(9).build().explain(images, targets)));
            actual.put("fast-cifar10-batch2", digest(NeuroMask.builder().model(tiny).preset(Preset.FAST_CIFAR10)
                    .iterations(50).seed(3).batchSize(2).build().explain(images, targets)));
            Hyperparameters base = Preset.PAPER_CIFAR10.hyperparameters().withIterations(40).withLogEvery(7);
            actual.put("per-image-sweep", digest(NeuroMask.builder().model(tiny).hyperparameters(base).seed(1).build()
                    .explain(List.of(images.get(0), images.get(0)), List.of(Target.index(2), Target.index(2)),
                            List.of(base, base.withLambdaSparsity(2.0).withTemperature(0.5)))));
            actual.put("early-stopping", digest(NeuroMask.builder().model(tiny).preset(Preset.FAST_CIFAR10)
                    .iterations(200).earlyStopping(new EarlyStopping(0.02, 20)).seed(4).build().explain(images)));
        }
        try (BlockClassifier planted = PlantedEvidence.model(224, 40, 120, 32, 10, null)) {
            RgbImage image = PlantedEvidence.image(224, 40, 120, 32, 7);
            actual.put("paper-imagenet-224", digest(NeuroMask.builder().model(planted).preset(Preset.PAPER_IMAGENET)
                    .iterations(30).build().explain(List.of(image))));
        }
        String record = System.getProperty("golden.record");
        if (record != null) {
            Properties p = new Properties();
            p.putAll(actual);
            try (OutputStream out = Files.newOutputStream(Path.of(record))) {
                p.store(out, "GoldenMaskTest: SHA-256 of NeuroMask masks, masked probabilities and loss histories");
            }
            return;
        }
        Properties expected = new Properties();
        try (InputStream in = GoldenMaskTest.class.getResourceAsStream("golden-masks.properties")) {
            assertNotNull(in, "golden-masks.properties is missing");
            expected.load(in);
        }
        for (var e : actual.entrySet()) {
            assertEquals(expected.getProperty(e.getKey()), e.getValue(), e.getKey() + ": masks differ from the golden run");
        }
        assertEquals(expected.size(), actual.size(), "every recorded case is checked");
    }

    private static String digest(List<Explanation> explanations) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (Explanation e : explanations) {
            ByteBuffer b = ByteBuffer.allocate(e.mask().length * 4 + 64);
            for (float v : e.mask()) {
                b.putInt(Float.floatToRawIntBits(v));
            }
            b.putDouble(e.probabilityMasked()).putInt(e.predictedMasked()).putInt(e.iterations())
                    .putInt(e.stopReason().ordinal()).putInt(e.target());
            md.update(b.array(), 0, b.position());
            for (LossRecord r : e.lossHistory()) {
                ByteBuffer lb = ByteBuffer.allocate(64);
                lb.putInt(r.iteration()).putDouble(r.total()).putDouble(r.maskMean()).putDouble(r.targetProbability());
                md.update(lb.array(), 0, lb.position());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
