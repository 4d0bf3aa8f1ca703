package io.neuromask.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.options.CommandSurface;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The Spark commands take the CLI's shared options from the same mixins, with the same spellings. */
class SparkOptionsTest {

    @Test
    void sharedOptionsComeFromTheirMixins() {
        assertEquals(List.of(), CommandSurface.problems(new CommandLine(SparkMain.class)));
    }

    @Test
    void sparkExplainTakesBatchAndNoLongerBatchSize() {
        CommandLine cli = new CommandLine(new SparkMain());
        CommandLine.ParseResult parsed = cli.parseArgs("spark-explain", "--data", "cifar10-test:4", "--model", "m",
                "--out", "hdfs:///t.parquet", "--batch", "8", "--objective", "meaningful", "--iterations", "5",
                "--set", "step=5");
        SparkMain.Explain explain = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertEquals(8, explain.batch.size());
        assertEquals("hdfs:///t.parquet", explain.output.uri(), "a URI stays as given");
        assertNull(explain.device.nameOrNullForAuto(), "auto: the GPU Spark assigns, else the engine's default");
        assertEquals(5, explain.settings.iterations());
        assertEquals(Map.of("step", "5"), explain.settings.settings());

        CommandLine defaults = new CommandLine(new SparkMain());
        SparkMain.Explain d = defaults.parseArgs("spark-explain", "--data", "x", "--model", "m", "--out", "o")
                .subcommand().commandSpec().commandLine().getCommand();
        assertEquals(0, d.batch.size(), "the batch is chosen per device by default");

        CommandLine old = new CommandLine(new SparkMain());
        CommandLine.UnmatchedArgumentException e = assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> old.parseArgs("spark-explain", "--data", "x", "--model", "m", "--out", "o", "--batch-size", "4"));
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
    }

    @Test
    void sparkBenchAndSummaryKeepTheirDefaults() {
        SparkMain.Bench bench = new CommandLine(new SparkMain()).parseArgs("spark-bench").subcommand().commandSpec()
                .commandLine().getCommand();
        assertEquals("cifar10-resnet20", bench.modelOption.name());
        assertEquals(16, bench.batchOption.positive());
        SparkMain.SummaryCommand summary = new CommandLine(new SparkMain()).parseArgs("spark-summary", "--in", "t")
                .subcommand().commandSpec().commandLine().getCommand();
        assertNull(summary.modelOption.name(), "without --model the table's model, with class indices");
    }
}
