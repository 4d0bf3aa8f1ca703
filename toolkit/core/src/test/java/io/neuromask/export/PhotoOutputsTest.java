package io.neuromask.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.Preset;
import io.neuromask.base.PhotoGeometry;
import io.neuromask.base.Preprocessing;
import io.neuromask.base.RgbImage;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.StopReason;
import io.neuromask.io.Npy;
import io.neuromask.io.Png;
import io.neuromask.viz.Colormap;
import io.neuromask.viz.ExplanationFigure;
import io.neuromask.viz.PhotoOverlay;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs map back to the photo: a 750×514 photo explained by a 224² model gives mask.npy at 224², mask_full.npy and
 * overlay.png at 750×514 (NaN and the bare photo outside the crop, the crop outlined), figure.png with the image, the
 * mask with its colour bar and the overlay under a title, and explanation.json with the preprocessing.
 */
class PhotoOutputsTest {

    static final int PW = 750;
    static final int PH = 514;

    @TempDir
    Path tmp;

    /** A photo: a smooth colour gradient, so that any pixel's colour says where it came from. */
    static RgbImage photo() {
        float[] chw = new float[3 * PW * PH];
        SplittableRandom random = new SplittableRandom(1);
        for (int y = 0; y < PH; y++) {
            for (int x = 0; x < PW; x++) {
                int i = y * PW + x;
                chw[i] = x / (PW - 1f);
                chw[PW * PH + i] = y / (PH - 1f);
                chw[2 * PW * PH + i] = (float) (0.2 + 0.1 * random.nextDouble());
            }
        }
        return RgbImage.ofChw(chw, 3, PH, PW);
    }

    /** An explanation of the model input made from {@code photo}: mask 1 on a 64×64 square at (100, 60), else 0.1. */
    static Explanation explanation(RgbImage input) {
        float[] mask = new float[input.width() * input.height()];
        for (int y = 0; y < input.height(); y++) {
            for (int x = 0; x < input.width(); x++) {
                mask[y * input.width() + x] = x >= 100 && x < 164 && y >= 60 && y < 124 ? 1f : 0.1f;
            }
        }
        return Explanation.builder("fixture-224", input, mask).target(0, "evidence").original(0, 0.97)
                .masked(0, 0.88).run(List.of(), 10, Duration.ofMillis(10), StopReason.COMPLETED)
                .objective(Preset.PAPER_IMAGENET.neuroMask(), Preset.PAPER_IMAGENET.neuroMask().optimizer())
                .seed(42).device("cpu()").build();
    }

    static float[] npy(Path file, long... shape) throws Exception {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray a = Npy.read(m, file);
            assertEquals(new Shape(shape), a.getShape(), file.getFileName().toString());
            return a.toFloatArray();
        }
    }

    @Test
    void outputsAtThePhotosResolution() throws Exception {
        RgbImage photo = photo();
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(photo);
        Explanation e = explanation(g.apply(photo)).withPhotoGeometry(g);
        Path dir = tmp.resolve("out");
        ExplanationFiles.saveAll(e, photo, dir);
        try (var files = Files.list(dir)) {
            assertEquals(ExplanationFiles.FILES.stream().sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }

        assertArrayEquals(e.mask(), npy(dir.resolve("mask.npy"), 224, 224), "mask.npy at the model's resolution");
        float[] full = npy(dir.resolve("mask_full.npy"), PH, PW);
        assertArrayEquals(g.toPhoto(e.mask()), full, "mask_full.npy is the mask on the photo");
        assertTrue(Float.isNaN(full[0]) && Float.isNaN(full[300 * PW + 148]), "NaN outside the crop");
        // the photo pixel at the centre of model pixel (130, 90), inside the kept square, is 1; one far outside 0.1
        int px = (int) g.toPhotoX(130.5);
        int py = (int) g.toPhotoY(90.5);
        assertEquals(1f, full[py * PW + px], 1e-6);
        assertEquals(0.1f, full[(int) g.toPhotoY(200.5) * PW + (int) g.toPhotoX(20.5)], 1e-6);

        BufferedImage overlay = ImageIO.read(dir.resolve("overlay.png").toFile());
        assertEquals(PW, overlay.getWidth());
        assertEquals(PH, overlay.getHeight());
        // outside the crop: the photo itself; inside: the blend of the photo and jet(mask); the crop's edge outlined
        assertEquals(photo.toBufferedImage().getRGB(20, 20) & 0xffffff, overlay.getRGB(20, 20) & 0xffffff);
        int jet = Colormap.JET.rgb(1f);
        int r = (int) Math.round(0.5 * photo.get(0, py, px) * 255 + 0.5 * ((jet >> 16) & 0xff));
        assertEquals(r, (overlay.getRGB(px, py) >> 16) & 0xff);
        int t = PhotoOverlay.outlineWidth(PW, PH);
        assertEquals(3, t);
        for (int x = 146; x <= 148; x++) {
            assertEquals(PhotoOverlay.OUTLINE_RGB, overlay.getRGB(x, 300) & 0xffffff, "left edge at x = " + x);
        }
        assertFalse((overlay.getRGB(145, 300) & 0xffffff) == PhotoOverlay.OUTLINE_RGB);
        assertFalse((overlay.getRGB(149, 300) & 0xffffff) == PhotoOverlay.OUTLINE_RGB, "the crop's pixels stay exact");

        BufferedImage figure = ImageIO.read(dir.resolve("figure.png").toFile());
        ExplanationFigure expected = ExplanationFigure.of(e, photo);
        assertEquals(expected.width(), figure.getWidth());
        assertEquals(expected.height(), figure.getHeight());
        // three panels of 384x263 (the photo's shape, 384 on the longer side), a colour bar, margins and a title
        assertEquals(new Rectangle(10, 70, 384, 263), expected.imageBounds());
        assertEquals(1246, figure.getWidth());
        assertEquals(343, figure.getHeight());
        Map<String, String> text;
        try (InputStream in = Files.newInputStream(dir.resolve("figure.png"))) {
            text = Png.text(in);
        }
        assertEquals("evidence (class 0): p = 0.970 before masking, 0.880 after", text.get("Title"));
        assertTrue(text.get("Description").contains("750x514 -> 373x256 -> crop 224x224 at (74, 16)"),
                text.get("Description"));

        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject();
        JsonObject p = json.getAsJsonObject("preprocessing");
        assertEquals("shorter-side", p.get("mode").getAsString());
        assertTrue(p.get("center_crop").getAsBoolean());
        assertFalse(p.get("as_is").getAsBoolean());
        assertTrue(p.get("antialias").getAsBoolean());
        assertEquals("[750,514]", p.get("photo_size").toString());
        assertEquals("[373,256]", p.get("resize_size").toString());
        assertEquals("[74,16,224,224]", p.get("crop_in_resized").toString());
        assertEquals("[224,224]", p.get("input_size").toString());
        JsonArray box = p.getAsJsonArray("crop_box");
        assertEquals(g.cropLeft(), box.get(0).getAsDouble(), 1e-12);
        assertEquals(32.125, box.get(1).getAsDouble(), 1e-12);
        assertEquals(g.cropRight(), box.get(2).getAsDouble(), 1e-12);
        assertEquals(481.875, box.get(3).getAsDouble(), 1e-12);
    }

    @Test
    void theFigurePlacesItsPartsWhereItSays() {
        RgbImage photo = photo();
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(photo);
        Explanation e = explanation(g.apply(photo)).withPhotoGeometry(g);
        ExplanationFigure f = ExplanationFigure.of(e, photo);
        BufferedImage img = f.toImage();
        Rectangle image = f.imageBounds();
        // the image panel's top-right corner is the photo's: red (x = 1), little green (y = 0)
        int c = img.getRGB(image.x + image.width - 2, image.y + 1);
        assertTrue(((c >> 16) & 0xff) > 240 && ((c >> 8) & 0xff) < 10, Integer.toHexString(c));
        // the mask panel is light grey outside the crop, jet(0.1) inside it
        Rectangle mask = f.maskBounds();
        assertEquals(ExplanationFigure.OUTSIDE_RGB, img.getRGB(mask.x + 2, mask.y + 2) & 0xffffff);
        int inside = img.getRGB(mask.x + (int) Math.round(g.toPhotoX(20) * mask.width / PW),
                mask.y + (int) Math.round(g.toPhotoY(200) * mask.height / PH)) & 0xffffff;
        assertEquals(Colormap.JET.rgb(0.1f), inside);
        // the colour bar runs from jet(1) at the top to jet(0) at the bottom
        Rectangle bar = f.colorbarBounds();
        assertEquals(Colormap.JET.rgb(1), img.getRGB(bar.x + 3, bar.y) & 0xffffff);
        assertEquals(Colormap.JET.rgb(0), img.getRGB(bar.x + 3, bar.y + bar.height - 1) & 0xffffff);
        assertEquals(mask.height, bar.height);
        Rectangle overlay = f.overlayBounds();
        assertTrue(overlay.x > bar.x + bar.width && overlay.x + overlay.width < f.width());
        assertEquals(f.width(), img.getWidth());
    }

    @Test
    void smallImagesAreEnlargedAndHugePhotosCapped() {
        // CIFAR-sized, no photo: panels enlarged 12 times, to 384
        RgbImage tiny = RgbImage.uniformNoise(1, 32, 32, 3).get(0);
        float[] half = new float[32 * 32];
        java.util.Arrays.fill(half, 0.5f);
        Explanation small = Explanation.builder("tiny", tiny, half).target(1, "one").original(1, 0.5).masked(1, 0.4)
                .objective(Preset.PAPER_CIFAR10.neuroMask(), Preset.PAPER_CIFAR10.neuroMask().optimizer()).build();
        ExplanationFigure f = ExplanationFigure.of(small);
        assertEquals(new Rectangle(10, 70, 384, 384), f.imageBounds());
        assertEquals(1246, f.width());
        assertEquals(464, f.height());
        // a 4000x3000 photo: panels of 384x288, whatever its size
        float[] chw = new float[3 * 4000 * 3000];
        java.util.Arrays.fill(chw, 0.5f);
        RgbImage huge = RgbImage.ofChw(chw, 3, 3000, 4000);
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(huge);
        ExplanationFigure big = ExplanationFigure.of(explanation(g.apply(huge)).withPhotoGeometry(g), huge);
        assertEquals(new Rectangle(10, 70, 384, 288), big.imageBounds());
        assertEquals(1246, big.width());
    }

    @Test
    void filesTheToolkitDidNotWriteAreNeverReplaced(@TempDir Path tmp) throws Exception {
        Explanation e = explanation(RgbImage.uniformNoise(1, 32, 32, 5).get(0));
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        byte[] drawing = "the user's own figure".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(mine.resolve("figure.png"), drawing);
        java.io.IOException refused = assertThrows(java.io.IOException.class, () -> ExplanationFiles.saveAll(e, mine));
        assertTrue(refused.getMessage().contains("already holds figure.png, which the toolkit did not write"),
                refused.getMessage());
        assertArrayEquals(drawing, Files.readAllBytes(mine.resolve("figure.png")), "left as it was");
        assertEquals(List.of("figure.png"), Files.list(mine).map(p -> p.getFileName().toString()).toList(),
                "nothing else written");

        Path again = tmp.resolve("again");
        ExplanationFiles.saveAll(e, again);
        byte[] first = Files.readAllBytes(again.resolve("mask.npy"));
        ExplanationFiles.saveAll(e, again); // its own outputs: replaced
        assertArrayEquals(first, Files.readAllBytes(again.resolve("mask.npy")));
        Files.writeString(again.resolve("explanation.json"), "{\"notes\": \"mine now\"}");
        assertThrows(java.io.IOException.class, () -> ExplanationFiles.saveAll(e, again),
                "an explanation.json the toolkit did not write makes the folder the user's");
    }

    @Test
    void withoutAPhotoTheImageIsItsOwnPhotoAndAWrongPhotoIsRefused() throws Exception {
        RgbImage image = RgbImage.uniformNoise(1, 224, 224, 8).get(0);
        Explanation e = explanation(image);
        Path dir = tmp.resolve("plain");
        ExplanationFiles.saveAll(e, dir);
        float[] mask = npy(dir.resolve("mask.npy"), 224, 224);
        assertArrayEquals(mask, npy(dir.resolve("mask_full.npy"), 224, 224), "mask_full.npy = mask.npy, bit for bit");
        assertFalse(Files.readString(dir.resolve("explanation.json")).contains("preprocessing"));
        assertEquals(224, ImageIO.read(dir.resolve("overlay.png").toFile()).getWidth());

        RgbImage photo = photo();
        PhotoGeometry g = Preprocessing.defaultFor(224, 224).geometry(photo);
        Explanation onPhoto = explanation(g.apply(photo)).withPhotoGeometry(g);
        Path bad = tmp.resolve("bad");
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> ExplanationFiles.saveAll(onPhoto, image, bad));
        assertTrue(wrong.getMessage().contains("made from a 750x514 photo, got a 224x224 one"), wrong.getMessage());
        assertFalse(Files.exists(bad), "nothing written");
        assertThrows(IllegalArgumentException.class, () -> e.withPhotoGeometry(Preprocessing.defaultFor(32, 32)
                .geometry(photo)), "a geometry for another input size");
    }
}
