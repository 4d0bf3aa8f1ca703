package io.neuromask.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.neuromask.base.Classifier;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A classifier that counts the model's calls and the images they carry, for {@link Benchmark}. */
final class CountingClassifier implements Classifier {

    private final Classifier model;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong inputs = new AtomicLong();

    CountingClassifier(Classifier model) {
        this.model = model;
    }

    /** Calls and images so far: {calls, images}. */
    long[] counts() {
        return new long[] {calls.get(), inputs.get()};
    }

    @Override
    public NDArray logits(NDArray pixels) {
        calls.incrementAndGet();
        inputs.addAndGet(pixels.getShape().get(0));
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
