package io.neuromask.data;

import io.neuromask.store.Manifest;
import io.neuromask.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the manifest's labelled data sets ({@code cifar10-test}, {@code imagenet-val-sample}) through a store. */
public final class Datasets {

    private Datasets() {}

    /**
     * Fetches and opens a data set.
     *
     * @throws IllegalArgumentException for an unknown name or a set that has no labels
     * @throws IOException when a file is missing or fails its checksum
     */
    public static LabeledImages open(String name, ModelStore store) throws IOException {
        Manifest.DatasetEntry d = store.manifest().dataset(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown data set '" + name + "'; use cifar10-test, imagenet-val-sample, or --data-dir DIR"));
        Path root = store.resolveAll(d.files());
        return switch (d.format()) {
            case "cifar10-binary" -> Cifar10.read(d.files().stream().map(root::resolve).toList());
            case "val-sample" -> ImageNetValSample.read(root.resolve(d.root()));
            default -> throw new IllegalArgumentException("data set " + name + " (" + d.format()
                    + ") has no labels to evaluate; use cifar10-test or imagenet-val-sample");
        };
    }
}
