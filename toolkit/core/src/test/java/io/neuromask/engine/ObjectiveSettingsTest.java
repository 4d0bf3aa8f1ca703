package io.neuromask.engine;

import io.neuromask.Preset;
import io.neuromask.engine.Game;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.RecordSettings;
import io.neuromask.engine.extremal.ExtremalPerturbation;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link MaskObjective#withSetting}: every setting of every objective can be set from text, and bad text is named. */
class ObjectiveSettingsTest {

    /** A setting's value as a user types it: numbers as Java prints them, lists comma-separated, enums by name. */
    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    @Test
    void settingEveryComponentOfOnePresetTurnsAnotherPresetIntoIt() {
        int pairs = 0;
        for (Preset from : Preset.values()) {
            for (Preset to : Preset.values()) {
                if (from == to || !from.objective().name().equals(to.objective().name())) {
                    continue;
                }
                MaskObjective<?> o = from.objective();
                // every component, also those settings() leaves out at their defaults
                for (Map.Entry<String, Object> e : RecordSettings.of((Record) to.objective()).entrySet()) {
                    o = o.withSetting(e.getKey(), text(e.getValue()));
                }
                assertEquals(to.objective(), o, from + " set to every setting of " + to);
                pairs++;
            }
        }
        assertTrue(pairs >= 10, "pairs of presets of one objective: " + pairs);
    }

    @Test
    void oneSettingChangesOnlyThatSetting() {
        NeuroMaskObjective fast = Preset.FAST_CIFAR10.neuroMask();
        NeuroMaskObjective hot = (NeuroMaskObjective) fast.withSetting("temperature", "0.3");
        assertEquals(0.3, hot.temperature());
        assertEquals(fast.withTemperature(0.3), hot);
        assertEquals(NeuroMaskObjective.Baseline.BLUR, fast.withSetting(" baseline ", "BLUR").baseline());
        ExtremalPerturbation ep = Preset.EXTREMAL_IMAGENET.objective() instanceof ExtremalPerturbation e ? e : null;
        assertEquals(List.of(0.05, 0.3), ep.withSetting("areas", "0.05, 0.3").areas());
        assertEquals(Game.DELETE, ep.withSetting("game", "delete").game());
        assertNotEquals(ep.jitter(), ep.withSetting("jitter", String.valueOf(!ep.jitter())).jitter());
    }

    @Test
    void unknownNamesListTheObjectivesSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Preset.PAPER_CIFAR10.objective().withSetting("temprature", "0.3"));
        assertTrue(e.getMessage().contains("unknown setting 'temprature' of the neuromask objective"), e.getMessage());
        assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains("smoothnessBorder"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Preset.MEANINGFUL_IMAGENET.objective().withSetting("areas", "0.1"));
        assertTrue(e.getMessage().contains("of the meaningful objective") && e.getMessage().contains("tvBeta"),
                e.getMessage());
    }

    @Test
    void textOfTheWrongTypeIsRefusedNamingTheType() {
        MaskObjective<?> paper = Preset.PAPER_IMAGENET.objective();
        assertMessage(() -> paper.withSetting("iterations", "2.5"), "neuromask setting iterations takes an integer");
        assertMessage(() -> paper.withSetting("temperature", "warm"), "temperature takes a number, got 'warm'");
        assertMessage(() -> paper.withSetting("baseline", "grey"), "takes one of black, blur, got 'grey'");
        MaskObjective<?> ep = Preset.EXTREMAL_CIFAR10.objective();
        assertMessage(() -> ep.withSetting("jitter", "yes"), "takes true or false");
        assertMessage(() -> ep.withSetting("areas", "0.1,,0.2"), "takes comma-separated numbers");
        assertMessage(() -> paper.withSetting("temperature", null), "needs a name and a value");
    }

    @Test
    void valuesTheObjectiveRefusesAreNamedWithItsReason() {
        assertMessage(() -> Preset.PAPER_CIFAR10.objective().withSetting("temperature", "NaN"),
                "neuromask setting temperature=NaN: ");
        assertMessage(() -> Preset.PAPER_CIFAR10.objective().withSetting("iterations", "0"),
                "neuromask setting iterations=0: ");
        assertMessage(() -> Preset.MEANINGFUL_CIFAR10.objective().withSetting("game", "dual"),
                "meaningful perturbation plays the delete or preserve game");
        assertMessage(() -> Preset.EXTREMAL_IMAGENET.objective().withSetting("areas", "1.5"),
                "extremal setting areas=1.5: ");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
