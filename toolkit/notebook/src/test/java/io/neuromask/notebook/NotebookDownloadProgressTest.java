package io.neuromask.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.store.ConsoleDownloadListener;
import io.neuromask.store.DownloadListener;
import io.neuromask.store.DownloadProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The notebook download bar: one output updated in place; picked up by the store only inside a kernel. */
class NotebookDownloadProgressTest {

    private static DownloadProgress at(long done, boolean finished) {
        return new DownloadProgress("models/w.th", "http://x/w.th", done, 1000, done, Duration.ofSeconds(1), finished);
    }

    @Test
    void oneBarUpdatedInPlace() {
        RecordingDisplay d = new RecordingDisplay();
        long[] now = {0};
        NotebookDownloadProgress bar = new NotebookDownloadProgress(d, 250, () -> now[0]);
        bar.onProgress(at(0, false));
        now[0] = 100_000_000L;
        bar.onProgress(at(500, false)); // within the interval: not drawn
        now[0] = 300_000_000L;
        bar.onProgress(at(600, false));
        bar.onProgress(at(1000, true)); // finished: always drawn
        assertEquals(3, d.calls.size());
        assertEquals("display", d.calls.get(0).kind());
        assertTrue(d.calls.stream().skip(1).allMatch(c -> c.kind().equals("update") && c.id().equals(bar.displayId())));
        String html = d.calls.get(2).bundle().data().get(MimeBundle.HTML);
        assertTrue(html.contains("<progress value=\"100\"") && html.contains("1.0 kB of 1.0 kB"), html);
        assertTrue(d.calls.get(1).bundle().plainText().contains(" 60% 600 B of 1.0 kB, 600 B/s, 0s left"),
                d.calls.get(1).bundle().plainText());
    }

    @Test
    void theStoreUsesTheConsoleOutsideAKernel() {
        assertNull(new NotebookDownloadProgress.Provider().listener(), "no kernel in a test JVM");
        assertInstanceOf(ConsoleDownloadListener.class, DownloadListener.forEnvironment(
                new PrintStream(new ByteArrayOutputStream())));
        Show.use(new RecordingDisplay());
        try {
            assertInstanceOf(NotebookDownloadProgress.class, DownloadListener.forEnvironment(System.err),
                    "found through ServiceLoader inside a kernel");
        } finally {
            Show.use(KernelDisplays.detect());
        }
    }
}
