package io.neuromask;

import io.neuromask.engine.EarlyStopping;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.model.TinyCnn;
import java.io.IOException;
import java.io.InputStream;
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
 * pluggable (recorded first at commit 20bbf9c, the last commit with the NeuroMask-only engine): the SHA-256 of every
 * mask's float bits, of the masked probabilities and of the loss history, per case, in
 * {@code golden-masks.properties}.
 *
 * <p>libtorch's float results depend on the CPU's kernels (AVX2 or AVX-512, Intel or AMD: the same code gives other
 * last bits, and NeuroMask's fast presets amplify them to about 0.03 in a mask over 50 iterations), so the hashes
 * are recorded per platform, as {@code platform/case=sha256}. The test passes bit-identically when every case
 * matches one recorded platform. On a platform never recorded it checks instead that the masks agree with
 * {@code golden-values.properties} (recorded with the {@code amd-epyc-avx512} hashes, from the same engine):
 * the same iterations, stop reasons and masked predictions, masked probabilities within 0.01, and 256 sampled
 * pixels of every mask within 0.01 on average and 0.1 at most; its failure message then prints the hashes to record.
 * Record a platform only on purpose, from an engine that still passes on a recorded one:
 * {@code mvn -pl toolkit/core test -Dtest=GoldenMaskTest -Dgolden.record=NAME} (appends to the files under
 * {@code src/test/resources/io/neuromask/}).
 */
class GoldenMaskTest {

    private static final Path RESOURCES = Path.of("src/test/resources/io/neuromask");
    /** Pixels of each mask kept in golden-values.properties. */
    private static final int SAMPLES = 256;

    @Test
    void neuroMaskMasksAreBitIdenticalToTheRecordedEngine() throws Exception {
        TreeMap<String, List<Explanation>> runs = new TreeMap<>();
        try (BlockClassifier tiny = TinyCnn.model(11, null)) {
            List<RgbImage> images = Benchmark.randomImages(tiny, 3, 5);
            List<Target> targets = List.of(Target.predicted(), Target.index(3), Target.index(7));
            runs.put("paper-cifar10-batch3", NeuroMask.builder().model(tiny).preset(Preset.PAPER_CIFAR10)
                    .iterations(60).seed(9).build().explain(images, targets));
            runs.put("fast-cifar10-batch2", NeuroMask.builder().model(tiny).preset(Preset.FAST_CIFAR10)
                    .iterations(50).seed(3).batchSize(2).build().explain(images, targets));
            NeuroMaskObjective base = Preset.PAPER_CIFAR10.neuroMask().withIterations(40).withLogEvery(7);
            runs.put("per-image-sweep", NeuroMask.builder().model(tiny).objective(base).seed(1).build()
                    .explain(List.of(images.get(0), images.get(0)), List.of(Target.index(2), Target.index(2)),
                            List.of(base, base.withLambdaSparsity(2.0).withTemperature(0.5))));
            runs.put("early-stopping", NeuroMask.builder().model(tiny).preset(Preset.FAST_CIFAR10)
                    .iterations(200).earlyStopping(new EarlyStopping(0.02, 20)).seed(4).build().explain(images));
        }
        try (BlockClassifier planted = PlantedEvidence.model(224, 40, 120, 32, 10, null)) {
            RgbImage image = PlantedEvidence.image(224, 40, 120, 32, 7);
            runs.put("paper-imagenet-224", NeuroMask.builder().model(planted).preset(Preset.PAPER_IMAGENET)
                    .iterations(30).build().explain(List.of(image)));
        }
        TreeMap<String, String> actual = new TreeMap<>();
        for (var e : runs.entrySet()) {
            actual.put(e.getKey(), digest(e.getValue()));
        }
        String record = System.getProperty("golden.record");
        if (record != null) {
            record(record, runs, actual);
            return;
        }
        Properties hashes = load("golden-masks.properties");
        TreeMap<String, TreeMap<String, String>> platforms = new TreeMap<>();
        for (String key : hashes.stringPropertyNames()) {
            int slash = key.indexOf('/');
            assertTrue(slash > 0, "golden-masks.properties: key " + key + " is not platform/case");
            platforms.computeIfAbsent(key.substring(0, slash), k -> new TreeMap<>())
                    .put(key.substring(slash + 1), hashes.getProperty(key));
        }
        assertTrue(platforms.size() >= 1, "golden-masks.properties holds no platform");
        for (var p : platforms.entrySet()) {
            assertEquals(actual.keySet(), p.getValue().keySet(), "platform " + p.getKey() + " records other cases");
            if (p.getValue().equals(actual)) {
                System.out.println("GoldenMaskTest: bit-identical to the recorded run on platform " + p.getKey());
                return;
            }
        }
        // a platform never recorded: the same run to libtorch's cross-CPU precision
        Properties values = load("golden-values.properties");
        String toRecord = "masks are bit-identical to no recorded platform (" + platforms.keySet() + "); if this CPU "
                + "is new and the engine unchanged, record it (see the class javadoc). Hashes here: " + actual;
        for (var e : runs.entrySet()) {
            List<Explanation> explanations = e.getValue();
            for (int i = 0; i < explanations.size(); i++) {
                String key = e.getKey() + "." + i;
                String line = values.getProperty(key);
                assertNotNull(line, "golden-values.properties has no " + key);
                String[] parts = line.split(";");
                String[] head = parts[0].split(",");
                Explanation x = explanations.get(i);
                String what = key + ": " + toRecord;
                assertEquals(Integer.parseInt(head[0]), x.iterations(), "iterations of " + what);
                assertEquals(head[1], x.stopReason().name(), "stop reason of " + what);
                assertEquals(Integer.parseInt(head[2]), x.predictedMasked(), "masked prediction of " + what);
                assertEquals(Double.parseDouble(head[3]), x.probabilityMasked(), 0.01, "masked probability of " + what);
                String[] recorded = parts[1].split(",");
                float[] sampled = sample(x.mask());
                assertEquals(recorded.length, sampled.length, "sampled pixels of " + key);
                double sum = 0;
                for (int k = 0; k < sampled.length; k++) {
                    double d = Math.abs(Float.parseFloat(recorded[k]) - sampled[k]);
                    assertTrue(d <= 0.1, "pixel " + k + " of " + what + " differs by " + d);
                    sum += d;
                }
                assertTrue(sum / sampled.length <= 0.01, "mask of " + what + " differs by " + sum / sampled.length
                        + " on average");
            }
        }
        System.out.println("GoldenMaskTest: " + toRecord + "; they agree with golden-values.properties within "
                + "the cross-CPU tolerance");
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = GoldenMaskTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is missing");
            p.load(in);
        }
        return p;
    }

    /** Appends the hashes (and, for the first platform with values, the sampled values) of this platform. */
    private static void record(String platform, TreeMap<String, List<Explanation>> runs, TreeMap<String, String> hashes)
            throws IOException {
        assertTrue(platform.matches("[a-z0-9-]+"), "platform name: lower-case letters, digits and '-'");
        Path hashFile = RESOURCES.resolve("golden-masks.properties");
        StringBuilder out = new StringBuilder(Files.exists(hashFile) ? Files.readString(hashFile) : "");
        hashes.forEach((k, v) -> out.append(platform).append('/').append(k).append('=').append(v).append('\n'));
        Files.writeString(hashFile, out.toString());
        Path valueFile = RESOURCES.resolve("golden-values.properties");
        if (Files.exists(valueFile)) {
            return;
        }
        StringBuilder v = new StringBuilder("# GoldenMaskTest: iterations,stopReason,predictedMasked,probabilityMasked;"
                + SAMPLES + " sampled mask pixels, recorded on platform " + platform + "\n");
        for (var e : runs.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                Explanation x = e.getValue().get(i);
                v.append(e.getKey()).append('.').append(i).append('=').append(x.iterations()).append(',')
                        .append(x.stopReason().name()).append(',').append(x.predictedMasked()).append(',')
                        .append(x.probabilityMasked()).append(';');
                float[] s = sample(x.mask());
                for (int k = 0; k < s.length; k++) {
                    v.append(k == 0 ? "" : ",").append(s[k]);
                }
                v.append('\n');
            }
        }
        Files.writeString(valueFile, v.toString());
    }

    /** {@value #SAMPLES} pixels spread evenly over the mask. */
    private static float[] sample(float[] mask) {
        float[] out = new float[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            out[k] = mask[(int) ((long) k * mask.length / SAMPLES)];
        }
        return out;
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
