package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's classic {@code jupyter-notebook} on 127.0.0.1, driven by headless Chromium (puppeteer-core):
 * opens the quickstart, runs all cells from the Cell menu, saves a screenshot to
 * {@code toolkit/cli/target/browser/00-quickstart.png}, and checks that images rendered and no cell failed.
 */
@Tag("notebook")
class BrowserNotebookTest {

    static final Path WORK = JupyterEnv.TARGET.resolve("browser");
    static final Path DRIVER = JupyterEnv.ROOT.resolve(".ci/browser/run-notebook.js");

    @Test
    void quickstartRunsInARealBrowser() throws Exception {
        JupyterEnv.requireNbconvert();
        JupyterEnv.requireFile("/usr/bin/jupyter-notebook", "Debian's classic notebook (apt-get install jupyter-notebook)");
        JupyterEnv.requireFile("/usr/bin/chromium", "Chromium (apt-get install chromium)");
        if (!Files.isDirectory(JupyterEnv.ROOT.resolve(".ci/browser/node_modules/puppeteer-core"))) {
            fail("puppeteer-core is not installed in .ci/browser/node_modules: " + JupyterEnv.INSTALL_HINT);
        }
        JupyterEnv.installKernel();
        // Work on a copy without the committed outputs: the UI autosaves, and every output the browser then shows
        // comes from this run.
        Path notebooks = WORK.resolve("notebooks");
        Files.createDirectories(notebooks);
        JsonObject quickstart = Notebooks.read(Notebooks.DIR.resolve("00-quickstart.ipynb"));
        for (JsonObject cell : Notebooks.codeCells(quickstart)) {
            cell.add("outputs", new com.google.gson.JsonArray());
            cell.add("execution_count", com.google.gson.JsonNull.INSTANCE);
        }
        Files.writeString(notebooks.resolve("00-quickstart.ipynb"), quickstart.toString());
        try (NotebookServer server = NotebookServer.start(notebooks, WORK.resolve("jupyter-notebook.log"))) {
            Path screenshot = WORK.resolve("00-quickstart.png");
            Files.deleteIfExists(screenshot);
            JupyterEnv.Result r = JupyterEnv.run(List.of("node", DRIVER.toString(),
                    server.notebookUrl("00-quickstart.ipynb"), screenshot.toString(), "240000"),
                    330, WORK.resolve("browser.log"));
            assertEquals(0, r.exitCode(), "browser driver failed:\n" + r.output());
            String out = r.output().trim();
            JsonObject result = JsonParser.parseString(out.substring(out.lastIndexOf('\n') + 1)).getAsJsonObject();
            System.out.println("browser: " + result);
            assertTrue(Files.size(screenshot) > 10_000, "screenshot " + screenshot);
            assertEquals(result.get("codeCells").getAsInt(), result.get("executedCells").getAsInt(), result.toString());
            assertEquals(0, result.getAsJsonArray("errors").size(), "error outputs: " + result);
            assertTrue(result.get("figureCells").getAsInt() > 0, result.toString());
            assertEquals(result.get("figureCells").getAsInt(), result.get("figureCellsWithImage").getAsInt(),
                    "every figure cell shows a rendered image: " + result);
        }
    }
}
