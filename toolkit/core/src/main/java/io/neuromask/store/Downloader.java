package io.neuromask.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Downloads a URL into a file over {@link HttpClient}: up to {@link #ATTEMPTS} tries when the connection
 * drops or the server answers 5xx, with a short backoff; a retry asks for the missing bytes with an HTTP
 * {@code Range} request and appends them when the server answers 206, else starts over. A 4xx answer is
 * final. Progress goes to a {@link DownloadListener}, retries to the log.
 */
final class Downloader {

    /** Tries per download. */
    static final int ATTEMPTS = 3;
    /** Wait before the second try; doubled before the third. */
    static final Duration BACKOFF = Duration.ofMillis(300);

    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    private final DownloadListener listener;
    private final PrintStream log;

    Downloader(DownloadListener listener, PrintStream log) {
        this.listener = listener;
        this.log = log;
    }

    /** An HTTP answer that retrying will not change (4xx). */
    static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpStatusException(int status, String url) {
            super("HTTP " + status + " from " + url);
            this.status = status;
        }
    }

    /**
     * Downloads {@code url} into {@code file} (created or replaced).
     *
     * @param name shown in the progress display
     * @param expectedSize the size when known, else -1 (only for the display and the end-of-body check)
     * @throws IOException naming the URL after the last failed try, or at once for a 4xx status
     */
    void download(String url, String name, long expectedSize, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        long start = System.nanoTime();
        long[] thisRun = {0};
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                long have = Files.size(file);
                log.println("neuromask: download of " + url + " failed (" + last.getMessage() + "); try " + attempt
                        + " of " + ATTEMPTS + (have > 0 ? ", resuming at byte " + have : ""));
                sleep(BACKOFF.multipliedBy(1L << (attempt - 2)), url);
            }
            try {
                attempt(url, name, expectedSize, file, start, thisRun);
                return;
            } catch (HttpStatusException e) {
                if (e.status >= 400 && e.status < 500) {
                    throw e;
                }
                last = e;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("download of " + url + " failed after " + ATTEMPTS + " tries: " + last.getMessage(), last);
    }

    private void attempt(String url, String name, long expectedSize, Path file, long start, long[] thisRun)
            throws IOException {
        long have = Files.size(file);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET();
        if (have > 0) {
            b.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("download of " + url + " interrupted");
        }
        try (InputStream in = response.body()) {
            int status = response.statusCode();
            boolean append;
            if (status == 206 && have > 0 && response.headers().firstValue("Content-Range")
                    .filter(r -> r.startsWith("bytes " + have + "-")).isPresent()) {
                append = true;
            } else if (status == 200) {
                append = false;
            } else if (status == 206) {
                Files.write(file, new byte[0]); // a range we did not ask for: start over
                throw new IOException("HTTP 206 with Content-Range "
                        + response.headers().firstValue("Content-Range").orElse("(none)") + " for bytes " + have + "-");
            } else {
                throw new HttpStatusException(status, url);
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            long total = length.isPresent() ? length.getAsLong() + (append ? have : 0) : expectedSize;
            long done = append ? have : 0;
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                report(name, url, done, total, thisRun[0], start, false);
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    done += n;
                    thisRun[0] += n;
                    report(name, url, done, total, thisRun[0], start, false);
                }
            }
            if (length.isPresent() && done != total) {
                throw new IOException("the connection closed after " + done + " of " + total + " bytes");
            }
            report(name, url, done, total, thisRun[0], start, true);
        }
    }

    private void report(String name, String url, long done, long total, long thisRun, long start, boolean finished) {
        listener.onProgress(new DownloadProgress(name, url, done, total, thisRun,
                Duration.ofNanos(System.nanoTime() - start), finished));
    }

    private static void sleep(Duration d, String url) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("download of " + url + " interrupted");
        }
    }
}
