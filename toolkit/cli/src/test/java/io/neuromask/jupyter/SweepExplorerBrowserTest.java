package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.model.PlantedEvidence;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sweep explorer in headless Chromium (puppeteer-core, {@code .ci/browser/sweep-explorer.js}) on three pages:
 * notebook 03 executed by nbconvert and opened in Debian's classic Notebook UI, the same notebook exported with
 * {@code nbconvert --to html}, and the standalone page of {@code neuromask sweep}. In each, every slider of every
 * explorer goes to its first and last position; after each move the mask's and the overlay's image data and the
 * table's numbers must be exactly those of the grid cell the sliders select, as written by the run itself
 * ({@code sweep.json}: {@code SweepResult.save} in the notebook, the CLI's {@code --out} sibling). Screenshots go
 * to {@code toolkit/cli/target/browser-sweep/*.png}. The mask evolution players (notebook 03's, and the page of
 * {@code neuromask explain --record-every}) must advance when play is pressed.
 */
@Tag("notebook")
class SweepExplorerBrowserTest {

    static final Path WORK = JupyterEnv.TARGET.resolve("browser-sweep");
    static final Path DRIVER = JupyterEnv.ROOT.resolve(".ci/browser/sweep-explorer.js");
    static final String NOTEBOOK = "03-hyperparameter-sweep.ipynb";

    /** The CLI on the toolkit's class path (the test phase runs before the jar is packaged). */
    private static List<String> cli(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", io.neuromask.kernel.ToolkitClasspath.current().stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)), "io.neuromask.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @BeforeAll
    static void requirements() throws Exception {
        JupyterEnv.requireNbconvert();
        JupyterEnv.requireFile("/usr/bin/jupyter-notebook", "Debian's classic notebook (apt-get install jupyter-notebook)");
        JupyterEnv.requireFile("/usr/bin/chromium", "Chromium (apt-get install chromium)");
        if (!Files.isDirectory(JupyterEnv.ROOT.resolve(".ci/browser/node_modules/puppeteer-core"))) {
            fail("puppeteer-core is not installed in .ci/browser/node_modules: " + JupyterEnv.INSTALL_HINT);
        }
        JupyterEnv.installKernel();
        Files.createDirectories(WORK);
    }

    @Test
    void cliPageShowsTheCellOfEverySliderPosition() throws Exception {
        Path dir = WORK.resolve("cli");
        Files.createDirectories(dir);
        Path image = dir.resolve("planted.png");
        ImageIO.write(PlantedEvidence.image(32, 6, 18, 8, 2).toBufferedImage(), "png", image.toFile());
        Path page = dir.resolve("sweep.html");
        Files.deleteIfExists(page);
        JupyterEnv.Result r = JupyterEnv.run(cli("sweep", "--model", "test-planted-32",
                "--image", image.toString(), "--iterations", "30", "--lambda-sparse", "0.1,1",
                "--lambda-smooth", "0.05,0.5,2", "--temperature", "0.3,3", "--out", page.toString()), 300,
                dir.resolve("sweep.log"));
        assertEquals(0, r.exitCode(), "neuromask sweep failed:\n" + r.output());
        JsonObject result = drive(page.toUri().toString(), WORK.resolve("cli-sweep.png"), 1);
        check(result, List.of(dir.resolve("sweep.json")));

        // explain --record-every: the evolution page plays
        Path explained = dir.resolve("explain");
        JupyterEnv.Result x = JupyterEnv.run(cli("explain", "--model",
                "test-planted-32", "--image", image.toString(), "--iterations", "60", "--record-every", "5", "--out",
                explained.toString()), 300, dir.resolve("explain.log"));
        assertEquals(0, x.exitCode(), "neuromask explain failed:\n" + x.output());
        assertTrue(Files.size(explained.resolve("evolution.gif")) > 0);
        JsonObject evolution = drive(explained.resolve("evolution.html").toUri().toString(),
                WORK.resolve("cli-evolution.png"), 1);
        assertEquals(0, evolution.getAsJsonArray("explorers").size());
        checkPlayers(evolution, 1);
    }

    /** Play advanced every player: a later frame, another image, a later iteration, the marker moved right. */
    private static void checkPlayers(JsonObject result, int expected) {
        JsonArray players = result.getAsJsonArray("players");
        assertEquals(expected, players.size(), "players on the page: " + result);
        for (JsonElement pe : players) {
            JsonObject p = pe.getAsJsonObject();
            JsonObject before = p.getAsJsonObject("before");
            JsonObject after = p.getAsJsonObject("after");
            assertTrue(p.get("frames").getAsInt() >= 3, p.toString());
            assertEquals(0, before.get("frame").getAsInt(), p.toString());
            assertTrue(after.get("frame").getAsInt() >= 2, p.toString());
            assertEquals(after.get("frame").getAsInt(), after.get("slider").getAsInt(), p.toString());
            assertTrue(Integer.parseInt(after.get("iteration").getAsString())
                    > Integer.parseInt(before.get("iteration").getAsString()), p.toString());
            assertTrue(after.get("marker").getAsDouble() > before.get("marker").getAsDouble(), p.toString());
            assertTrue(!before.get("sha256").getAsString().equals(after.get("sha256").getAsString()), p.toString());
        }
    }

    @Test
    void notebookExplorersWorkInTheNotebookUiAndAfterExportToHtml() throws Exception {
        Path dir = WORK.resolve("notebook");
        Path executed = dir.resolve("executed");
        Files.createDirectories(executed);
        Files.copy(Notebooks.DIR.resolve(NOTEBOOK), dir.resolve(NOTEBOOK), StandardCopyOption.REPLACE_EXISTING);
        // the kernel runs in the notebook's folder: the notebook's sweep.save(...) writes under dir/target/sweeps
        JupyterEnv.Result r = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-m", "nbconvert", "--to", "notebook",
                "--execute", "--ExecutePreprocessor.kernel_name=" + JupyterEnv.KERNEL, "--ExecutePreprocessor.timeout=600",
                "--ExecutePreprocessor.startup_timeout=120", "--output-dir", executed.toString(),
                dir.resolve(NOTEBOOK).toString()), 900, dir.resolve("execute.log"), dir, env -> {});
        assertEquals(0, r.exitCode(), "nbconvert --execute failed:\n" + r.output());
        List<Path> expected = List.of(dir.resolve("target/sweeps/cifar10/sweep.json"),
                dir.resolve("target/sweeps/imagenet/sweep.json"));
        for (Path p : expected) {
            assertTrue(Files.isRegularFile(p), "the notebook saved " + p);
        }
        Path nb = executed.resolve(NOTEBOOK);
        for (JsonElement cell : JsonParser.parseString(Files.readString(nb)).getAsJsonObject().getAsJsonArray("cells")) {
            for (JsonElement o : cell.getAsJsonObject().getAsJsonArray("outputs") == null ? new JsonArray()
                    : cell.getAsJsonObject().getAsJsonArray("outputs")) {
                JsonObject data = o.getAsJsonObject().getAsJsonObject("data");
                if (data != null && data.has("text/html") && html(data).contains("class=\"nm-sweep\"")) {
                    System.out.printf("explorer output in the executed notebook: %d bytes%n",
                            html(data).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                }
            }
        }

        // exported HTML
        JupyterEnv.Result export = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-m", "nbconvert", "--to", "html",
                "--output-dir", dir.resolve("html").toString(), nb.toString()), 300, dir.resolve("export.log"));
        assertEquals(0, export.exitCode(), "nbconvert --to html failed:\n" + export.output());
        Path html = dir.resolve("html").resolve(NOTEBOOK.replace(".ipynb", ".html"));
        JsonObject exported = drive(html.toUri().toString(), WORK.resolve("03-exported-html.png"), 3);
        check(exported, expected);
        checkPlayers(exported, 1);

        // classic Notebook UI: trusted (signed) like a notebook one ran oneself, so its HTML outputs run their script
        JupyterEnv.Result sign = JupyterEnv.run(List.of(JupyterEnv.PYTHON, "-m", "nbformat.sign", nb.toString()), 60,
                dir.resolve("sign.log"));
        assertEquals(0, sign.exitCode(), "nbformat.sign failed:\n" + sign.output());
        try (NotebookServer server = NotebookServer.start(executed, dir.resolve("jupyter-notebook.log"))) {
            JsonObject ui = drive(server.notebookUrl(NOTEBOOK), WORK.resolve("03-notebook-ui.png"), 3);
            check(ui, expected);
            checkPlayers(ui, 1);
        }
    }

    private static String html(JsonObject data) {
        JsonElement h = data.get("text/html");
        if (h.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            h.getAsJsonArray().forEach(e -> s.append(e.getAsString()));
            return s.toString();
        }
        return h.getAsString();
    }

    private static JsonObject drive(String url, Path screenshot, int explorers) throws Exception {
        Files.deleteIfExists(screenshot);
        Path log = WORK.resolve(screenshot.getFileName().toString().replace(".png", ".log"));
        JupyterEnv.Result r = JupyterEnv.run(List.of("node", DRIVER.toString(), url, screenshot.toString(),
                Integer.toString(explorers), "120000"), 240, log);
        assertEquals(0, r.exitCode(), "browser driver failed on " + url + ":\n" + r.output());
        String out = r.output().trim();
        JsonObject result = JsonParser.parseString(out.substring(out.lastIndexOf('\n') + 1)).getAsJsonObject();
        assertTrue(Files.size(screenshot) > 5_000, "screenshot " + screenshot);
        assertEquals(0, result.getAsJsonArray("pageErrors").size(), "page errors on " + url + ": " + result);
        return result;
    }

    /**
     * The explorers of a page, in document order, against the runs' {@code sweep.json}s: after every move, the
     * image data and the numbers are those of the cell the sliders select, and each slider's move changed them.
     */
    private static void check(JsonObject result, List<Path> expectedFiles) throws Exception {
        JsonArray explorers = result.getAsJsonArray("explorers");
        assertEquals(expectedFiles.size(), explorers.size(), "explorers on the page");
        Set<String> ids = new HashSet<>();
        for (int x = 0; x < explorers.size(); x++) {
            JsonObject explorer = explorers.get(x).getAsJsonObject();
            assertTrue(ids.add(explorer.get("id").getAsString()), "explorer ids are distinct");
            JsonObject expected = JsonParser.parseString(Files.readString(expectedFiles.get(x))).getAsJsonObject();
            JsonArray axes = expected.getAsJsonArray("axes");
            JsonArray cells = expected.getAsJsonArray("cells");
            int swept = 0;
            for (JsonElement a : axes) {
                swept += a.getAsJsonObject().getAsJsonArray("values").size() > 1 ? 1 : 0;
            }
            assertEquals(swept, explorer.get("sliders").getAsInt(), "one slider per swept axis");
            assertTrue(swept >= 2, "the test grids sweep at least two axes");
            JsonArray states = explorer.getAsJsonArray("states");
            assertEquals(1 + 2 * swept, states.size());
            List<Integer> seen = new ArrayList<>();
            String previousMask = null;
            for (JsonElement se : states) {
                JsonObject state = se.getAsJsonObject();
                int[] index = new int[axes.size()];
                for (JsonElement pe : state.getAsJsonArray("positions")) {
                    JsonObject p = pe.getAsJsonObject();
                    int axis = p.get("axis").getAsInt();
                    index[axis] = p.get("index").getAsInt();
                    double value = axes.get(axis).getAsJsonObject().getAsJsonArray("values").get(index[axis]).getAsDouble();
                    assertEquals(value, Double.parseDouble(p.get("shown").getAsString()), 1e-12, "slider label");
                }
                int flat = 0;
                for (int a = 0; a < axes.size(); a++) {
                    flat = flat * axes.get(a).getAsJsonObject().getAsJsonArray("values").size() + index[a];
                }
                JsonObject cell = cells.get(flat).getAsJsonObject();
                String where = expectedFiles.get(x) + " cell " + flat + ": " + state;
                assertEquals(cell.get("maskSha256").getAsString(), state.get("maskSha256").getAsString(), where);
                assertEquals(cell.get("maskSha256").getAsString(), state.get("overlaySha256").getAsString(), where);
                assertNumber(cell.get("maskArea").getAsDouble(), state.get("area").getAsString(), 4, where);
                assertNumber(cell.get("probabilityMasked").getAsDouble(), state.get("p").getAsString(), 4, where);
                assertEquals(cell.get("classKept").getAsBoolean() ? "yes" : "no", state.get("kept").getAsString(), where);
                assertSignificant(cell.get("loss").getAsDouble(), state.get("loss").getAsString(), where);
                JsonArray terms = state.getAsJsonArray("terms");
                List<String> names = new ArrayList<>(cell.getAsJsonObject("terms").keySet());
                assertEquals(names.size(), terms.size(), where);
                for (int t = 0; t < names.size(); t++) {
                    assertSignificant(cell.getAsJsonObject("terms").get(names.get(t)).getAsDouble(),
                            terms.get(t).getAsString(), where);
                }
                if (!state.get("moved").isJsonNull() && previousMask != null && !seen.contains(flat)) {
                    // a move to a cell not shown before changes what is displayed, unless two cells' masks are equal
                    boolean sameMask = false;
                    for (int c : seen) {
                        sameMask |= cells.get(c).getAsJsonObject().get("maskSha256").getAsString()
                                .equals(cell.get("maskSha256").getAsString());
                    }
                    if (!sameMask) {
                        assertTrue(!previousMask.equals(state.get("maskSha256").getAsString()), where);
                    }
                }
                seen.add(flat);
                previousMask = state.get("maskSha256").getAsString();
            }
            assertTrue(new HashSet<>(seen).size() >= 1 + swept, "the moves visited distinct cells: " + seen);
        }
    }

    /** The page shows {@code expected} with {@code decimals} decimals. */
    private static void assertNumber(double expected, String shown, int decimals, String where) {
        double tolerance = 0.5 * Math.pow(10, -decimals) + 1e-12;
        assertEquals(expected, Double.parseDouble(shown), tolerance, where);
    }

    /** The page shows {@code expected} to 5 significant digits. */
    private static void assertSignificant(double expected, String shown, String where) {
        assertEquals(expected, Double.parseDouble(shown), Math.abs(expected) * 5e-5 + 1e-300, where);
    }
}
