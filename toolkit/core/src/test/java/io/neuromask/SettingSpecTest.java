package io.neuromask;

import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.engine.SettingSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.testplugin.GreyMask;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each objective's settings are described once, and the descriptions say what the records accept. */
class SettingSpecTest {

    private static final Pattern AT_LEAST = Pattern.compile("(>=|>) (-?[0-9.]+)");
    private static final Pattern INTERVAL = Pattern.compile("([\\[(])(-?[0-9.]+), (-?[0-9.]+)([\\])])");

    @Test
    void everyBuiltInSettingIsDocumentedWithItsPresetAsDefault() {
        for (ObjectiveDescriptor d : Objectives.all()) {
            for (int size : new int[] {32, 224}) {
                MaskObjective<?> preset = d.preset(size, size);
                assertEquals(d.name(), preset.name(), "the preset is the descriptor's objective");
                List<SettingSpec> specs = d.settings(size, size);
                // settings() may leave out settings at their defaults, never describe one that is not there
                assertTrue(specs.stream().map(SettingSpec::name).toList().containsAll(preset.settings().keySet()),
                        d.name() + ": " + preset.settings().keySet());
                for (SettingSpec s : specs) {
                    assertFalse(s.doc().isBlank(), d.name() + "." + s.name() + " has no @SettingDoc");
                    // the default is the preset's value, and setting it back changes nothing
                    assertEquals(preset, preset.withSetting(s.name(), s.defaultText()), d.name() + "." + s.name());
                }
            }
        }
    }

    @Test
    void documentedRangesAreTheRecordsChecks() {
        List<MaskObjective<?>> objectives = new ArrayList<>();
        for (ObjectiveDescriptor d : Objectives.all()) {
            objectives.add(d.preset(224, 224));
        }
        objectives.add(new GreyMask.Descriptor().preset(224, 224));
        int checked = 0;
        for (MaskObjective<?> o : objectives) {
            for (SettingSpec s : SettingSpec.of(o)) {
                boolean integer = s.type().equals("integer");
                Matcher low = AT_LEAST.matcher(s.range());
                Matcher interval = INTERVAL.matcher(s.range());
                String what = o.name() + "." + s.name() + " range '" + s.range() + "'";
                if (interval.matches()) {
                    double a = Double.parseDouble(interval.group(2));
                    double b = Double.parseDouble(interval.group(3));
                    boolean closedLow = interval.group(1).equals("[");
                    boolean closedHigh = interval.group(4).equals("]");
                    checkBound(o, s, a, closedLow, -1, integer, what);
                    checkBound(o, s, b, closedHigh, +1, integer, what);
                    checked++;
                } else if (low.matches() && !s.type().equals("numbers")) {
                    double a = Double.parseDouble(low.group(2));
                    checkBound(o, s, a, low.group(1).equals(">="), -1, integer, what);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 25, "ranges checked: " + checked);
    }

    /** The bound itself is accepted when closed and refused when open; a step beyond it is refused. */
    private static void checkBound(MaskObjective<?> o, SettingSpec s, double bound, boolean closed, int side,
            boolean integer, String what) {
        double step = integer ? 1 : 1e-6;
        String outside = text(bound + side * step, integer);
        assertThrows(IllegalArgumentException.class, () -> o.withSetting(s.name(), outside), what + ": " + outside);
        if (closed) {
            o.withSetting(s.name(), text(bound, integer)); // accepted, or this throws
        } else {
            assertThrows(IllegalArgumentException.class, () -> o.withSetting(s.name(), text(bound, integer)), what);
        }
    }

    private static String text(double v, boolean integer) {
        return integer ? Long.toString(Math.round(v)) : Double.toString(v);
    }

    @Test
    void optionsAreNamedOnceWithinAnObjectiveAndListsAreNumberedFromZero() {
        for (ObjectiveDescriptor d : Objectives.all()) {
            List<String> single = new ArrayList<>();
            for (SettingSpec s : d.settings(224, 224)) {
                if (!s.option().isEmpty() && s.optionIndex() < 0) {
                    assertFalse(single.contains(s.option()), d.name() + " names " + s.option() + " twice");
                    single.add(s.option());
                }
            }
        }
        List<Integer> lambdas = SettingSpec.of(Preset.PAPER_CIFAR10.objective()).stream()
                .filter(s -> s.option().equals("--lambdas")).map(SettingSpec::optionIndex).toList();
        assertEquals(List.of(0, 1, 2), lambdas);
    }

    @Test
    void badDescriptionsAndRegistrationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SettingSpec("x", "number", "", 1, "", "temperature", -1),
                "an option without --");
        assertThrows(IllegalArgumentException.class, () -> new SettingSpec("x", "number", "", 1, "", "", 0),
                "a list position without an option");
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> Objectives.register(new ObjectiveDescriptor() {
                    @Override
                    public String name() {
                        return "neuromask";
                    }

                    @Override
                    public String description() {
                        return "a second neuromask";
                    }

                    @Override
                    public MaskObjective<?> preset(int height, int width) {
                        return new GreyMask.Descriptor().preset(height, width);
                    }
                }));
        assertTrue(taken.getMessage().contains("registered already"), taken.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Objectives.get("lime"));
        assertTrue(unknown.getMessage().contains("choose from neuromask, meaningful, extremal"), unknown.getMessage());
        assertEquals(List.of("neuromask", "meaningful", "extremal"), Objectives.names(), "no plug-in in this JVM");
    }
}
