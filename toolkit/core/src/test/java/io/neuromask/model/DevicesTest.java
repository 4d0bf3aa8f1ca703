package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void allocatorSettingsAreRecognisedOnlyWithOneArenaAndNoMmap() {
        assertTrue(Devices.allocatorTuned(Devices.GLIBC_TUNABLES));
        assertTrue(Devices.allocatorTuned("glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1"));
        assertFalse(Devices.allocatorTuned(null));
        assertFalse(Devices.allocatorTuned(""));
        assertFalse(Devices.allocatorTuned("glibc.malloc.arena_max=1"), "mmap still allowed");
        assertFalse(Devices.allocatorTuned("glibc.malloc.arena_max=16:glibc.malloc.mmap_max=0"), "many arenas");
        assertFalse(Devices.allocatorTuned("glibc.malloc.arena_max=10:glibc.malloc.mmap_max=00"), "not a prefix match");
    }

    /** The launcher exports the same settings as the library recommends (and the kernelspec writes). */
    @Test
    void theLauncherExportsTheRecommendedSettings() throws Exception {
        Path launcher = Path.of(System.getProperty("neuromask.projectRoot", "../..")).resolve("neuromask");
        Matcher m = Pattern.compile("tunables=\"\\$\\{GLIBC_TUNABLES:-([^}]*)}\"").matcher(Files.readString(launcher));
        assertTrue(m.find(), "the launcher sets a default GLIBC_TUNABLES");
        assertEquals(Devices.GLIBC_TUNABLES, m.group(1));
        String pom = Files.readString(launcher.resolveSibling("pom.xml"));
        assertTrue(pom.contains("<GLIBC_TUNABLES>" + Devices.GLIBC_TUNABLES + "</GLIBC_TUNABLES>"),
                "the tests run java as the launcher does");
    }

    @Test
    void unknownDeviceNamesAreRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
        assertTrue(e.getMessage().contains("auto, cpu, gpu or gpu:N"), e.getMessage());
    }
}
