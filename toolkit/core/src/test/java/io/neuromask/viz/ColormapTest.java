package io.neuromask.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * JET and VIRIDIS against numbers worked out by hand from matplotlib's data ({@code _cm.py} {@code _jet_data},
 * {@code _cm_listed.py} {@code _viridis_data}) with matplotlib's rules: entry {@code int(256·x)} of a 256-entry
 * table, channel bytes {@code int(255·c)} (truncated, as {@code cmap(x, bytes=True)}).
 */
class ColormapTest {

    @Test
    void jetMatchesMatplotlibsSegmentData() {
        // x = 0: entry 0 = each channel's first y1: red 0, green 0, blue 0.5 -> (0, 0, int(127.5) = 127)
        assertEquals(0x00007F, Colormap.JET.rgb(0));
        // x = 0.25: entry 64, at 64 on the 0..255 axis (stops scaled by 255).
        //   red: 64 < 0.35·255 = 89.25 -> 0
        //   green: (64 − 0.125·255) / ((0.375 − 0.125)·255) = 32.125 / 63.75 = 0.50392 -> int(128.5) = 128
        //   blue: between 0.11·255 = 28.05 and 0.34·255 = 86.7, flat at 1 -> 255
        assertEquals(0x0080FF, Colormap.JET.rgb(0.25));
        // x = 0.5: entry 128.
        //   red: (128 − 89.25) / (0.31·255) = 38.75 / 79.05 = 0.490196 -> 255·0.490196 = 125 on paper, but in
        //        doubles 124.99999999999999, truncated to 124 (matplotlib gives 124 too)
        //   green: between 0.375·255 and 0.64·255, flat at 1 -> 255
        //   blue: 1 − (128 − 86.7) / ((0.65 − 0.34)·255) = 1 − 41.3 / 79.05 = 0.477546 -> int(121.77) = 121
        assertEquals(0x7CFF79, Colormap.JET.rgb(0.5));
        // x = 0.75: entry 192.
        //   red: between 0.66·255 and 0.89·255, flat at 1 -> 255
        //   green: 1 − (192 − 0.64·255) / ((0.91 − 0.64)·255) = 1 − 28.8 / 68.85 = 0.581699 -> int(148.33) = 148
        //   blue: 192 > 0.65·255 = 165.75 -> 0
        assertEquals(0xFF9400, Colormap.JET.rgb(0.75));
        // x = 1: entry 255 = each channel's last y0: (0.5, 0, 0) -> (127, 0, 0)
        assertEquals(0x7F0000, Colormap.JET.rgb(1));
    }

    @Test
    void viridisIsMatplotlibsTable() {
        // _viridis_data[0] = (0.267004, 0.004874, 0.329415) -> int(68.09), int(1.24), int(84.00) = (68, 1, 84)
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0));
        assertEquals(0x440154, Colormap.VIRIDIS.entry(0));
        // _viridis_data[128] = (0.127568, 0.566949, 0.550556) -> int(32.53), int(144.57), int(140.39)
        assertEquals(0x20908C, Colormap.VIRIDIS.rgb(0.5));
        assertEquals(0x20908C, Colormap.VIRIDIS.entry(128));
        // _viridis_data[255] = (0.993248, 0.906157, 0.143936) -> int(253.28), int(231.07), int(36.70)
        assertEquals(0xFDE724, Colormap.VIRIDIS.rgb(1));
        assertEquals(0xFDE724, Colormap.VIRIDIS.entry(255));
    }

    @Test
    void aValuePicksEntryIntOf256TimesXClipped() {
        for (Colormap c : new Colormap[] {Colormap.JET, Colormap.VIRIDIS}) {
            for (int i = 0; i < Colormap.N; i++) {
                assertEquals(c.entry(i), c.rgb(i / 256.0), c + " at the start of entry " + i);
                assertEquals(c.entry(i), c.rgb((i + 0.999) / 256.0), c + " at the end of entry " + i);
            }
            assertEquals(c.entry(255), c.rgb(1.0), "x = 1 is the last entry, not past it");
            assertEquals(c.entry(0), c.rgb(-3), "under: the first colour");
            assertEquals(c.entry(255), c.rgb(7), "over: the last colour");
            assertEquals(c.entry(0), c.rgb(Double.NaN), "NaN: as 0");
        }
        // the boundary between entries 127 and 128 shows in jet's red: 121 vs 124
        assertEquals(121, Colormap.JET.rgb(127.999 / 256) >> 16);
        assertEquals(124, Colormap.JET.rgb(128.0 / 256) >> 16);
    }

    @Test
    void grayIsRoundedLinear() {
        assertEquals(0x000000, Colormap.GRAY.rgb(0));
        assertEquals(0x808080, Colormap.GRAY.rgb(0.5)); // round(127.5) = 128
        assertEquals(0xFFFFFF, Colormap.GRAY.rgb(1));
        assertEquals(0x333333, Colormap.GRAY.rgb(0.2)); // 51
    }

    @Test
    void parse() {
        assertEquals(Colormap.VIRIDIS, Colormap.parse(" Viridis "));
        assertThrows(IllegalArgumentException.class, () -> Colormap.parse("hot"));
    }
}
