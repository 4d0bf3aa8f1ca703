package io.neuromask.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.neuromask.base.Classifier;
import java.util.List;

/** A classifier that counts the model's calls and the images they carry, for {@link Benchmark}. */
final class CountingClassifier implements Classifier {

    private final Classifier model;
    private final List<Integer> sizes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    CountingClassifier(Classifier model) {
        this.model = model;
    }

    /** The number of images of each call so far, in order. */
    List<Integer> calls() {
        synchronized (sizes) {
            return List.copyOf(sizes);
        }
    }

    @Override
    public NDArray logits(NDArray pixels) {
        sizes.add((int) pixels.getShape().get(0));
        return model.logits(pixels);
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public int inputHeight() {
        return model.inputHeight();
    }

    @Override
    public int inputWidth() {
        return model.inputWidth();
    }

    @Override
    public List<String> labels() {
        return model.labels();
    }

    @Override
    public Device device() {
        return model.device();
    }

    @Override
    public boolean supportsGradients() {
        return model.supportsGradients();
    }

    /** Leaves the model open: it belongs to the caller. */
    @Override
    public void close() {}
}
