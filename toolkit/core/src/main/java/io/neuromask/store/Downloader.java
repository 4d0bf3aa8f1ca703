package io.neuromask.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/** Streams a URL to an output stream over {@link HttpClient}, with a progress line on stderr. */
final class Downloader {

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();
    private final PrintStream progress;

    Downloader(PrintStream progress) {
        this.progress = progress;
    }

    /**
     * Copies the body of {@code url} to {@code out}.
     *
     * @param name shown in the progress line
     * @param expectedSize for the percentage
     * @throws IOException on a network error or a non-200 status
     */
    void fetch(String url, String name, long expectedSize, OutputStream out) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + url + " interrupted", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + url);
            }
            byte[] buf = new byte[1 << 16];
            long done = 0;
            long lastShown = -1;
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                long percent = expectedSize > 0 ? 100 * done / expectedSize : -1;
                if (percent != lastShown) {
                    progress.printf(Locale.ROOT, "\rdownloading %s: %d%% (%.1f of %.1f MB)", name, percent, done / 1e6,
                            expectedSize / 1e6);
                    lastShown = percent;
                }
            }
            progress.println();
        }
    }
}
