package io.neuromask.viz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps values in [0, 1] to colours. JET is the paper's; VIRIDIS is perceptually uniform.
 *
 * <p>{@link #JET} and {@link #VIRIDIS} are matplotlib's colormaps with matplotlib's semantics: a lookup table of
 * {@value #N} colours (for jet, {@code LinearSegmentedColormap} sampled from {@code _jet_data} exactly as
 * matplotlib's {@code _create_lookup_table} does; for viridis, {@code _viridis_data} itself). A value {@code x}
 * picks entry {@code int(x · 256)}, clipped to 0..255 (so {@code x = 1} is entry 255), and the entry's
 * channels become bytes as {@code Colormap(x, bytes=True)} makes them, by truncating {@code c · 255}. Their
 * {@link #rgb} therefore equals matplotlib's {@code cmap(x, bytes=True)[:3]} for every x in [0, 1]. Out-of-range
 * values take the end colours (matplotlib's default under/over colours); NaN is treated as 0 (matplotlib
 * would give its transparent "bad" colour).
 *
 * <p>{@link #GRAY} is exact: {@code round(255 · x)} in all three channels.
 */
public enum Colormap {
    /** Matplotlib's jet: blue → cyan → yellow → red, as in the NeuroMask paper's figures. */
    JET(segmented(
            // matplotlib _cm.py _jet_data: (x, y0, y1) per channel
            new double[][] {{0.00, 0, 0}, {0.35, 0, 0}, {0.66, 1, 1}, {0.89, 1, 1}, {1.00, 0.5, 0.5}},
            new double[][] {{0.000, 0, 0}, {0.125, 0, 0}, {0.375, 1, 1}, {0.640, 1, 1}, {0.910, 0, 0},
                {1.000, 0, 0}},
            new double[][] {{0.00, 0.5, 0.5}, {0.11, 1, 1}, {0.34, 1, 1}, {0.65, 0, 0}, {1.00, 0, 0}})),
    /** Matplotlib's viridis: its 256-entry table ({@code io/neuromask/viz/viridis.txt}). */
    VIRIDIS(listed("viridis.txt")),
    /** Black (0) to white (1). */
    GRAY(null);

    /** Entries in the lookup tables of {@link #JET} and {@link #VIRIDIS}, as in matplotlib. */
    public static final int N = 256;

    /** 0xRRGGBB per entry; null for {@link #GRAY}. */
    private final int[] lut;

    Colormap(int[] lut) {
        this.lut = lut;
    }

    /** The colour of {@code value} (clamped to [0, 1]; NaN maps to 0) as 0xRRGGBB. */
    public int rgb(double value) {
        if (lut == null) {
            float f = Double.isNaN(value) ? 0f : (float) Math.max(0, Math.min(1, value));
            int g = Math.round(255 * f);
            return (g << 16) | (g << 8) | g;
        }
        double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
        return lut[Math.min(N - 1, (int) (v * N))];
    }

    /** The lookup table entry {@code i} (0..255) as 0xRRGGBB; {@link #GRAY} has none and answers {@code rgb(i/255)}. */
    public int entry(int i) {
        java.util.Objects.checkIndex(i, N);
        return lut == null ? rgb(i / 255.0) : lut[i];
    }

    /** Parses {@code jet}, {@code viridis} or {@code gray}, case-insensitively. */
    public static Colormap parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown colormap '" + name + "'; use jet, viridis or gray", e);
        }
    }

    /** matplotlib's {@code LinearSegmentedColormap(name, data, N=256)} lookup table, in bytes. */
    private static int[] segmented(double[][] red, double[][] green, double[][] blue) {
        double[][] channels = {channel(red), channel(green), channel(blue)};
        int[] out = new int[N];
        for (int i = 0; i < N; i++) {
            out[i] = (toByte(channels[0][i]) << 16) | (toByte(channels[1][i]) << 8) | toByte(channels[2][i]);
        }
        return out;
    }

    /**
     * matplotlib's {@code _create_lookup_table(N, data, gamma=1)}, operation for operation so that the doubles
     * (and so the truncated bytes) are the same: {@code x = data_x · (N−1)}, {@code xind = (N−1) · linspace(0, 1,
     * N)}, {@code ind = searchsorted(x, xind)} (left), linear interpolation from {@code y1[ind−1]} towards
     * {@code y0[ind]}, first entry {@code y1[0]}, last {@code y0[−1]}, clipped to [0, 1].
     */
    private static double[] channel(double[][] data) {
        int k = data.length;
        double[] x = new double[k];
        for (int j = 0; j < k; j++) {
            x[j] = data[j][0] * (N - 1);
        }
        double step = 1.0 / (N - 1); // numpy linspace: i * step, the last one set to stop
        double[] lut = new double[N];
        lut[0] = data[0][2];
        lut[N - 1] = data[k - 1][1];
        for (int i = 1; i < N - 1; i++) {
            double xind = (N - 1) * (i * step);
            int ind = 0;
            while (ind < k && x[ind] < xind) {
                ind++;
            }
            double distance = (xind - x[ind - 1]) / (x[ind] - x[ind - 1]);
            lut[i] = distance * (data[ind][1] - data[ind - 1][2]) + data[ind - 1][2];
        }
        for (int i = 0; i < N; i++) {
            lut[i] = Math.max(0.0, Math.min(1.0, lut[i]));
        }
        return lut;
    }

    /** matplotlib's {@code (lut * 255).astype(np.uint8)}: truncation. */
    private static int toByte(double c) {
        return (int) (c * 255);
    }

    /** A {@code ListedColormap} table: one "r g b" line per entry, '#' comments. */
    private static int[] listed(String resource) {
        List<int[]> rows = new ArrayList<>();
        try (InputStream in = Colormap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("colormap table " + resource + " missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                rows.add(new int[] {toByte(Double.parseDouble(f[0])), toByte(Double.parseDouble(f[1])),
                    toByte(Double.parseDouble(f[2]))});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.size() != N) {
            throw new IllegalStateException("colormap table " + resource + " has " + rows.size() + " entries, not " + N);
        }
        int[] out = new int[N];
        for (int i = 0; i < N; i++) {
            out[i] = (rows.get(i)[0] << 16) | (rows.get(i)[1] << 8) | rows.get(i)[2];
        }
        return out;
    }
}
