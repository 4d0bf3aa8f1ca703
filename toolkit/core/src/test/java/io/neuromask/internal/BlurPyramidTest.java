package io.neuromask.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The blur pyramid: each mask row picks its image's level m·(L−1), interpolating between the two around it. */
class BlurPyramidTest {

    @Test
    void rowsOfAnImageInterpolateItsLevels() {
        int c = 3;
        int h = 5;
        int w = 4;
        int size = c * h * w;
        float[][] images = new float[2][size];
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < size; p++) {
                images[i][p] = (float) ((p * 7 + i * 13) % 11) / 10;
            }
        }
        int levels = 3;
        double maxSigma = 1.5;
        // the levels by hand: σ = 1.5, 0.75, 0 (the image)
        float[][][] level = new float[2][levels][];
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < levels; l++) {
                double sigma = maxSigma * (1 - (double) l / (levels - 1));
                level[i][l] = sigma == 0 ? images[i] : GaussianBlur.blur(images[i], c, h, w, sigma);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            BlurPyramid pyramid = BlurPyramid.of(m, images, c, h, w, levels, maxSigma);
            // two masks per image: rows 0, 1 perturb image 0, rows 2, 3 image 1
            float[] mask = new float[4 * h * w];
            for (int p = 0; p < mask.length; p++) {
                mask[p] = (float) ((p * 5) % 9) / 8; // 0 … 1, both ends included
            }
            float[] out = pyramid.apply(m.create(mask, new Shape(4, 1, h, w)), 2).toFloatArray();
            for (int r = 0; r < 4; r++) {
                int i = r / 2;
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < h * w; p++) {
                        double s = mask[r * h * w + p] * (levels - 1);
                        int k = (int) Math.floor(s);
                        int k1 = Math.min(k + 1, levels - 1);
                        double f = s - k;
                        double expected = (1 - f) * level[i][k][ch * h * w + p] + f * level[i][k1][ch * h * w + p];
                        assertEquals(expected, out[((r * c) + ch) * h * w + p], 1e-6,
                                "row " + r + ", channel " + ch + ", pixel " + p);
                    }
                }
            }
            // one mask per image (the saliency), and a view of the second image's pyramid
            float[] one = pyramid.select(m.create(new long[] {1})).apply(m.ones(new Shape(1, 1, h, w))).toFloatArray();
            for (int p = 0; p < size; p++) {
                assertEquals(images[1][p], one[p], 1e-6, "a mask of 1 keeps the image");
            }
            assertThrows(IllegalArgumentException.class, () -> pyramid.apply(m.ones(new Shape(3, 1, h, w)), 2));
            assertEquals(DataType.FLOAT32, pyramid.apply(m.zeros(new Shape(2, 1, h, w))).getDataType());
        }
    }
}
