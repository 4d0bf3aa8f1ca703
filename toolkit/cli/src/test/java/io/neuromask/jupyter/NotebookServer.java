package io.neuromask.jupyter;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Debian's classic {@code jupyter-notebook} serving one folder on 127.0.0.1 with a random port and token, with the
 * toolkit's Jupyter environment ({@link JupyterEnv#configure}); closing it stops the server and its kernels.
 */
final class NotebookServer implements AutoCloseable {

    private final Process process;
    private final String base;
    private final String token;

    private NotebookServer(Process process, String base, String token) {
        this.process = process;
        this.base = base;
        this.token = token;
    }

    /** Starts a server on {@code folder}, logging to {@code log}, and waits (up to 60 s) until it answers. */
    static NotebookServer start(Path folder, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/jupyter-notebook", "--no-browser", "--allow-root",
                "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--NotebookApp.token=" + token,
                "--NotebookApp.password=", "--notebook-dir=" + folder)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        JupyterEnv.configure(pb.environment());
        NotebookServer server = new NotebookServer(pb.start(), "http://127.0.0.1:" + port, token);
        try {
            server.await(log);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The URL of a notebook of the served folder, with the token. */
    String notebookUrl(String name) {
        return base + "/notebooks/" + name + "?token=" + token;
    }

    private void await(Path log) throws IOException, InterruptedException {
        String url = base + "/api/status?token=" + token;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("jupyter-notebook exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        fail("jupyter-notebook did not answer " + url + " within 60s:\n" + Files.readString(log));
    }

    /** SIGTERM (the server shuts its kernels down), then a forced stop after 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
