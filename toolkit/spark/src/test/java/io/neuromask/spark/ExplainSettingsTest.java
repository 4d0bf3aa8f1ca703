package io.neuromask.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.Preset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks {@link ExplainSettings} makes on the driver, before any task runs. */
class ExplainSettingsTest {

    private static ExplainSettings neuromask(String preset, Map<String, String> overrides) {
        return new ExplainSettings("cifar10-resnet20", "neuromask", preset, 0, 0L, 0, null, false, false)
                .withOverrides(overrides);
    }

    private static void refused(Runnable make, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void overridesKeepTheirOrderAndSurviveTheTripToAnExecutor() throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("temperature", "0.3");
        given.put("baseline", "blur");
        given.put("lambdaSparsity", "1.0");
        ExplainSettings s = neuromask("fast-cifar10", given);
        given.put("temperature", "5"); // the settings keep their own copy
        assertEquals("fast-cifar10 temperature=0.3 baseline=blur lambdaSparsity=1.0", s.presetLabel());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        ExplainSettings shipped;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            shipped = (ExplainSettings) in.readObject();
        }
        assertEquals(s, shipped);
        assertEquals(Preset.FAST_CIFAR10.objective().withSetting("temperature", "0.3").withSetting("baseline", "blur")
                .withSetting("lambdaSparsity", "1.0"), shipped.objective(null));
        assertEquals("neuromask", neuromask(null, Map.of()).presetLabel());
        Map<String, String> spaced = new LinkedHashMap<>();
        spaced.put(" temperature", "0.3 ");
        assertEquals(neuromask("fast-cifar10", Map.of("temperature", "0.3")), neuromask("fast-cifar10", spaced),
                "names and values are trimmed, so that a resume with other spacing finds the same table");
        assertEquals("fast-cifar10 temperature=0.3", neuromask("fast-cifar10", spaced).presetLabel());
    }

    @Test
    void badOverridesFailOnTheDriverNamingTheSetting() {
        refused(() -> neuromask("fast-cifar10", Map.of("temprature", "0.3")),
                "unknown setting 'temprature' of the neuromask objective");
        refused(() -> neuromask(null, Map.of("temperature", "-1")), "neuromask setting temperature=-1");
        refused(() -> neuromask("fast-cifar10", Map.of("areas", "0.1")), "unknown setting 'areas'");
        refused(() -> new ExplainSettings("cifar10-resnet20", "extremal", "extremal-cifar10", 0, 0L, 0, null, false,
                false).withOverrides(Map.of("areas", "0.1,x")), "takes comma-separated numbers");
        refused(() -> ExplainSettings.of("cifar10-resnet20", "gradient").withOverrides(Map.of("temperature", "1")),
                "--set applies to the mask methods");
        refused(() -> new ExplainSettings("cifar10-resnet20", "neuromask", "fast-cifar10", 50, 0L, 0, null, false,
                false).withOverrides(Map.of("iterations", "60")), "iterations given twice");
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("temperature", "0.3");
        twice.put("temperature ", "0.4");
        refused(() -> neuromask("fast-cifar10", twice), "--set temperature given twice");
        refused(() -> new ExplainSettings("cifar10-resnet20", "meaningful", "fast-cifar10", 0, 0L, 0, null, false,
                false), "preset fast-cifar10 is a 'neuromask' objective but the method is 'meaningful'");
    }
}
