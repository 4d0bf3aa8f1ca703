package io.neuromask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console progress line: plain lines per 10 % off a terminal, redrawn in place on one. */
class ConsoleLineTest {

    @Test
    void offATerminalOneLinePerTenPercentAndNoCarriageReturns() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleLine line = new ConsoleLine(new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        for (int i = 0; i <= 1000; i++) {
            line.update(i / 1000.0, "step " + i);
        }
        line.finish("done");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), out);
        assertEquals("step 0\nstep 100\nstep 200\nstep 300\nstep 400\nstep 500\nstep 600\nstep 700\nstep 800\nstep 900\ndone\n",
                out.replace(System.lineSeparator(), "\n"));
    }

    @Test
    void onATerminalRedrawnInPlace() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleLine line = new ConsoleLine(new PrintStream(buf, true, StandardCharsets.UTF_8), true);
        line.update(0.5, "half");
        line.finish("done");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rhalf") && out.contains("\rdone"), out);
        assertEquals(1, out.split("\n", -1).length - 1, "one line in the end");
    }

    @Test
    void theOverrideIsChecked() {
        PrintStream other = new PrintStream(new ByteArrayOutputStream());
        assertFalse(ConsoleLine.isTerminal(other), "a stream that is not stdout/stderr is no terminal");
        System.setProperty("neuromask.progress", "bar");
        try {
            assertTrue(ConsoleLine.isTerminal(other));
            System.setProperty("neuromask.progress", "fancy");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ConsoleLine.isTerminal(other));
            assertTrue(e.getMessage().contains("NEUROMASK_PROGRESS"), e.getMessage());
        } finally {
            System.clearProperty("neuromask.progress");
        }
    }
}
