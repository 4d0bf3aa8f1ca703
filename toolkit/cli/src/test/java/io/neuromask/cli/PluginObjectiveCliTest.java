package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.ChildJvm;
import io.neuromask.TestMirror;
import io.neuromask.io.Npy;
import io.neuromask.model.PlantedEvidence;
import io.neuromask.testplugin.GreyMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth objective from the test sources only ({@link GreyMask}, registered by a {@code META-INF/services} file on
 * a child JVM's class path, no edit to main code) reaches the CLI: {@code --objective}, its own named options made
 * from its setting descriptions, {@code --set}, {@code evaluate} and {@code --resume}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginObjectiveCliTest {

    private Path tmp;

    private Path services;
    private Path image;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        tmp = dir;
        services = GreyMask.servicesDir(Files.createDirectories(tmp.resolve("plugin")));
        image = tmp.resolve("planted.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
    }

    private ChildJvm.Result cli(String... args) throws Exception {
        return ChildJvm.run(tmp, List.of("-Dneuromask.mirror=" + TestMirror.path()), List.of(services), Main.class,
                args);
    }

    private float mean(Path npy) throws Exception {
        float[] m;
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            m = Npy.read(manager, npy).toFloatArray();
        }
        double sum = 0;
        for (float v : m) {
            sum += v;
        }
        return (float) (sum / m.length);
    }

    @Test
    void explainTakesThePluginsObjectiveOptionsAndSettings() throws Exception {
        ChildJvm.Result help = cli("explain", "--help");
        assertEquals(0, help.exit(), help.stderr());
        assertTrue(help.stdout().contains("--area-weight=<number>"), help.stdout());
        assertTrue(help.stdout().contains("greymask: weight of the area term (>= 0)"), help.stdout());

        List<Float> means = new ArrayList<>();
        for (String weight : List.of("0", "3")) {
            Path out = tmp.resolve("explain-" + weight);
            ChildJvm.Result r = cli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                    "greymask", "--area-weight", weight, "--set", "grey=0.25", "--iterations", "12", "--out",
                    out.toString());
            assertEquals(0, r.exit(), r.stderr());
            JsonObject json = JsonParser.parseString(Files.readString(out.resolve("explanation.json")))
                    .getAsJsonObject();
            assertEquals("greymask", json.get("objective").getAsString(), json.toString());
            JsonObject settings = json.getAsJsonObject("settings");
            assertEquals(Double.parseDouble(weight), settings.get("areaWeight").getAsDouble());
            assertEquals(0.25, settings.get("grey").getAsDouble());
            assertEquals(12, settings.get("iterations").getAsInt());
            means.add(mean(out.resolve("mask.npy")));
        }
        assertTrue(means.get(1) < means.get(0) - 0.01, "a heavier area weight keeps less of the image: " + means);

        ChildJvm.Result refused = cli("explain", "--model", "test-planted-32", "--image", image.toString(),
                "--area-weight", "1", "--out", tmp.resolve("refused").toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.stderr().contains("--area-weight is not a setting of the 'neuromask' objective"),
                refused.stderr());
        ChildJvm.Result bad = cli("explain", "--model", "test-planted-32", "--image", image.toString(), "--objective",
                "greymask", "--grey", "2", "--out", tmp.resolve("bad").toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.stderr().contains("grey must lie in [0, 1], got 2.0"), bad.stderr());
    }

    @Test
    void evaluateScoresItAndResumesItsResultsFile() throws Exception {
        Path results = tmp.resolve("greymask.jsonl");
        String[] args = {"evaluate", "--model", "test-planted-32", "--data", "test-planted-32", "--objective",
            "greymask", "--area-weight", "0.8", "--iterations", "6", "--limit", "2", "--step-fraction", "0.25",
            "--json", "--resume", results.toString()};
        ChildJvm.Result first = cli(args);
        assertEquals(0, first.exit(), first.stderr());
        JsonObject report = JsonParser.parseString(first.stdout()).getAsJsonObject();
        assertEquals("greymask", report.getAsJsonArray("methods").get(0).getAsJsonObject().get("method")
                .getAsString());
        String file = Files.readString(results);
        assertTrue(file.contains("{\"type\":\"method\",\"method\":\"greymask\",\"settings\":{\"seed\":0,\"objective\":"
                + "{\"name\":\"greymask\",\"settings\":{\"areaWeight\":0.8,\"grey\":0.5,\"iterations\":6"), file);

        ChildJvm.Result again = cli(args);
        assertEquals(0, again.exit(), again.stderr());
        assertTrue(again.stderr().contains("resuming: 2 of 2 images of greymask already done"), again.stderr());
        assertEquals(file, Files.readString(results), "nothing appended");
        JsonObject resumed = JsonParser.parseString(again.stdout()).getAsJsonObject();
        assertEquals(report.getAsJsonArray("methods").get(0).getAsJsonObject().get("metrics"),
                resumed.getAsJsonArray("methods").get(0).getAsJsonObject().get("metrics"));

        assertEquals("--area-weight", args[7]);
        args[8] = "0.3";
        ChildJvm.Result other = cli(args);
        assertEquals(1, other.exit());
        assertTrue(other.stderr().contains("with other settings"), other.stderr());
    }
}
