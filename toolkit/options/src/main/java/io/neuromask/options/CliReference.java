package io.neuromask.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * docs/cli.md, the command-line reference, written from the commands' picocli specs: per command its synopsis,
 * description, options and parameters with their labels, defaults and descriptions. The CLI's commands (toolkit/cli)
 * fill the part above {@link #SPARK_MARKER}, the Spark commands (toolkit/spark, which the CLI cannot load) the part
 * below it; each module's {@code CliReferenceTest} checks its part, and with {@code -Dneuromask.cliReference=write}
 * rewrites it. The output depends on nothing but the specs: no dates, paths or machine-dependent defaults.
 */
public final class CliReference {

    /** The command that rewrites docs/cli.md, from the repository's root. */
    public static final String REGENERATE = "mvn -B -q -pl toolkit/cli -am test -Dtest=CliReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dneuromask.cliReference=write";

    /** The line that starts the Spark commands' part. */
    public static final String SPARK_MARKER = "<!-- The Spark commands below come from toolkit/spark. -->";

    /** Which part of docs/cli.md a module writes. */
    public enum Part {
        /** The CLI's commands: from the start up to {@link #SPARK_MARKER}. */
        CLI,
        /** The Spark commands: from {@link #SPARK_MARKER} to the end. */
        SPARK
    }

    private static final int SYNOPSIS_WIDTH = 100;

    private CliReference() {}

    /** The CLI's part: the title, then {@code root} and every command below it. */
    public static String cli(CommandLine root) {
        return "# Command-line reference\n\n"
                + "Generated from the commands' picocli specs (`io.neuromask.options.CliReference`); do not edit: CI "
                + "checks that it is current. After changing a command, regenerate it from the repository's root with\n\n"
                + "```bash\n" + REGENERATE + "\n```\n\n"
                + "Options shared by several commands are declared once, as picocli mixins in `toolkit/options` "
                + "(`io.neuromask.options`); see [Command line](command-line.md) for examples. Every command also "
                + "takes `-h, --help` (and most `-V, --version`).\n\n"
                + sections(root, true);
    }

    /** The Spark part: {@link #SPARK_MARKER}, then every command below {@code root} (the Spark main, not shown). */
    public static String spark(CommandLine root) {
        return SPARK_MARKER + "\n\n"
                + "## Spark commands\n\n"
                + "Run by `./neuromask` in a JVM of their own on Spark's class path (see [Scale out](scale-out.md)), "
                + "or by `spark-submit` with `toolkit/spark/target/neuromask-spark-job.jar`.\n\n"
                + sections(root, false);
    }

    /**
     * Compares {@code part} of {@code file} with {@code expected}; with the system property
     * {@code neuromask.cliReference=write}, rewrites that part instead (keeping the other).
     *
     * @return null when the file is current (or was rewritten), else what differs and the command that fixes it
     */
    public static String verify(Path file, Part part, String expected) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int marker = text.indexOf(SPARK_MARKER);
        String cli = marker < 0 ? text : text.substring(0, marker);
        String spark = marker < 0 ? "" : text.substring(marker);
        String actual = part == Part.CLI ? cli : spark;
        if (actual.equals(expected)) {
            return null;
        }
        if ("write".equals(System.getProperty("neuromask.cliReference"))) {
            Files.writeString(file, part == Part.CLI ? expected + spark : cli + expected, StandardCharsets.UTF_8);
            return null;
        }
        int offset = part == Part.CLI ? 0 : cli.split("\n", -1).length - 1;
        return file + " is not current: its " + (part == Part.CLI ? "CLI" : "Spark") + " part differs from the "
                + "commands' specs at line " + firstDifference(actual, expected, offset) + "\nRegenerate it from the "
                + "repository's root with\n  " + REGENERATE + "\nand commit it.";
    }

    private static String firstDifference(String actual, String expected, int offset) {
        String[] a = actual.split("\n", -1);
        String[] e = expected.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, e.length); i++) {
            String x = i < a.length ? a[i] : "(end of part)";
            String y = i < e.length ? e[i] : "(end of part)";
            if (!x.equals(y)) {
                return (offset + i + 1) + ":\n  file:     " + x + "\n  expected: " + y;
            }
        }
        return "(none)";
    }

    /** One section per command: {@code root} (when {@code withRoot}) and every command below it, depth first. */
    static String sections(CommandLine root, boolean withRoot) {
        StringBuilder md = new StringBuilder();
        List<CommandLine> commands = new ArrayList<>();
        if (withRoot) {
            commands.add(root);
        }
        below(root, commands);
        for (CommandLine command : commands) {
            section(command.getCommandSpec(), md);
        }
        return md.toString();
    }

    private static void below(CommandLine command, List<CommandLine> into) {
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // aliases name the same command
                into.add(sub);
                below(sub, into);
            }
        });
    }

    private static void section(CommandSpec spec, StringBuilder md) {
        md.append("## ").append(spec.qualifiedName()).append("\n\n");
        spec.usageMessage().width(SYNOPSIS_WIDTH);
        String synopsis = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .synopsis(0).stripTrailing();
        md.append("```\n").append(synopsis.replaceAll("[ \\t]+\n", "\n")).append("\n```\n\n");
        String description = format(String.join(" ", spec.usageMessage().description()));
        if (!description.isBlank()) {
            md.append(escape(description)).append("\n\n");
        }
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
                options.add(o);
            }
        }
        options.sort(Comparator.comparing((OptionSpec o) -> o.longestName().replaceFirst("^-+", "")
                .toLowerCase(Locale.ROOT)));
        List<PositionalParamSpec> parameters = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (options.isEmpty() && parameters.isEmpty()) {
            return;
        }
        md.append("| option | default | description |\n|---|---|---|\n");
        for (OptionSpec o : options) {
            String name = String.join(", ", o.names()) + (o.arity().max() > 0 ? "=" + o.paramLabel() : "")
                    + (o.isMultiValue() ? "..." : "");
            row(md, name, o.required() ? "required" : o.arity().max() > 0 ? o.defaultValue() : null,
                    o.renderedDescription());
        }
        for (PositionalParamSpec p : parameters) {
            row(md, p.paramLabel() + (p.isMultiValue() ? "..." : ""), p.required() ? "required" : p.defaultValue(),
                    p.renderedDescription());
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, String name, String defaultValue, String[] description) {
        String text = format(String.join(" ", description));
        md.append("| `").append(name.replace("|", "\\|")).append("` | ")
                .append(defaultValue == null ? "" : defaultValue.equals("required") ? "required"
                        : "`" + defaultValue.replace("|", "\\|") + "`")
                .append(" | ").append(escape(text)).append(" |\n");
    }

    /** A description as picocli prints it: {@code %n} a line break, {@code %%} a percent sign. */
    private static String format(String text) {
        return text.replace("%n", " ").replace("%%", "%").strip();
    }

    /** Text for a markdown paragraph or table cell: no HTML, emphasis or cell breaks by accident. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;")
                .replace("|", "\\|");
    }
}
