package io.neuromask.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.Preprocessing.Resize;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 750×514 photo made a 224² model's input with torchvision's rule (shorter side 256, centre crop 224), a 32² model's by
 * squashing; a feature at a known photo position lands on the right model pixel and maps back; masks go back onto the
 * photo; a model-sized photo is used as it is.
 */
class PreprocessingTest {

    static final int PW = 750;
    static final int PH = 514;

    @Test
    void shorterSideThenCenterCropFollowsTorchvision() {
        Preprocessing p = Preprocessing.defaultFor(224, 224);
        assertEquals(Resize.SHORTER_SIDE, p.resize());
        assertTrue(p.centerCrop());
        assertArrayEquals(new int[] {256, 256}, p.resizeTarget());
        PhotoGeometry g = p.geometry(PW, PH);
        // torchvision: Resize(256) -> short side 514 -> 256, long int(256 * 750 / 514) = int(373.54) = 373
        assertEquals(373, g.resizedWidth());
        assertEquals(256, g.resizedHeight());
        // CenterCrop(224): int(round((373 - 224) / 2)) = round(74.5) = 74 (halves to even), round(16.0) = 16
        assertEquals(74, g.cropX());
        assertEquals(16, g.cropY());
        assertTrue(g.crops());
        assertFalse(g.asIs());
        assertEquals(74 * 750 / 373.0, g.cropLeft(), 1e-12);
        assertEquals(148.7935656836461, g.cropLeft(), 1e-9);
        assertEquals(298 * 750 / 373.0, g.cropRight(), 1e-12);
        assertEquals(32.125, g.cropTop(), 1e-12);
        assertEquals(481.875, g.cropBottom(), 1e-12);
        assertEquals("750x514 -> 373x256 -> crop 224x224 at (74, 16)", g.toString());
        assertEquals("shorter-side 256, center crop 224x224", p.toString());

        // portrait: the same numbers transposed
        PhotoGeometry portrait = p.geometry(PH, PW);
        assertEquals(256, portrait.resizedWidth());
        assertEquals(373, portrait.resizedHeight());
        assertEquals(16, portrait.cropX());
        assertEquals(74, portrait.cropY());

        // shorter side to the input itself: int(224 * 750 / 514) = int(326.85) = 326, crop round(51.0) = 51
        PhotoGeometry tight = Preprocessing.of(Resize.SHORTER_SIDE, false, 224, 224).geometry(PW, PH);
        assertEquals(326, tight.resizedWidth());
        assertEquals(224, tight.resizedHeight());
        assertEquals(51, tight.cropX());
        assertEquals(0, tight.cropY());
        assertEquals(0, tight.cropTop(), 0);
        assertEquals(PH, tight.cropBottom(), 1e-12);

        // 299 px (Inception): torchvision resizes to 342
        assertArrayEquals(new int[] {342, 342}, Preprocessing.defaultFor(299, 299).resizeTarget());
    }

    @Test
    void smallModelsSquashAndSquashCanCrop() {
        Preprocessing cifar = Preprocessing.defaultFor(32, 32);
        assertEquals(Resize.SQUASH, cifar.resize());
        assertFalse(cifar.centerCrop());
        PhotoGeometry g = cifar.geometry(PW, PH);
        assertEquals(32, g.resizedWidth());
        assertEquals(32, g.resizedHeight());
        assertFalse(g.crops());
        assertEquals(0, g.cropLeft(), 0);
        assertEquals(PW, g.cropRight(), 1e-12);
        assertEquals("squash to 32x32", cifar.toString());

        PhotoGeometry squashCrop = Preprocessing.of(Resize.SQUASH, true, 224, 224).geometry(PW, PH);
        assertEquals(256, squashCrop.resizedWidth());
        assertEquals(256, squashCrop.resizedHeight());
        assertEquals(16, squashCrop.cropX());
        assertEquals(16, squashCrop.cropY());

        assertFalse(Preprocessing.defaultCenterCrop(Resize.SHORTER_SIDE, 32, 32));
        assertFalse(Preprocessing.defaultCenterCrop(Resize.SQUASH, 224, 224));
        assertTrue(Preprocessing.defaultCenterCrop(Resize.SHORTER_SIDE, 224, 224));
        assertEquals(Resize.SHORTER_SIDE, Resize.parse(" Shorter_Side "));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Resize.parse("stretch"));
        assertTrue(bad.getMessage().startsWith("resize 'stretch' is not understood; use squash"), bad.getMessage());
    }

    @Test
    void aFeatureAtAKnownPhotoPositionLandsOnTheRightModelPixelAndMapsBack() {
        // a dark noisy photo with one bright 12x12 square, centred on photo pixel edge (400, 300)
        RgbImage photo = photo(394, 294, 12, 7);
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(photo);
        RgbImage input = g.apply(photo);
        assertEquals(224, input.width());
        assertEquals(224, input.height());
        // where the feature is in the model's input: the brightness-weighted centre of the pixels above the noise
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                double v = input.get(0, y, x) - 0.3;
                if (v > 0) {
                    sx += v * (x + 0.5);
                    sy += v * (y + 0.5);
                    sw += v;
                }
            }
        }
        double mx = sx / sw;
        double my = sy / sw;
        // 400 * 373 / 750 - 74 = 124.93, 300 * 256 / 514 - 16 = 133.42
        assertEquals(400.0 * 373 / 750 - 74, g.toModelX(400), 1e-12);
        assertEquals(300.0 * 256 / 514 - 16, g.toModelY(300), 1e-12);
        assertEquals(g.toModelX(400), mx, 0.25, "feature's model x");
        assertEquals(g.toModelY(300), my, 0.25, "feature's model y");
        assertEquals(124, (int) mx);
        assertEquals(133, (int) my);
        assertEquals(400, g.toPhotoX(mx), 0.6, "and back to the photo");
        assertEquals(300, g.toPhotoY(my), 0.6);
        assertEquals(400, g.toPhotoX(g.toModelX(400)), 1e-9);
        assertEquals(300, g.toPhotoY(g.toModelY(300)), 1e-9);
        // squashed instead, the same feature lands elsewhere: 400 * 224 / 750 = 119.5, 300 * 224 / 514 = 130.7
        PhotoGeometry squash = Preprocessing.of(Resize.SQUASH, false, 224, 224).geometry(photo);
        assertEquals(119.47, squash.toModelX(400), 0.01);
        assertEquals(130.74, squash.toModelY(300), 0.01);
    }

    @Test
    void theMaskGoesBackOntoThePhotoInsideTheCropAndIsNanOutside() {
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(PW, PH);
        float[] ramp = new float[224 * 224];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                ramp[y * 224 + x] = x / 223f * 0.5f + y / 223f * 0.5f;
            }
        }
        float[] full = g.toPhoto(ramp);
        assertEquals(PW * PH, full.length);
        int inside = 0;
        for (int py = 0; py < PH; py++) {
            for (int px = 0; px < PW; px++) {
                float v = full[py * PW + px];
                double cx = px + 0.5;
                double cy = py + 0.5;
                boolean in = cx >= g.cropLeft() && cx < g.cropRight() && cy >= g.cropTop() && cy < g.cropBottom();
                assertEquals(!in, Float.isNaN(v), "pixel (" + px + ", " + py + ") inside the crop box: " + in);
                if (in) {
                    inside++;
                    // bilinear interpolation reproduces a linear ramp at the pixel's centre, edges clamped
                    double mx = Math.min(Math.max(g.toModelX(cx) - 0.5, 0), 223);
                    double my = Math.min(Math.max(g.toModelY(cy) - 0.5, 0), 223);
                    assertEquals(mx / 223 * 0.5 + my / 223 * 0.5, v, 1e-5, "(" + px + ", " + py + ")");
                }
            }
        }
        // columns 149..598 and rows 32..481 are inside: 450 x 450
        assertEquals(450 * 450, inside);
        assertTrue(Float.isNaN(full[300 * PW + 148]) && !Float.isNaN(full[300 * PW + 149]));
        assertTrue(!Float.isNaN(full[300 * PW + 598]) && Float.isNaN(full[300 * PW + 599]));
        assertTrue(Float.isNaN(full[31 * PW + 300]) && !Float.isNaN(full[32 * PW + 300]));
        assertTrue(!Float.isNaN(full[481 * PW + 300]) && Float.isNaN(full[482 * PW + 300]));
    }

    @Test
    void aPhotoAtTheModelsSizeIsUsedAsItIs() {
        RgbImage small = RgbImage.uniformNoise(1, 32, 32, 3).get(0);
        for (Preprocessing p : new Preprocessing[] {Preprocessing.defaultFor(32, 32),
            Preprocessing.of(Resize.SHORTER_SIDE, true, 32, 32)}) {
            PhotoGeometry g = p.geometry(small);
            assertTrue(g.asIs(), p.toString());
            assertSame(small, g.apply(small), "the very pixels, bit for bit");
            float[] mask = RgbImage.uniformNoise(1, 32, 32, 4).get(0).toChw();
            float[] plane = java.util.Arrays.copyOf(mask, 32 * 32);
            assertArrayEquals(plane, g.toPhoto(plane));
        }
        RgbImage big = RgbImage.uniformNoise(1, 224, 224, 5).get(0);
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(big);
        assertTrue(g.asIs() && !g.crops(), "no 8/7 zoom of an image that is already the model's input");
        assertSame(big, g.apply(big));
        assertEquals("224x224 as is", g.toString());
        assertThrows(IllegalArgumentException.class, () -> g.apply(RgbImage.uniformNoise(1, 10, 10, 1).get(0)));
        assertThrows(IllegalArgumentException.class, () -> g.toPhoto(new float[3]));
    }

    /** A 750×514 photo of noise in [0, 0.3] with a bright square (values 0.9) at ({@code left}, {@code top}). */
    static RgbImage photo(int left, int top, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] chw = new float[3 * PW * PH];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < PH; y++) {
                for (int x = 0; x < PW; x++) {
                    boolean in = x >= left && x < left + size && y >= top && y < top + size;
                    chw[(c * PH + y) * PW + x] = in ? 0.9f : (float) (0.3 * random.nextDouble());
                }
            }
        }
        return RgbImage.ofChw(chw, 3, PH, PW);
    }
}
