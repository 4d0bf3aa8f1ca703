package io.neuromask.data;

import io.neuromask.metrics.Box;
import io.neuromask.model.PlantedEvidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Named data sets for {@code neuromask evaluate --data NAME}:
 * <ul>
 *   <li>{@code imagenet-val-sample}: {@code data/imagenet/val-sample} under the local mirror
 *       ({@code NEUROMASK_MIRROR} or {@code -Dneuromask.mirror}), read by {@link ValSampleFolder};</li>
 *   <li>{@code cifar10-test}: TODO, wired when the CIFAR-10 binary reader is merged;</li>
 *   <li>{@code test-planted-32}: 64 synthetic planted-evidence images (class 0, the patch as box).</li>
 * </ul>
 */
public final class Datasets {

    private Datasets() {}

    public static LabeledImages open(String name) throws IOException {
        switch (name) {
            case "imagenet-val-sample":
                return ValSampleFolder.open(mirror().resolve("data/imagenet/val-sample"));
            case "cifar10-test":
                // TODO(lead): plug in the CIFAR-10 binary reader from the models branch (label, no boxes).
                throw new IllegalArgumentException("data set cifar10-test is not wired yet (its reader lives on another "
                        + "branch); use --data-dir with a folder in the val-sample layout");
            case "test-planted-32":
                return planted(32, 64);
            default:
                throw new IllegalArgumentException("unknown data set '" + name
                        + "'; known: imagenet-val-sample, cifar10-test, test-planted-32 (or use --data-dir DIR)");
        }
    }

    /** The local mirror root. */
    static Path mirror() {
        String m = System.getProperty("neuromask.mirror", System.getenv("NEUROMASK_MIRROR"));
        if (m == null || m.isBlank()) {
            throw new IllegalArgumentException("set NEUROMASK_MIRROR (or -Dneuromask.mirror) to the local model/data "
                    + "mirror, or use --data-dir DIR");
        }
        Path p = Path.of(m);
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("mirror folder " + p.toAbsolutePath() + " does not exist");
        }
        return p;
    }

    /** Synthetic images for {@link PlantedEvidence#model(int, ai.djl.Device)}: label 0, the evidence patch as box. */
    public static LabeledImages planted(int size, int count) {
        int top = size * 6 / 32;
        int left = size * 18 / 32;
        int patch = Math.max(1, size / 4);
        return new LabeledImages() {
            @Override
            public String name() {
                return "test-planted-" + size;
            }

            @Override
            public int size() {
                return count;
            }

            @Override
            public LabeledImage get(int index) {
                return new LabeledImage("planted-" + index, PlantedEvidence.image(size, top, left, patch, index), 0,
                        List.of(new Box(left, top, left + patch, top + patch)));
            }
        };
    }
}
