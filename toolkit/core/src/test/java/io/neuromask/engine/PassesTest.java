package io.neuromask.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How many input pixels one forward and backward pass of the engine holds. */
class PassesTest {

    @AfterEach
    void restore() {
        System.clearProperty(Passes.PROPERTY);
    }

    @Test
    void aCpuPassHoldsABoundedNumberOfPixelsAndAGpuTheWholeBatch() {
        assertEquals(Passes.CPU_PIXELS, Passes.pixelsPerPass(Device.cpu()));
        assertEquals(Long.MAX_VALUE, Passes.pixelsPerPass(Device.gpu()));
        // three 224² images of extremal perturbation's three areas, or ten of NeuroMask's one mask, per pass
        assertEquals(3, Passes.CPU_PIXELS / (3 * 224 * 224));
        assertEquals(10, Passes.CPU_PIXELS / (224 * 224));
    }

    @Test
    void thePropertyChoosesAndIsChecked() {
        System.setProperty(Passes.PROPERTY, " 4096 ");
        assertEquals(4096, Passes.pixelsPerPass(Device.cpu()));
        assertEquals(4096, Passes.pixelsPerPass(Device.gpu()));
        System.setProperty(Passes.PROPERTY, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Passes.pixelsPerPass(null));
        assertTrue(e.getMessage().contains("-Dneuromask.passPixels must be a positive number"), e.getMessage());
        System.setProperty(Passes.PROPERTY, "many");
        assertThrows(IllegalArgumentException.class, () -> Passes.pixelsPerPass(Device.cpu()));
    }
}
