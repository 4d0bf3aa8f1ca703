package io.neuromask.cli;

import io.neuromask.data.Datasets;
import io.neuromask.data.ImageNetValSample;
import io.neuromask.data.LabeledImages;
import io.neuromask.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data NAME | --data-dir DIR} choice shared by the evaluation commands. */
final class DataSource {

    @Option(names = "--data", description = "cifar10-test, imagenet-val-sample or test-planted-32.")
    String data;

    @Option(names = "--data-dir", description = "A folder in the val-sample layout: images/ and annotations.csv.")
    Path dataDir;

    /** Opens the chosen data set (named sets through the model store: cache, mirror, download). */
    LabeledImages open() throws IOException {
        return dataDir != null ? ImageNetValSample.read(dataDir) : Datasets.open(data, ModelStore.fromEnvironment());
    }
}
