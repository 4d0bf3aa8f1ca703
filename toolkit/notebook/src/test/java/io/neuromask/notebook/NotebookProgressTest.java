package io.neuromask.notebook;

import io.neuromask.engine.Progress;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {

    @Test
    void displaysOnceThenUpdatesInPlaceThrottled() {
        RecordingDisplay d = new RecordingDisplay();
        long[] now = {0};
        NotebookProgress bar = new NotebookProgress("nm", d, 100, () -> now[0]);
        for (int it = 1; it <= 10; it++) {
            now[0] = it * 30_000_000L; // 30 ms per iteration: an update every 4th report at most
            bar.onProgress(new Progress(it, 10, 0, 2, 2, 2, 0.5, Duration.ofMillis(it * 30)));
        }
        assertEquals("display", d.calls.get(0).kind());
        String id = d.calls.get(0).id();
        assertEquals(id, bar.displayId());
        assertTrue(d.calls.stream().skip(1).allMatch(c -> c.kind().equals("update") && c.id().equals(id)));
        // first at it 1 (t=30ms); updates at it 5 (150ms), 9 (270ms) and the final iteration 10.
        assertEquals(4, d.calls.size(), d.calls.toString());
        String last = d.calls.get(3).bundle().data().get(MimeBundle.HTML);
        assertTrue(last.contains("value=\"100\""), last);
        assertTrue(d.calls.get(3).bundle().plainText().startsWith("[" + "#".repeat(30) + "] nm: 100%"),
                d.calls.get(3).bundle().plainText());
    }

    @Test
    void fractionCountsEarlierBatches() {
        RecordingDisplay d = new RecordingDisplay();
        NotebookProgress bar = new NotebookProgress("nm", d, 0, System::nanoTime);
        bar.onProgress(new Progress(50, 100, 2, 2, 4, 2, Double.NaN, Duration.ZERO));
        String text = d.calls.get(0).bundle().plainText();
        assertTrue(text.contains("75%") && text.contains("images 4/4") && text.contains("loss -"), text);
    }
}
