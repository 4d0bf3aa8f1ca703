package io.neuromask.viz;

import java.util.Locale;

/** Maps values in [0, 1] to colours. JET is the paper's; VIRIDIS is perceptually uniform. */
public enum Colormap {
    /** Matplotlib's jet: blue → cyan → yellow → red, as in the NeuroMask paper's figures. */
    JET(new float[][] {
        {0.000f, 0f, 0f, 0.5f}, {0.110f, 0f, 0f, 1f}, {0.125f, 0f, 0f, 1f}, {0.340f, 0f, 1f, 1f},
        {0.350f, 0f, 1f, 1f}, {0.650f, 1f, 1f, 0f}, {0.660f, 1f, 1f, 0f}, {0.890f, 1f, 0f, 0f},
        {1.000f, 0.5f, 0f, 0f}}),
    /** Matplotlib's viridis, sampled every 1/8 and linearly interpolated. */
    VIRIDIS(new float[][] {
        {0.000f, 0.267f, 0.005f, 0.329f}, {0.125f, 0.283f, 0.141f, 0.458f}, {0.250f, 0.254f, 0.265f, 0.530f},
        {0.375f, 0.207f, 0.372f, 0.553f}, {0.500f, 0.164f, 0.471f, 0.558f}, {0.625f, 0.128f, 0.567f, 0.551f},
        {0.750f, 0.135f, 0.659f, 0.518f}, {0.875f, 0.478f, 0.821f, 0.318f}, {1.000f, 0.993f, 0.906f, 0.144f}}),
    /** Black (0) to white (1). */
    GRAY(new float[][] {{0f, 0f, 0f, 0f}, {1f, 1f, 1f, 1f}});

    private final float[][] stops;

    Colormap(float[][] stops) {
        this.stops = stops;
    }

    /** The colour of {@code value} (clamped to [0, 1]; NaN maps to 0) as 0xRRGGBB. */
    public int rgb(double value) {
        float v = Double.isNaN(value) ? 0f : (float) Math.max(0, Math.min(1, value));
        int i = 1;
        while (i < stops.length - 1 && stops[i][0] < v) {
            i++;
        }
        float[] a = stops[i - 1];
        float[] b = stops[i];
        float t = b[0] == a[0] ? 0 : (v - a[0]) / (b[0] - a[0]);
        int r = Math.round(255 * (a[1] + t * (b[1] - a[1])));
        int g = Math.round(255 * (a[2] + t * (b[2] - a[2])));
        int bl = Math.round(255 * (a[3] + t * (b[3] - a[3])));
        return (r << 16) | (g << 8) | bl;
    }

    /** Parses {@code jet}, {@code viridis} or {@code gray}, case-insensitively. */
    public static Colormap parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown colormap '" + name + "'; use jet, viridis or gray", e);
        }
    }
}
