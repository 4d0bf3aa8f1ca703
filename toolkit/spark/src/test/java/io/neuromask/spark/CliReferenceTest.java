package io.neuromask.spark;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.neuromask.options.CliReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md's part for the Spark commands is what their specs say now (the CLI cannot load them: Spark is not on
 * its class path). With -Dneuromask.cliReference=write it rewrites that part instead; see
 * {@link CliReference#REGENERATE}.
 */
class CliReferenceTest {

    @Test
    void docsCliMdDescribesTheSparkCommandsAsTheyAre() throws Exception {
        Path file = Path.of(System.getProperty("neuromask.projectRoot", "../..")).resolve("docs/cli.md")
                .toAbsolutePath().normalize();
        String problem = CliReference.verify(file, CliReference.Part.SPARK,
                CliReference.spark(new CommandLine(SparkMain.class)));
        assertNull(problem, problem);
    }
}
