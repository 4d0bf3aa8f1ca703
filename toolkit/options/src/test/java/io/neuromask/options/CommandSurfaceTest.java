package io.neuromask.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The rule of one command surface catches a command that declares a shared option itself, and the old spelling. */
class CommandSurfaceTest {

    @Command(name = "good", modelTransformer = Good.Defaults.class)
    static final class Good {
        @Mixin ModelOption model;
        @Mixin DeviceOption device;
        @Mixin BatchOption batch;
        @Mixin HyperparameterOptions overrides;

        static final class Defaults implements IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                return BatchOption.numbersOnly(ModelOption.defaultTo(ModelOption.namesOnly(spec), "m0"), "16");
            }
        }
    }

    @Command(name = "bad")
    static final class Bad {
        @Option(names = "--model") String model;
        @Option(names = "--batch-size") int batchSize;
        @Mixin DeviceOption device;
    }

    @Command(name = "root", subcommands = {Good.class, Bad.class})
    static final class Root {
    }

    @Test
    void aCommandThatDeclaresASharedOptionOrTheOldSpellingIsReported() {
        List<String> problems = CommandSurface.problems(new CommandLine(new Root()));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("root bad: --model is declared by " + Bad.class.getName()
                + ", not by its mixin " + ModelOption.class.getName()), problems.toString());
        assertTrue(problems.get(1).contains("root bad declares --batch-size, which is --batch now"), problems.toString());
    }

    @Test
    void variantsKeepTheOptionInItsMixin() {
        CommandLine good = new CommandLine(new Good());
        assertEquals(List.of(), CommandSurface.problems(good));
        CommandSpec spec = good.getCommandSpec();
        assertEquals("m0", spec.findOption("--model").defaultValue());
        assertTrue(!spec.findOption("--model").required());
        // --iterations and --set come from HyperparameterOptions' superclasses, the Spark job's mixins
        assertEquals(IterationsOption.class, CommandSurface.declaringClass(spec.findOption("--iterations")));
        assertEquals(ObjectiveSettings.class, CommandSurface.declaringClass(spec.findOption("--set")));
        good.parseArgs("--iterations", "7", "--set", "step=5", "--batch", "8");
        Good g = good.getCommand();
        assertEquals("m0", g.model.name());
        assertEquals(7, g.overrides.iterations());
        assertEquals(java.util.Map.of("step", "5"), g.overrides.settings());
        assertEquals(8, g.batch.positive());
        assertNull(g.device.nameOrNullForAuto());
    }

    @Command(name = "files")
    static final class Files {
        @Mixin ModelOption model;
    }

    @Command(name = "names", modelTransformer = Names.Only.class)
    static final class Names {
        @Mixin ModelOption model;

        static final class Only implements IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                return ModelOption.namesOnly(spec);
            }
        }
    }

    @Test
    void theModelIsANameOrATorchScriptFileUnlessTheCommandTakesNamesOnly() {
        CommandSpec files = new CommandLine(new Files()).getCommandSpec();
        for (String option : ModelOption.FILE_OPTIONS) {
            assertEquals(ModelOption.class, CommandSurface.declaringClass(files.findOption(option)), option);
            assertEquals(ModelOption.class, CommandSurface.SHARED.get(option), option);
        }
        assertTrue(!files.findOption("--model").required(), "--model or --model-file");
        CommandLine names = new CommandLine(new Names());
        assertEquals(List.of(), CommandSurface.problems(names));
        for (String option : ModelOption.FILE_OPTIONS) {
            assertNull(names.getCommandSpec().findOption(option), option);
        }
        assertTrue(names.getCommandSpec().findOption("--model").required());
        IllegalStateException unordered = assertThrows(IllegalStateException.class,
                () -> ModelOption.defaultTo(new CommandLine(new Files()).getCommandSpec(), "m0"));
        assertTrue(unordered.getMessage().contains("apply ModelOption.namesOnly first"), unordered.getMessage());

        assertEquals(List.of(32, 32), java.util.Arrays.stream(ModelOption.parseSize(" 32 ")).boxed().toList());
        assertEquals(List.of(224, 160), java.util.Arrays.stream(ModelOption.parseSize("224x160")).boxed().toList());
        assertEquals(List.of(24, 16), java.util.Arrays.stream(ModelOption.parseSize("24 × 16")).boxed().toList());
        for (String bad : List.of("", "x32", "32x", "32x32x3", "-4", "3.5", "0x8", "8193", "99999999999999999999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelOption.parseSize(bad));
            assertTrue(e.getMessage().startsWith("--input-size '" + bad + "'")
                    && e.getMessage().contains("give N or HxW in pixels"), e.getMessage());
        }

        CommandLine cli = new CommandLine(new Files());
        cli.parseArgs("--model-file", "m.pt", "--labels", "l.txt", "--input-size", "32", "--normalization", "x");
        Files f = cli.getCommand();
        assertEquals("m.pt", f.model.name());
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class, f.model::fileModel);
        assertTrue(norm.getMessage().startsWith("--normalization: normalisation 'x' is not understood"),
                norm.getMessage());
    }

    @Test
    void batchIsAPositiveNumberOrAutoWhereTheCommandHasIt() {
        assertEquals(0, BatchOption.parse(" AUTO "));
        assertEquals(3, BatchOption.parse("3"));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> BatchOption.parse("0"));
        assertEquals("--batch takes a positive number or 'auto', got '0'", zero.getMessage());
        CommandLine good = new CommandLine(new Good());
        good.parseArgs("--batch", "auto");
        IllegalArgumentException auto = assertThrows(IllegalArgumentException.class,
                () -> ((Good) good.getCommand()).batch.positive());
        assertTrue(auto.getMessage().startsWith("--batch takes a positive number here"), auto.getMessage());
    }
}
