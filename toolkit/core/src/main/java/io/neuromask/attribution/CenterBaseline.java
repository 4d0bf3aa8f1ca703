package io.neuromask.attribution;

import io.neuromask.base.Classifier;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Inputs;

/**
 * The {@code center} baseline: the same centred Gaussian map for every image and target, with a
 * standard deviation of 1/4 of each side. It looks at nothing, so a method's localisation score only
 * means something where it beats this one (on ImageNet, objects are large and centred, and this
 * baseline scores high on the plain pointing game).
 */
public final class CenterBaseline extends FixedMapBaseline {

    public CenterBaseline(Classifier model) {
        super(model, m -> gaussian(m.inputHeight(), m.inputWidth(), 0.25));
    }

    /** A centred Gaussian with standard deviation {@code sigmaFraction} of each side. */
    public static SaliencyMap gaussian(int h, int w, double sigmaFraction) {
        Inputs.positive("sigmaFraction", sigmaFraction, "0.25 is the default");
        double[] v = new double[h * w];
        double sy = sigmaFraction * h;
        double sx = sigmaFraction * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ny = (y + 0.5 - h / 2.0) / sy;
                double nx = (x + 0.5 - w / 2.0) / sx;
                v[y * w + x] = Math.exp(-0.5 * (nx * nx + ny * ny));
            }
        }
        return SaliencyMap.of(v, h, w);
    }

    @Override
    public String name() {
        return "center";
    }
}
