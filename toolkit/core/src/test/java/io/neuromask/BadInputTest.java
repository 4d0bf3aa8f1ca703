package io.neuromask;

import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.neuromask.NeuroMaskObjective;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.PlantedEvidence;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input fails up front with a message that names the problem. */
class BadInputTest {

    private static BlockClassifier model;

    @BeforeAll
    static void setUp() {
        model = PlantedEvidence.model(32, null);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static MaskEngine explainer() {
        return NeuroMask.builder().model(model).iterations(5).build();
    }

    @Test
    void wrongImageSize() {
        RgbImage small = PlantedEvidence.image(16, 0, 0, 4, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> explainer().explain(small, Target.predicted()));
        assertTrue(e.getMessage().contains("16x16") && e.getMessage().contains("32x32"), e.getMessage());
        assertTrue(e.getMessage().contains("resize"), "says how to fix it: " + e.getMessage());
    }

    @Test
    void wrongChannelCount() {
        var e = assertThrows(IllegalArgumentException.class, () -> RgbImage.ofChw(new float[32 * 32], 1, 32, 32));
        assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("got 1"), e.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> RgbImage.ofChw(new float[4 * 4], 4, 2, 2));
        assertTrue(e4.getMessage().contains("got 4"), e4.getMessage());
    }

    @Test
    void pixelsOutsideUnitRange() {
        float[] px = new float[3 * 2 * 2];
        px[5] = 255f;
        var e = assertThrows(IllegalArgumentException.class, () -> RgbImage.ofChw(px, 3, 2, 2));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
    }

    @Test
    void negativeOrNanHyperparameters() {
        NeuroMaskObjective hp = Preset.PAPER_CIFAR10.neuroMask();
        var neg = assertThrows(IllegalArgumentException.class, () -> hp.withLambdaSparsity(-0.1));
        assertTrue(neg.getMessage().contains("lambdaSparsity") && neg.getMessage().contains("-0.1"), neg.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> hp.withTemperature(Double.NaN));
        assertTrue(nan.getMessage().contains("temperature") && nan.getMessage().contains("NaN"), nan.getMessage());
        var negT = assertThrows(IllegalArgumentException.class, () -> NeuroMask.builder().set("temperature", "-1"));
        assertTrue(negT.getMessage().contains("temperature"), negT.getMessage());
        var nanL = assertThrows(IllegalArgumentException.class,
                () -> NeuroMask.builder().set("lambdaPrediction", "NaN"));
        assertTrue(nanL.getMessage().contains("lambdaPrediction"), nanL.getMessage());
        var lap = assertThrows(IllegalArgumentException.class, () -> hp.withLaplacianSize(4));
        assertTrue(lap.getMessage().contains("laplacianSize"), lap.getMessage());
    }

    @Test
    void zeroIterations() {
        var e = assertThrows(IllegalArgumentException.class, () -> NeuroMask.builder().iterations(0));
        assertTrue(e.getMessage().contains("iterations") && e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void unknownClassNameAndIndex() {
        RgbImage img = PlantedEvidence.image(32, 6, 18, 8, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> explainer().explain(img, Target.name("zebra")));
        assertTrue(e.getMessage().contains("zebra") && e.getMessage().contains("evidence"), e.getMessage());
        var idx = assertThrows(IllegalArgumentException.class, () -> explainer().explain(img, Target.index(10)));
        assertTrue(idx.getMessage().contains("10") && idx.getMessage().contains("0..9"), idx.getMessage());
        // a valid name resolves
        assertEquals(3, explainer().explain(img, Target.name("OTHER-3")).target());
    }

    @Test
    void mismatchedListSizes() {
        RgbImage img = PlantedEvidence.image(32, 6, 18, 8, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> explainer().explain(List.of(img, img), List.of(Target.predicted())));
        assertTrue(e.getMessage().contains("2 images, 1 targets"), e.getMessage());
    }
}
