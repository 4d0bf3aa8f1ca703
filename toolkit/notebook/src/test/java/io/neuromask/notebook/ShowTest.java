package io.neuromask.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.viz.ExplanationTable;
import io.neuromask.viz.FigureGrid;
import io.neuromask.viz.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShowTest {

    private final RecordingDisplay recording = new RecordingDisplay();

    @AfterEach
    void reset() {
        Show.use(new PlainTextDisplay());
    }

    @Test
    void outsideAKernelTheDisplayIsPlainText() {
        assertInstanceOf(PlainTextDisplay.class, KernelDisplays.detect());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Show.use(new PlainTextDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        Show.html("<p>mask <b>mean</b></p>");
        Show.image(new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB));
        assertEquals("mask mean\n<image 7x5>\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void imageIsSentAsPng() throws Exception {
        Show.use(recording);
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(2, 1, 0x123456);
        Show.image(img);
        MimeBundle b = recording.calls.get(0).bundle();
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b.data().get(MimeBundle.PNG))));
        assertEquals(3, back.getWidth());
        assertEquals(0x123456, back.getRGB(2, 1) & 0xFFFFFF);
    }

    @Test
    void aPhotographicImageTooLargeForPngIsSentAsJpegAndAnythingElseStaysPng() throws Exception {
        Show.use(recording);
        // 640x480 of noise: about 900 KB as PNG (noise does not compress), well over the 256 KB limit
        java.util.Random random = new java.util.Random(3);
        BufferedImage noise = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        // the same size, flat colour with a stripe: a few KB as PNG
        BufferedImage flat = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 640; x++) {
            flat.setRGB(x, 100, 0xFF0000);
        }
        Show.image(noise);
        Show.image(flat);
        MimeBundle photo = recording.calls.get(0).bundle();
        assertEquals(MimeBundle.JPEG, photo.imageType(), photo.data().keySet().toString());
        assertFalse(photo.data().containsKey(MimeBundle.PNG));
        byte[] jpeg = Base64.getDecoder().decode(photo.data().get(MimeBundle.JPEG));
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(noise, "png", png);
        assertTrue(png.size() > MimeBundle.PNG_LIMIT && jpeg.length < png.size() / 2, "PNG " + png.size()
                + " bytes, JPEG " + jpeg.length);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(640, back.getWidth());
        assertEquals(480, back.getHeight());
        assertEquals("<image 640x480, JPEG>", photo.plainText());
        MimeBundle drawing = recording.calls.get(1).bundle();
        assertEquals(MimeBundle.PNG, drawing.imageType());
        BufferedImage exact = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(drawing.data().get(MimeBundle.PNG))));
        assertEquals(0xFF0000, exact.getRGB(5, 100) & 0xFFFFFF, "PNG is lossless");
        assertEquals(0, exact.getRGB(5, 101) & 0xFFFFFF);
    }

    @Test
    void figuresAndTablesUseTheRichestType() {
        Show.use(recording);
        Show.figure(FigureGrid.paper(Fixtures.halfMask(8, 1, 0, 0)));
        Show.table(ExplanationTable.of(List.of(Fixtures.halfMask(8, 1, 0, 0))));
        assertTrue(recording.calls.get(0).bundle().data().containsKey(MimeBundle.PNG));
        assertTrue(recording.calls.get(1).bundle().data().get(MimeBundle.HTML).startsWith("<table"));
        assertTrue(recording.calls.get(1).bundle().plainText().contains("image id"));
    }

    @Test
    void anExplanationOfAClassTheModelDoesNotPredictIsShownWithItsWarning() {
        Show.use(recording);
        io.neuromask.engine.Explanation likely = Fixtures.halfMask(8, 1, 0, 0); // p(target) = 0.91 on the image
        Show.explanation(likely);
        assertEquals(1, recording.calls.size(), "the figure alone");
        assertTrue(recording.calls.get(0).bundle().data().containsKey(MimeBundle.PNG));

        io.neuromask.engine.Explanation unlikely = io.neuromask.engine.Explanation.builder(likely.model(), likely.image(),
                likely.mask()).target(3, "cat<3>").original(5, 0.02).masked(3, 0.8)
                .run(likely.lossHistory(), likely.iterations(), likely.wallTime(), likely.stopReason())
                .objective(likely.objective(), likely.optimizer()).seed(likely.seed()).device(likely.device()).build();
        Show.explanation(unlikely);
        String text = recording.calls.get(1).bundle().plainText();
        assertTrue(text.startsWith("Warning: the mask explains class 3 (cat<3>), which the model does not predict")
                && text.contains("p = 0.0200 on the image") && text.contains("predicts class 5")
                && text.contains("p = 0.8000"), text);
        assertTrue(recording.calls.get(2).bundle().data().containsKey(MimeBundle.PNG), "then the figure");
    }

    @Test
    void anExplanationIsShownAsThePanelOnItsPhoto() throws Exception {
        Show.use(recording);
        // a 96x64 photo made a 32x32 input by squashing, its explanation shown on the photo
        io.neuromask.base.RgbImage photo = io.neuromask.base.RgbImage.uniformNoise(1, 64, 96, 1).get(0);
        io.neuromask.base.PhotoGeometry g = io.neuromask.base.Preprocessing.defaultFor(32, 32).geometry(photo);
        io.neuromask.engine.Explanation fixture = Fixtures.halfMask(32, 1, 0, 0);
        io.neuromask.engine.Explanation e = io.neuromask.engine.Explanation.builder("fixture", g.apply(photo),
                fixture.mask()).target(3, "cat<3>").original(3, 0.91).masked(5, 0.42)
                .objective(fixture.objective(), fixture.optimizer()).build().withPhotoGeometry(g);
        Show.explanation(e, photo);
        MimeBundle b = recording.calls.get(0).bundle();
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b.data().get(MimeBundle.PNG))));
        io.neuromask.viz.ExplanationFigure panel = io.neuromask.viz.ExplanationFigure.of(e, photo);
        assertEquals(panel.width(), shown.getWidth());
        assertEquals(panel.height(), shown.getHeight());
        // the image panel keeps the photo's 3:2 shape: 384x256 (96x64 enlarged 4 times)
        assertEquals(384, panel.imageBounds().width);
        assertEquals(256, panel.imageBounds().height);
        assertEquals("<figure " + panel.width() + "x" + panel.height()
                + ": cat<3> (class 3): p = 0.910 before masking, 0.420 after>", b.plainText());
        IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Show.explanation(e, fixture.image()));
        assertTrue(wrong.getMessage().contains("made from a 96x64 photo"), wrong.getMessage());
    }

    @Test
    void displayCallsReturnNothingSoNoOutIdAppears() {
        for (Method m : Show.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("display")) {
                assertEquals(void.class, m.getReturnType(), m.toString());
            }
        }
    }
}
