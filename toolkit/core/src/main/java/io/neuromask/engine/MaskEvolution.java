package io.neuromask.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a mask formed: snapshots of it during the optimisation, recorded when asked with
 * {@link MaskEngine.Builder#recordEvery(int)}. Each frame is the mask quantised to 8 bits ({@code round(255 m)}), one
 * byte per pixel: 1 KiB at 32×32, 49 KiB at 224×224. At most {@value #MAX_FRAMES} frames are kept per image:
 * when the recording is full, every other frame is dropped and the interval doubles, so memory stays bounded
 * whatever the iteration count (at most 100 KiB per image at 32², 4.8 MiB at 224²; 1 MiB holds 1,024 frames at
 * 32², 20 at 224²). The last frame is the final mask ({@link Explanation#mask()}).
 */
public final class MaskEvolution {

    /** Most frames kept per image. */
    public static final int MAX_FRAMES = 100;

    private final int height;
    private final int width;
    private final int[] iterations;
    private final byte[][] frames;

    private MaskEvolution(int height, int width, int[] iterations, byte[][] frames) {
        this.height = height;
        this.width = width;
        this.iterations = iterations;
        this.frames = frames;
    }

    /** Number of frames. */
    public int size() {
        return frames.length;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The iteration frame {@code i} was taken at, before that iteration's update (the final mask: the count run). */
    public int iteration(int i) {
        return iterations[i];
    }

    /** Frame {@code i} as mask values in [0, 1] (multiples of 1/255), row-major H×W. */
    public float[] frame(int i) {
        byte[] f = frames[i];
        float[] out = new float[f.length];
        for (int p = 0; p < f.length; p++) {
            out[p] = (f[p] & 0xff) / 255f;
        }
        return out;
    }

    /** Bytes one frame takes: one per pixel. */
    public int bytesPerFrame() {
        return height * width;
    }

    /** Records the frames of one image; not thread-safe. */
    static final class Recorder {
        private final int height;
        private final int width;
        private int every;
        private final List<Integer> iterations = new ArrayList<>();
        private final List<byte[]> frames = new ArrayList<>();

        Recorder(int every, int height, int width) {
            if (every < 1) {
                throw new IllegalArgumentException("recordEvery must be at least 1, got " + every);
            }
            this.every = every;
            this.height = height;
            this.width = width;
        }

        /** Whether iteration {@code it} is one to record. */
        boolean wants(int it) {
            return it % every == 0;
        }

        /** Records the mask at {@code offset} of {@code masks} (H·W values) for iteration {@code it}. */
        void record(int it, float[] masks, int offset) {
            if (!wants(it)) {
                return;
            }
            if (frames.size() == MAX_FRAMES - 1) { // keep room for the final mask
                thin();
                if (!wants(it)) {
                    return;
                }
            }
            iterations.add(it);
            frames.add(quantise(masks, offset, height * width));
        }

        private void thin() {
            List<Integer> keptIt = new ArrayList<>();
            List<byte[]> kept = new ArrayList<>();
            every *= 2;
            for (int i = 0; i < frames.size(); i++) {
                if (iterations.get(i) % every == 0) {
                    keptIt.add(iterations.get(i));
                    kept.add(frames.get(i));
                }
            }
            iterations.clear();
            iterations.addAll(keptIt);
            frames.clear();
            frames.addAll(kept);
        }

        /** The recording, ending with the final mask after {@code iterationsRun} iterations. */
        MaskEvolution finish(int iterationsRun, float[] finalMask) {
            int[] its = new int[iterations.size() + 1];
            byte[][] fs = new byte[its.length][];
            for (int i = 0; i < iterations.size(); i++) {
                its[i] = iterations.get(i);
                fs[i] = frames.get(i);
            }
            its[its.length - 1] = iterationsRun;
            fs[fs.length - 1] = quantise(finalMask, 0, finalMask.length);
            return new MaskEvolution(height, width, its, fs);
        }

        private static byte[] quantise(float[] masks, int offset, int n) {
            byte[] out = new byte[n];
            for (int p = 0; p < n; p++) {
                float v = masks[offset + p];
                double c = Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
                out[p] = (byte) Math.round(255 * c);
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return "MaskEvolution[" + size() + " frames of " + width + "x" + height + ", iterations "
                + (size() <= 6 ? Arrays.toString(iterations)
                        : iterations[0] + ", " + iterations[1] + ", ..., " + iterations[size() - 1]) + "]";
    }
}
