package io.neuromask.internal;

import java.util.SplittableRandom;

/**
 * Draws the starting weights {@code w ~ U(-limit, limit)}. The draw depends only on the seed and the
 * mask size, never on the other images in a batch, so a batched run starts every image exactly where
 * a run of that image alone would.
 */
public final class InitialWeights {

    private InitialWeights() {}

    /** {@code height*width} values, row-major, uniform in [-limit, limit). */
    public static float[] uniform(long seed, int height, int width, double limit) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[height * width];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return w;
    }
}
