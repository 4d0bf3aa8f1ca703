package io.neuromask.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How a classifier's N×C×H×W activations lie in memory. The shape stays N×C×H×W either way, and so do the values;
 * only the order of the elements in memory differs, which libtorch carries from the input through every layer,
 * forward and backward, and which some CPU kernels run much faster in (on the project's CPU, libtorch 2.7.1's max
 * pooling of an N×C×H×W-ordered tensor takes about 25 times as long as of a channels-last one, and its convolutions
 * a little longer). The built-in architectures (CIFAR ResNets, SqueezeNet) compute in {@link #configured()}.
 */
public enum MemoryLayout {

    /** Row-major N×C×H×W, libtorch's default: each channel's H×W plane is contiguous. */
    NCHW,

    /** Channels last (N×H×W×C order in memory): each pixel's C channel values are contiguous. */
    CHANNELS_LAST;

    /** System property choosing the layout of the built-in architectures: {@code channels-last} or {@code nchw}. */
    public static final String PROPERTY = "neuromask.memoryLayout";

    /**
     * The layout the built-in architectures compute in: {@link #CHANNELS_LAST}, or {@link #NCHW} with the system
     * property {@value #PROPERTY}{@code =nchw}. On the project's 2-core CPU channels last took a third less time per
     * NeuroMask iteration on SqueezeNet 1.1 (its max pooling a fifteenth) and about 7 % less CPU time on ResNet20.
     *
     * @throws IllegalArgumentException when the property is set to anything else
     */
    public static MemoryLayout configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("channels-last")) {
            return CHANNELS_LAST;
        }
        if (v.trim().equalsIgnoreCase("nchw")) {
            return NCHW;
        }
        throw new IllegalArgumentException(PROPERTY + " is '" + v + "'; set it to channels-last (the default) or nchw");
    }

    /**
     * {@code x} (4-D, N×C×H×W) in this layout: the same shape and values, and differentiable. For
     * {@link #CHANNELS_LAST} a copy in N×H×W×C order seen as N×C×H×W (no copy when {@code x} is already in that
     * order); for {@link #NCHW}, {@code x} itself.
     *
     * @throws IllegalArgumentException when {@code x} is not 4-D
     */
    public NDArray apply(NDArray x) {
        if (this == NCHW) {
            return x;
        }
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("a channels-last layout needs an N×C×H×W array, got shape " + s);
        }
        // permute to N×H×W×C (a view), flatten (a copy in that order, unless already so), view it back as N×C×H×W
        return x.transpose(0, 2, 3, 1).reshape(s.get(0), -1).reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }
}
