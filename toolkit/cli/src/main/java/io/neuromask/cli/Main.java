package io.neuromask.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code neuromask} command line. */
@Command(
        name = "neuromask",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "NeuroMask explanations of image classifiers on DJL.",
        subcommands = {QuickstartCommand.class, ExplainCommand.class, SweepCommand.class, BenchCommand.class, ModelsCommand.class,
            EvaluateAccuracyCommand.class, EvaluateCommand.class, KernelCommand.class, CommandLine.HelpCommand.class})
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
