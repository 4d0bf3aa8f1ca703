package io.neuromask;

import io.neuromask.engine.Explanation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.base.Target;
import io.neuromask.export.ExplanationFiles;
import io.neuromask.io.Npy;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.viz.Colormap;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplanationFilesTest {

    @Test
    void savesMaskPngOverlayNpyAndJson(@TempDir Path tmp) throws Exception {
        Explanation e;
        String device;
        try (BlockClassifier model = PlantedEvidence.model(32, null)) {
            device = model.device().toString();
            e = NeuroMask.builder().model(model).iterations(30).seed(4).build()
                    .explain(PlantedEvidence.image(32, 6, 18, 8, 5), Target.predicted());
        }
        Path dir = tmp.resolve("nested/out");
        ExplanationFiles.saveAll(e, dir);

        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray npy = Npy.read(m, dir.resolve("mask.npy"));
            assertEquals(new Shape(32, 32), npy.getShape());
            assertArrayEquals(e.mask(), npy.toFloatArray());
        }
        BufferedImage mask = ImageIO.read(dir.resolve("mask.png").toFile());
        assertEquals(32, mask.getWidth());
        int gray = mask.getRGB(20, 8) & 0xff;
        assertEquals(Math.round(e.maskAt(8, 20) * 255), gray, 1.0);
        BufferedImage overlay = ImageIO.read(dir.resolve("overlay.png").toFile());
        int expected = Colormap.JET.rgb(e.maskAt(3, 3));
        int got = overlay.getRGB(3, 3) & 0xffffff;
        double pixelR = e.image().get(0, 3, 3) * 255;
        assertEquals(0.5 * pixelR + 0.5 * ((expected >> 16) & 0xff), (got >> 16) & 0xff, 1.0);

        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject();
        assertEquals(e.target(), json.get("target").getAsInt());
        assertEquals(e.maskMean(), json.get("mask_mean").getAsDouble(), 1e-9);
        assertEquals(30, json.get("iterations").getAsInt());
        assertEquals(0.4, json.getAsJsonObject("settings").get("lambdaPrediction").getAsDouble());
        assertEquals(e.lossHistory().size(), json.getAsJsonArray("loss_history").size());
        // what produced it: the versions Maven built with (passed in by surefire from the poms) and the device
        JsonObject versions = json.getAsJsonObject("versions");
        assertEquals(System.getProperty("neuromask.test.version"), versions.get("neuromask").getAsString());
        assertEquals(System.getProperty("neuromask.test.djlVersion"), versions.get("djl").getAsString());
        assertEquals(System.getProperty("neuromask.test.pytorchVersion"), versions.get("libtorch").getAsString());
        assertEquals(device, json.get("device").getAsString());
        try (var files = Files.list(tmp.resolve("nested"))) {
            assertEquals(1, files.count(), "no temporary folder left beside the output");
        }
        // every file gets the process's umask mode, as a plainly written file in the same folder does
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        for (String f : io.neuromask.export.ExplanationFiles.FILES) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve(f)), f);
        }
    }

    @Test
    void colormapEndpoints() {
        assertEquals(0x00007f, Colormap.JET.rgb(0) & 0xffffff);
        assertEquals(0x000000, Colormap.GRAY.rgb(0));
        assertEquals(0xffffff, Colormap.GRAY.rgb(1));
        assertEquals(0x808080, Colormap.GRAY.rgb(0.5), 0x010101);
        assertTrue(((Colormap.JET.rgb(1) >> 16) & 0xff) > 120, "jet ends in red");
    }
}
