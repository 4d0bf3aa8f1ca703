package io.neuromask.data;

import io.neuromask.model.PlantedEvidence;
import io.neuromask.store.Manifest;
import io.neuromask.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Named data sets for {@code evaluate} and {@code evaluate-accuracy}:
 * <ul>
 *   <li>the manifest's labelled sets, fetched through a {@link ModelStore}: {@code cifar10-test} (all
 *       10,000 CIFAR-10 test images when the full {@code test_batch.bin} is in the cache or the mirror, e.g.
 *       after a download without a mirror or {@code models fetch --all}; else the first 1,000) and {@code imagenet-val-sample} (300 ImageNet validation
 *       images with boxes);</li>
 *   <li>{@code test-planted-32}: 64 synthetic planted-evidence images (class 0, the patch as box).</li>
 * </ul>
 */
public final class Datasets {

    private Datasets() {}

    /**
     * Fetches and opens a data set: its {@code fullFiles} when they are all in the cache or the mirror, else its
     * {@code files}.
     *
     * @throws IllegalArgumentException for an unknown name or a set that has no labels
     * @throws IOException when a file is missing or fails its checksum
     */
    public static LabeledImages open(String name, ModelStore store) throws IOException {
        if (name.equals("test-planted-32")) {
            return planted(32, 64);
        }
        Manifest.DatasetEntry d = store.manifest().dataset(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown data set '" + name + "'; use cifar10-test, imagenet-val-sample, test-planted-32, or "
                        + "--data-dir DIR"));
        List<String> files = d.files();
        Path root = store.resolveAll(files); // without a mirror this may bring the full files into the cache
        if (d.fullFiles() != null && !d.fullFiles().isEmpty()
                && d.fullFiles().stream().allMatch(f -> store.isLocal(store.manifest().file(f)))) {
            files = d.fullFiles();
            root = store.resolveAll(files);
        }
        return switch (d.format()) {
            case "cifar10-binary" -> Cifar10.read(files.stream().map(root::resolve).toList());
            case "val-sample" -> ImageNetValSample.read(root.resolve(d.root()));
            default -> throw new IllegalArgumentException("data set " + name + " (" + d.format()
                    + ") has no labels to evaluate; use cifar10-test or imagenet-val-sample");
        };
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
