package io.neuromask.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import io.neuromask.base.Classifier;
import java.util.List;
import java.util.Objects;

/**
 * A classifier that computes logits but no gradients ({@link Classifier#supportsGradients()} is {@code false}): its
 * logits are detached from any autograd graph. Only the forward-only methods (occlusion, RISE, the centre baseline)
 * run on it; the others refuse it, naming {@link #reason()}. Made by {@link Models#forwardOnly}.
 */
public final class ForwardOnlyClassifier implements Classifier {

    private final Classifier delegate;
    private final String reason;

    ForwardOnlyClassifier(Classifier delegate, String reason) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why it computes no gradients, e.g. {@code "its engine has no autograd"}. */
    public String reason() {
        return reason;
    }

    /** The wrapped classifier. */
    public Classifier delegate() {
        return delegate;
    }

    @Override
    public boolean supportsGradients() {
        return false;
    }

    @Override
    public NDArray logits(NDArray pixels) {
        return delegate.logits(pixels).stopGradient();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int inputHeight() {
        return delegate.inputHeight();
    }

    @Override
    public int inputWidth() {
        return delegate.inputWidth();
    }

    @Override
    public List<String> labels() {
        return delegate.labels();
    }

    @Override
    public Device device() {
        return delegate.device();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "ForwardOnly[" + delegate + ": " + reason + "]";
    }
}
