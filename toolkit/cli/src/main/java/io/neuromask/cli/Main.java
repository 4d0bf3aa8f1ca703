package io.neuromask.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code neuromask} command line. */
@Command(
        name = "neuromask",
        mixinStandardHelpOptions = true,
        modelTransformer = io.neuromask.options.HyperparameterOptions.InSubcommands.class,
        versionProvider = VersionProvider.class,
        description = "NeuroMask explanations of image classifiers on DJL.",
        // The Spark commands live in toolkit/spark and run in a JVM of their own (the ./neuromask script dispatches
        // them), so they are named here rather than registered as subcommands: the CLI does not depend on Spark.
        footer = {"", "Scale out on Apache Spark (run by the ./neuromask script on a class path of its own, built on "
                + "first use):",
            "  spark-explain  explain every image of a data set on Spark into a Parquet table, one row per image",
            "  spark-summary  the metrics of such a table by method and class, as evaluate reports them",
            "  spark-bench    images per second of the Spark job against the single-JVM engine",
            "See \"Scale out\" (docs/scale-out.md) and ./neuromask spark-explain --help."},
        subcommands = {QuickstartCommand.class, ExplainCommand.class, SweepCommand.class, BenchCommand.class,
            SharedCpuBenchCommand.class, ModelsCommand.class,
            EvaluateAccuracyCommand.class, EvaluateCommand.class, ResultsCommand.class, KernelCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    private Main() {}

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status: 0 ok, 1 failure, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof IllegalStateException || ex instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
    }
}
