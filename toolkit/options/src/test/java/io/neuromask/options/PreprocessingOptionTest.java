package io.neuromask.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.Preprocessing;
import io.neuromask.base.Preprocessing.Resize;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --resize} and {@code --[no-]center-crop}: the model's convention unless told, a bad value refused. */
class PreprocessingOptionTest {

    @Command(name = "cmd")
    static final class Cmd {
        @Mixin PreprocessingOption preprocessing;
    }

    private static Preprocessing resolve(int size, String... args) {
        CommandLine cli = new CommandLine(new Cmd());
        cli.parseArgs(args);
        return ((Cmd) cli.getCommand()).preprocessing.resolve(size, size);
    }

    @Test
    void defaultsFollowTheModelsInputSize() {
        assertEquals(Preprocessing.of(Resize.SHORTER_SIDE, true, 224, 224), resolve(224));
        assertEquals(Preprocessing.of(Resize.SQUASH, false, 32, 32), resolve(32));
        assertEquals(Preprocessing.of(Resize.SQUASH, false, 224, 224), resolve(224, "--resize", "squash"));
        assertEquals(Preprocessing.of(Resize.SHORTER_SIDE, false, 32, 32), resolve(32, "--resize", "shorter-side"));
        assertEquals(Preprocessing.of(Resize.SHORTER_SIDE, false, 224, 224), resolve(224, "--no-center-crop"));
        assertEquals(Preprocessing.of(Resize.SQUASH, true, 32, 32), resolve(32, "--center-crop"));
        assertEquals(Preprocessing.of(Resize.SQUASH, true, 224, 224), resolve(224, "--resize", "SQUASH",
                "--center-crop"));
    }

    @Test
    void aBadResizeIsRefusedWithTheAcceptedValues() {
        CommandLine cli = new CommandLine(new Cmd());
        cli.parseArgs("--resize", "fit");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ((Cmd) cli.getCommand()).preprocessing.check());
        assertEquals("--resize 'fit': use squash (each side to the model's input, aspect ratio not kept) or "
                + "shorter-side (keep the aspect ratio, cut the input from the centre)", e.getMessage());
        assertEquals(List.of(), CommandSurface.problems(new CommandLine(new Cmd())));
        assertTrue(CommandSurface.SHARED.get("--resize") == PreprocessingOption.class);
    }
}
