package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.neuromask.options.CliReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md's part for the CLI is what the commands' specs say now (the Spark part is toolkit/spark's
 * CliReferenceTest). With -Dneuromask.cliReference=write it rewrites that part instead; see
 * {@link CliReference#REGENERATE}.
 */
class CliReferenceTest {

    @Test
    void docsCliMdDescribesTheCommandsAsTheyAre() throws Exception {
        Path file = Path.of(System.getProperty("neuromask.projectRoot", "../..")).resolve("docs/cli.md")
                .toAbsolutePath().normalize();
        String problem = CliReference.verify(file, CliReference.Part.CLI,
                CliReference.cli(new CommandLine(Main.class)));
        assertNull(problem, problem);
    }
}
