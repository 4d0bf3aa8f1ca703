package io.neuromask.store;

import java.time.Duration;
import java.util.Locale;

/**
 * The state of one download, reported to a {@link DownloadListener}.
 *
 * @param name the manifest path (or a short name) of what is downloaded
 * @param url the URL it comes from (after any rewrite)
 * @param bytesDone bytes of the file now on disk (including bytes of an earlier, resumed attempt)
 * @param bytesTotal the file's size, or -1 when unknown
 * @param bytesThisRun bytes received since the download started (for the rate)
 * @param elapsed time since the download started
 * @param finished true once, after the last byte arrived
 */
public record DownloadProgress(String name, String url, long bytesDone, long bytesTotal, long bytesThisRun,
        Duration elapsed, boolean finished) {

    /** The fraction done in [0, 1], or NaN when the size is unknown. */
    public double fraction() {
        return bytesTotal > 0 ? Math.min(1.0, (double) bytesDone / bytesTotal) : Double.NaN;
    }

    /** Bytes per second so far (0 before any time passed). */
    public double bytesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? bytesThisRun / s : 0;
    }

    /** The estimated time left, or null when the size or the rate is unknown. */
    public Duration eta() {
        double rate = bytesPerSecond();
        if (bytesTotal <= 0 || rate <= 0) {
            return null;
        }
        return Duration.ofMillis((long) (Math.max(0, bytesTotal - bytesDone) / rate * 1000));
    }

    /**
     * A one-line status, e.g. {@code downloading models/x.th: 45% 1.2 MB of 2.7 MB, 5.1 MB/s, 1s left}, or
     * {@code ..., done in 0.5s} when finished.
     */
    public String status() {
        StringBuilder s = new StringBuilder("downloading ").append(name).append(": ");
        if (bytesTotal > 0) {
            s.append(String.format(Locale.ROOT, "%3d%% %s of %s", (int) Math.floor(100 * fraction()), bytes(bytesDone),
                    bytes(bytesTotal)));
        } else {
            s.append(bytes(bytesDone));
        }
        s.append(", ").append(bytes((long) bytesPerSecond())).append("/s");
        Duration eta = eta();
        if (finished) {
            s.append(String.format(Locale.ROOT, ", done in %.1fs", elapsed.toMillis() / 1000.0));
        } else if (eta != null) {
            s.append(", ").append(eta.toSeconds()).append("s left");
        }
        return s.toString();
    }

    /** Bytes as B, kB or MB. */
    static String bytes(long b) {
        if (b >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
        }
        return b >= 1000 ? String.format(Locale.ROOT, "%.1f kB", b / 1e3) : b + " B";
    }
}
