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
 * final. A connection that delivers no byte for {@link #stallTimeout()} (default 60 s; env
 * {@code NEUROMASK_DOWNLOAD_STALL_SECONDS}, property {@code neuromask.downloadStallSeconds}) counts as
 * dropped: {@link HttpClient} has no read timeout of its own, so a watchdog interrupts the blocked read.
 * Progress goes to a {@link DownloadListener}, retries to the log.
 */
final class Downloader {

    /** Tries per download. */
    static final int ATTEMPTS = 3;
    /** Wait before the second try; doubled before the third. */
    static final Duration BACKOFF = Duration.ofMillis(300);

    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "neuromask-download-watchdog");
                t.setDaemon(true);
                return t;
            });

    private final DownloadListener listener;
    private final PrintStream log;

    Downloader(DownloadListener listener, PrintStream log) {
        this.listener = listener;
        this.log = log;
    }

    /**
     * How long a download may go without receiving a byte before it is retried.
     *
     * @throws IllegalArgumentException when the setting is not a positive number
     */
    static Duration stallTimeout() {
        String v = ModelStore.setting("neuromask.downloadStallSeconds", "NEUROMASK_DOWNLOAD_STALL_SECONDS");
        if (v == null) {
            return Duration.ofSeconds(60);
        }
        double seconds;
        try {
            seconds = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("NEUROMASK_DOWNLOAD_STALL_SECONDS (neuromask.downloadStallSeconds) is '"
                    + v + "'; set it to a positive number of seconds, e.g. 60");
        }
        return Duration.ofMillis((long) Math.ceil(seconds * 1000));
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
     * @param limit the most bytes the file may have, else -1: an answer that announces more, or a body that runs
     *     past it, is stopped at once and not retried (the source is not what the manifest describes)
     * @throws IOException naming the URL after the last failed try, or at once for a 4xx status or an oversized
     *     answer
     */
    void download(String url, String name, long expectedSize, long limit, Path file) throws IOException {
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
                attempt(url, name, expectedSize, limit, file, start, thisRun);
                return;
            } catch (TooLargeException e) {
                throw e;
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

    /** An answer larger than the manifest declares; retrying will not change it. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String url, long bytes, long limit, boolean announced) {
            super(url + (announced ? " announces " : " sent more than ") + bytes + " bytes, more than the " + limit
                    + " the manifest declares; the download was stopped (the source changed, or the manifest's size is"
                    + " wrong)");
        }
    }

    private void attempt(String url, String name, long expectedSize, long limit, Path file, long start, long[] thisRun)
            throws IOException {
        long stallNanos = stallTimeout().toNanos();
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
            if (limit >= 0 && length.isPresent() && total > limit) {
                throw new TooLargeException(url, total, limit, true);
            }
            java.util.concurrent.atomic.AtomicLong lastByte = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = Thread.currentThread();
            long period = Math.max(1, Math.min(1000, stallNanos / 4_000_000));
            java.util.concurrent.ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastByte.get() > stallNanos && stalled.compareAndSet(false, true)) {
                    reader.interrupt();
                }
            }, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                report(name, url, done, total, thisRun[0], start, false);
                for (int n; (n = in.read(buf)) >= 0; ) {
                    lastByte.set(System.nanoTime());
                    if (limit >= 0 && done + n > limit) {
                        throw new TooLargeException(url, limit, limit, false);
                    }
                    out.write(buf, 0, n);
                    done += n;
                    thisRun[0] += n;
                    report(name, url, done, total, thisRun[0], start, false);
                }
            } catch (IOException e) {
                if (stalled.get()) {
                    throw new IOException("no data for " + stallTimeout().toSeconds() + " s after " + done
                            + " bytes (stalled connection)", e);
                }
                throw e;
            } finally {
                watch.cancel(false);
                if (stalled.get()) {
                    Thread.interrupted(); // the watchdog's interrupt, not the caller's
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
