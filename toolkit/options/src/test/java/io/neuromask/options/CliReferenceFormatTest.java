package io.neuromask.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The markdown of a command tree, and the check of a file's part against it. */
class CliReferenceFormatTest {

    @Command(name = "run", description = "Runs it, 95 %% of the time, into <dir>.")
    static final class Run {
        @Mixin ModelOption model;
        @Mixin BatchOption batch;
        @Option(names = "--mode", defaultValue = "a", paramLabel = "a|b", description = "a or b (default ${DEFAULT-VALUE}).")
        String mode;
        @Option(names = "--hidden", hidden = true) boolean hidden;
        @Parameters(arity = "0..*", paramLabel = "NAME", description = "Names.") java.util.List<String> names;
    }

    @Command(name = "tool", mixinStandardHelpOptions = true, description = "The tool.", subcommands = Run.class)
    static final class Tool {
    }

    @Test
    void everyCommandGetsItsSynopsisDescriptionAndOptions() {
        String md = CliReference.sections(new CommandLine(new Tool()), true);
        assertTrue(md.startsWith("## tool\n\n```\ntool [-hV] [COMMAND]\n```\n\nThe tool.\n\n## tool run\n\n"), md);
        assertTrue(md.contains("Runs it, 95 % of the time, into &lt;dir&gt;.\n\n"), md);
        assertTrue(md.contains("| `--batch=<batch>` | `64` | Images processed together, or 'auto' to measure the best "
                + "batch first (default 64). |\n"), md);
        assertTrue(md.contains("| `--mode=a\\|b` | `a` | a or b (default a). |\n"), md);
        assertTrue(md.contains("| `--model=<model>` |  | Model name (see 'neuromask models list'); required unless "
                + "--model-file gives a TorchScript file. |\n"), md);
        assertTrue(md.contains("| `--input-size=N\\|HxW` |  | With --model-file: the input the model takes"), md);
        assertTrue(md.contains("| `NAME...` |  | Names. |\n"), md);
        assertTrue(!md.contains("--hidden") && !md.contains("--help"), md);
    }

    @Test
    void aStaleFileIsReportedWithTheCommandThatRegeneratesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cli.md");
        String cli = "# title\n\nCLI text\n";
        String spark = CliReference.SPARK_MARKER + "\n\nSpark text\n";
        Files.writeString(file, cli + spark, StandardCharsets.UTF_8);
        assertNull(CliReference.verify(file, CliReference.Part.CLI, cli));
        assertNull(CliReference.verify(file, CliReference.Part.SPARK, spark));
        String problem = CliReference.verify(file, CliReference.Part.SPARK, spark.replace("Spark text", "New text"));
        assertTrue(problem.contains("Spark part differs from the commands' specs at line 6:\n"
                + "  file:     Spark text\n  expected: New text"), problem);
        assertTrue(problem.contains(CliReference.REGENERATE), problem);
        System.setProperty("neuromask.cliReference", "write");
        try {
            assertNull(CliReference.verify(file, CliReference.Part.CLI, "# title\n\nNew CLI text\n"));
        } finally {
            System.clearProperty("neuromask.cliReference");
        }
        assertEquals("# title\n\nNew CLI text\n" + spark, Files.readString(file, StandardCharsets.UTF_8));
    }
}
