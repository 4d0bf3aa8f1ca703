package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.options.BatchOption;
import io.neuromask.options.CommandSurface;
import io.neuromask.options.DeviceOption;
import io.neuromask.options.IterationsOption;
import io.neuromask.options.ModelOption;
import io.neuromask.options.PresetOption;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The top-level help names the Spark commands that {@code ./neuromask} runs in a JVM of their own, every command
 * and subcommand answers {@code --help} with its usage, and the options that commands share are declared once, by
 * their mixins in toolkit/options.
 */
class MainHelpTest {

    /** Every command path below the root, e.g. [explain], [models, fetch], found by walking picocli's tree. */
    private static List<List<String>> commandPaths(CommandLine cli, List<String> prefix, List<List<String>> into) {
        cli.getSubcommands().forEach((name, sub) -> {
            // aliases map to the same CommandLine; keep each command once, under its own name
            if (!name.equals(sub.getCommandName())) {
                return;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            into.add(path);
            commandPaths(sub, path, into);
        });
        return into;
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = commandPaths(new CommandLine(Main.class), List.of(), new ArrayList<>());
        // the walk reached the nested commands (models fetch was the one without --help)
        assertTrue(paths.contains(List.of("models", "fetch")), paths.toString());
        assertTrue(paths.contains(List.of("kernel", "install")), paths.toString());
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String[] r = InProcessCli.run(args.toArray(String[]::new));
            // "help" prints its description above the usage line; the others start with it
            String usage = "Usage: neuromask " + String.join(" ", path) + " [-h";
            assertEquals("0", r[0], args + " exited with " + r[0] + ":\n" + r[1] + r[2]);
            assertTrue(r[1].contains(usage), args + " printed, instead of '" + usage + "...':\n" + r[1] + r[2]);
            assertTrue(r[1].contains("-h, --help"), args + " lists no --help option:\n" + r[1]);
        }
    }

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

    /** Which commands take each of the shared options, by walking the tree; each must come from its mixin. */
    @Test
    void sharedOptionsAreDeclaredOnceByTheirMixins() {
        CommandLine root = new CommandLine(Main.class);
        assertEquals(List.of(), CommandSurface.problems(root));
        Map<String, TreeSet<String>> takers = new TreeMap<>();
        for (List<String> path : commandPaths(root, List.of(), new ArrayList<>())) {
            CommandLine command = root;
            for (String name : path) {
                command = command.getSubcommands().get(name);
            }
            for (String option : List.of("--model", "--device", "--batch", "--preset", "--iterations")) {
                if (command.getCommandSpec().findOption(option) != null) {
                    takers.computeIfAbsent(option, k -> new TreeSet<>()).add(String.join(" ", path));
                }
            }
            assertEquals(null, command.getCommandSpec().findOption("--batch-size"), path + " takes --batch-size");
        }
        // the commands that took each option before it moved into its mixin still take it
        assertEquals(Map.of(
                "--model", new TreeSet<>(List.of("bench", "bench-shared", "evaluate", "evaluate-accuracy", "explain",
                        "sweep")),
                "--device", new TreeSet<>(List.of("bench", "evaluate", "evaluate-accuracy", "explain", "quickstart",
                        "sweep")),
                "--batch", new TreeSet<>(List.of("bench", "evaluate", "evaluate-accuracy", "explain", "sweep")),
                "--preset", new TreeSet<>(List.of("bench", "evaluate", "explain", "sweep")),
                "--iterations", new TreeSet<>(List.of("bench", "bench-shared", "evaluate", "explain", "quickstart",
                        "sweep"))), takers);
        Map<String, Class<?>> mixins = Map.of("--model", ModelOption.class, "--device", DeviceOption.class,
                "--batch", BatchOption.class, "--preset", PresetOption.class, "--iterations", IterationsOption.class);
        mixins.forEach((option, mixin) -> assertEquals(mixin, CommandSurface.SHARED.get(option), option));
    }
}
