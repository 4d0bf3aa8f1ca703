package io.neuromask.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Antialiased shrinking averages detail finer than the output's pixels; point sampling would alias it. */
class ResamplingTest {

    /** A one-pixel checkerboard, black and white. */
    static RgbImage checkerboard(int size) {
        float[] chw = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    chw[(c * size + y) * size + x] = (x + y) % 2;
                }
            }
        }
        return RgbImage.ofChw(chw, 3, size, size);
    }

    @Test
    void aCheckerboardShrunkByFourOrThreeIsGrey() {
        for (int factor : new int[] {4, 3}) {
            int size = 24 * factor;
            RgbImage small = checkerboard(size).resizeAntialiased(24, 24);
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    boolean border = x == 0 || y == 0 || x == 23 || y == 23;
                    assertEquals(0.5, small.get(1, y, x), border ? 0.05 : 0.01,
                            "x" + factor + " at (" + x + ", " + y + ")");
                }
            }
        }
        // point sampling (the bilinear resize without antialiasing) hits single pixels at a factor of 3: black or white
        RgbImage aliased = checkerboard(72).resize(24, 24);
        double worst = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                worst = Math.max(worst, Math.abs(aliased.get(0, y, x) - 0.5));
            }
        }
        assertTrue(worst > 0.45, "the test can tell: bilinear point sampling aliases, off by " + worst);
    }

    @Test
    void enlargingIsBilinearAndFlatStaysFlat() {
        RgbImage noise = RgbImage.uniformNoise(1, 9, 13, 2).get(0);
        RgbImage a = noise.resizeAntialiased(31, 20);
        RgbImage b = noise.resize(31, 20);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 31; x++) {
                    assertEquals(b.get(c, y, x), a.get(c, y, x), 1e-6);
                }
            }
        }
        float[] grey = new float[3 * 50 * 70];
        java.util.Arrays.fill(grey, 0.25f);
        RgbImage flat = RgbImage.ofChw(grey, 3, 50, 70).resizeAntialiased(17, 11);
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 17; x++) {
                assertEquals(0.25, flat.get(2, y, x), 1e-6, "borders are not darkened");
            }
        }
    }

    @Test
    void cropKeepsTheRegion() {
        RgbImage noise = RgbImage.uniformNoise(1, 10, 12, 9).get(0);
        RgbImage crop = noise.crop(3, 2, 5, 4);
        assertEquals(5, crop.width());
        assertEquals(4, crop.height());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    assertEquals(noise.get(c, y + 2, x + 3), crop.get(c, y, x));
                }
            }
        }
        assertTrue(noise.crop(0, 0, 12, 10) == noise);
    }
}
