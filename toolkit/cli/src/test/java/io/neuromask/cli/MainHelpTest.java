package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The top-level help names the Spark commands that {@code ./neuromask} runs in a JVM of their own. */
class MainHelpTest {

    @Test
    void helpNamesTheSparkCommandsAndWhereToReadAboutThem() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run("--help"));
        } finally {
            System.setOut(old);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"spark-explain", "spark-summary", "spark-bench"}) {
            assertTrue(help.contains("  " + command + " "), command + " missing from:\n" + help);
        }
        assertTrue(help.contains("\"Scale out\""), help);
        // the registered subcommands are still listed above the footer
        assertTrue(help.indexOf("evaluate") < help.indexOf("spark-explain"), help);
    }
}
