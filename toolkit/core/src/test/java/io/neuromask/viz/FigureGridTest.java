package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import io.neuromask.data.Box;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FigureGridTest {

    @Test
    void upscaleRepeatsEachPixelAsABlock() {
        BufferedImage src = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF};
        src.setRGB(0, 0, colours[0]);
        src.setRGB(1, 0, colours[1]);
        src.setRGB(0, 1, colours[2]);
        src.setRGB(1, 1, colours[3]);
        BufferedImage up = FigureGrid.upscale(src, 3);
        assertEquals(6, up.getWidth());
        assertEquals(6, up.getHeight());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(colours[(y / 3) * 2 + x / 3], up.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FigureGrid.upscale(src, 0));
    }

    @Test
    void upscaleCopiesEveryPixelExactlyForRgbAndArgbSources() {
        java.util.Random random = new java.util.Random(5);
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
            for (int[] size : new int[][] {{32, 32}, {7, 5}, {33, 17}}) {
                BufferedImage src = new BufferedImage(size[0], size[1], type);
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++) {
                        src.setRGB(x, y, random.nextInt()); // ARGB: random alpha too, which must not blend
                    }
                }
                for (int f : new int[] {1, 3, 4}) {
                    BufferedImage up = FigureGrid.upscale(src, f);
                    for (int y = 0; y < up.getHeight(); y++) {
                        for (int x = 0; x < up.getWidth(); x++) {
                            assertEquals(src.getRGB(x / f, y / f) & 0xFFFFFF, up.getRGB(x, y) & 0xFFFFFF,
                                    "type " + type + ", " + size[0] + "x" + size[1] + " x" + f + " at " + x + "," + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void paperRowIsImageOverlayMaskWithNearestNeighbourPixels() {
        Explanation e = Fixtures.halfMask(32, 1f, 1f, 1f);
        FigureGrid grid = FigureGrid.paper(List.of(e, e));
        BufferedImage img = grid.toImage();
        assertEquals(2, grid.rowCount());
        assertEquals(3, grid.columnCount());
        Rectangle image = grid.cellBounds(1, 0);
        Rectangle overlay = grid.cellBounds(1, 1);
        Rectangle mask = grid.cellBounds(1, 2);
        assertEquals(128, image.width, "32 px upscaled 4x to the default 128 px cell");
        assertEquals(128, mask.height);
        // Image: white everywhere.
        assertEquals(0xFFFFFF, rgb(img, image.x + 5, image.y + 5));
        // Mask: jet(1) = dark red on the left half, jet(0) = dark blue on the right half, a sharp edge at 64 px.
        assertEquals(Colormap.JET.rgb(1), rgb(img, mask.x + 63, mask.y + 10));
        assertEquals(Colormap.JET.rgb(0), rgb(img, mask.x + 64, mask.y + 10));
        // Overlay: 50/50 blend of white and the jet colour.
        int left = rgb(img, overlay.x + 10, overlay.y + 10);
        int jet1 = Colormap.JET.rgb(1);
        assertEquals(Math.round(0.5 * 255 + 0.5 * ((jet1 >> 16) & 0xFF)), (left >> 16) & 0xFF, 1);
        assertEquals(Math.round(0.5 * 255), (left >> 8) & 0xFF, 1);
        // Cells do not overlap and are laid out left to right.
        assertEquals(true, image.x + image.width < overlay.x && overlay.x + overlay.width < mask.x);
    }

    @Test
    void boxesAreScaledWithThePanel() {
        BufferedImage black = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        FigureGrid grid = FigureGrid.builder().title("boxes").columns("a").cellSize(50).row(null, black)
                .box(0, 0, new Box(2, 3, 6, 7)).build();
        BufferedImage img = grid.toImage();
        Rectangle cell = grid.cellBounds(0, 0);
        assertEquals(5, grid.scaleFor(black));
        assertEquals(FigureGrid.BOX_RGB, rgb(img, cell.x + 2 * 5, cell.y + 3 * 5 + 7), "left edge of the box");
        assertEquals(FigureGrid.BOX_RGB, rgb(img, cell.x + 2 * 5 + 10, cell.y + 3 * 5), "top edge of the box");
        assertEquals(0x000000, rgb(img, cell.x + 2 * 5 + 10, cell.y + 3 * 5 + 10), "inside the box");
        assertEquals(0x000000, rgb(img, cell.x + 1, cell.y + 1), "outside the box");
    }

    @Test
    void titleAndHeadersMoveTheCellsDown() {
        BufferedImage p = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        int plain = FigureGrid.builder().row(null, p).build().cellBounds(0, 0).y;
        int titled = FigureGrid.builder().title("t").columns("c").row(null, p).build().cellBounds(0, 0).y;
        assertNotEquals(plain, titled);
        assertEquals(FigureGrid.TITLE_HEIGHT + FigureGrid.HEADER_HEIGHT, titled - plain);
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }
}
