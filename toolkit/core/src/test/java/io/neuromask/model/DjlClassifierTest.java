package io.neuromask.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.transform.CenterCrop;
import ai.djl.modality.cv.transform.Normalize;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.modality.cv.translator.ImageClassificationTranslator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import io.neuromask.NeuroMask;
import io.neuromask.TorchScriptFixture;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classifiers from DJL {@code ZooModel<Image, Classifications>}s of the committed TorchScript fixture: they keep the
 * translator's size, normalisation and synset, score as the model's own predictor does, learn the same mask as the
 * TorchScript classifier of the same weights; and forward-only classifiers run occlusion and RISE only.
 */
class DjlClassifierTest {

    private static final float[] MEAN = {0.1f, 0.2f, 0.3f};
    private static final float[] STD = {0.9f, 1.1f, 0.8f};

    @TempDir
    Path tmp;

    private ZooModel<Image, Classifications> zoo(boolean trainParam, Translator<Image, Classifications> translator)
            throws Exception {
        Path pt = TorchScriptFixture.model(tmp);
        TorchScriptFixture.labels(tmp);
        Criteria.Builder<Image, Classifications> b = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(pt).optEngine("PyTorch").optDevice(Device.cpu()).optTranslator(translator);
        if (trainParam) {
            b.optOption("trainParam", "true");
        }
        return b.build().loadModel();
    }

    private static ImageClassificationTranslator translator() {
        return ImageClassificationTranslator.builder().setImageSize(32, 32).addTransform(new Resize(32, 32)).addTransform(new ToTensor())
                .addTransform(new Normalize(MEAN, STD)).optSynsetArtifactName("planted-cnn32-labels.txt").optApplySoftmax(true)
                .build();
    }

    /** The planted image, quantised to 8 bits so that the DJL image and the [0, 1] pixels hold the same values. */
    private static RgbImage planted(int k) {
        int[] at = TorchScriptFixture.PLACES[k];
        return RgbImage.of(PlantedEvidence.image(32, at[0], at[1], TorchScriptFixture.PATCH, 3).toBufferedImage());
    }

    private static float[] softmax(Classifier c, RgbImage image) {
        return scores(c, image, true);
    }

    private static float[] scores(Classifier c, RgbImage image, boolean softmax) {
        try (NDManager m = NDManager.newBaseManager(c.device())) {
            NDArray x = m.create(image.toChw(), new Shape(1, 3, 32, 32));
            NDArray logits = c.logits(x);
            return (softmax ? logits.softmax(1) : logits).toFloatArray();
        }
    }

    @Test
    void keepsTheTranslatorsPreprocessingAndScoresAsItsPredictor() throws Exception {
        ZooModel<Image, Classifications> model = zoo(true, translator());
        try (Predictor<Image, Classifications> predictor = model.newPredictor();
                Classifier c = Models.classifier(model)) {
            assertEquals(32, c.inputHeight());
            assertEquals(32, c.inputWidth());
            assertEquals(TorchScriptFixture.LABELS, c.labels());
            assertTrue(c.supportsGradients());
            for (int k = 0; k < 4; k++) {
                RgbImage image = planted(k);
                Classifications p = predictor.predict(ImageFactory.getInstance().fromImage(image.toBufferedImage()));
                float[] ours = softmax(c, image);
                for (int i = 0; i < 4; i++) {
                    String label = TorchScriptFixture.LABELS.get(i);
                    assertEquals(p.get(label).getProbability(), ours[i], 1e-5, "class " + label + ", image " + k);
                }
            }
        }
    }

    @Test
    void theNormalisationIsTheTranslatorsAndTheMaskIsTheTorchScriptModelsOne() throws Exception {
        Normalization norm = new Normalization(MEAN, STD);
        try (Classifier zooC = Models.classifier(zoo(true, translator()));
                Classifier ts = Models.torchScript(TorchScriptFixture.model(tmp.resolve("ts")),
                        TorchScriptFixture.labels(tmp.resolve("ts")), 32, 32, norm, Device.cpu());
                Classifier plain = Models.torchScript(TorchScriptFixture.model(tmp.resolve("ts")),
                        TorchScriptFixture.labels(tmp.resolve("ts")), 32, 32, Normalization.NONE, Device.cpu())) {
            RgbImage image = planted(0);
            assertArrayEquals(scores(ts, image, false), scores(zooC, image, false), 1e-5f);
            float[] none = scores(plain, image, false);
            float[] read = scores(zooC, image, false);
            double diff = 0;
            for (int i = 0; i < 4; i++) {
                diff += Math.abs(none[i] - read[i]);
            }
            assertTrue(diff > 1e-3, "the translator's normalisation is applied: " + diff);
            SaliencyMap a = NeuroMask.builder().model(zooC).iterations(10).seed(7).build()
                    .attribute(image, Target.index(0));
            SaliencyMap b = NeuroMask.builder().model(ts).iterations(10).seed(7).build()
                    .attribute(image, Target.index(0));
            assertTrue(a.max() > a.min(), "a mask was learnt");
            assertArrayEquals(b.values(), a.values(), 1e-5f);
        }
    }

    @Test
    void readsCropAndRefusesWhatItCannotRead() throws Exception {
        DjlClassifiers.Preprocessing p = DjlClassifiers.preprocessing("m", ImageClassificationTranslator.builder()
                .setImageSize(40, 30).addTransform(new Resize(64, 48)).addTransform(new CenterCrop(40, 30)).addTransform(new ToTensor())
                .addTransform(new Normalize(MEAN, STD)).optSynset(List.of("a")).build());
        assertEquals(30, p.height());
        assertEquals(40, p.width());
        assertArrayEquals(MEAN, p.normalization().mean());
        assertArrayEquals(STD, p.normalization().std());
        Translator<Image, Classifications> custom = ImageClassificationTranslator.builder()
                .setImageSize(32, 32).addTransform(new Resize(32, 32)).addTransform(new ToTensor()).addTransform(a -> a.mul(1f))
                .optSynsetArtifactName("planted-cnn32-labels.txt").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.classifier(zoo(true, custom)));
        assertTrue(e.getMessage().contains("cannot read transform"), e.getMessage());
        assertTrue(e.getMessage().contains("Models.classifier(model, height, width, normalization)"), e.getMessage());
        IllegalArgumentException noSize = assertThrows(IllegalArgumentException.class, () -> DjlClassifiers
                .preprocessing("m", ImageClassificationTranslator.builder().addTransform(new ToTensor()).build()));
        assertTrue(noSize.getMessage().contains("input size is unknown"), noSize.getMessage());
        try (Classifier c = Models.classifier(zoo(true, custom), 32, 32, new Normalization(MEAN, STD))) {
            assertEquals(TorchScriptFixture.LABELS, c.labels());
            assertTrue(c.supportsGradients());
        }
    }

    @Test
    void withoutTrainParamItIsForwardOnlySayingWhy() throws Exception {
        try (Classifier c = Models.classifier(zoo(false, translator()))) {
            assertFalse(c.supportsGradients());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Methods.create("gradient", c));
            assertTrue(e.getMessage().contains("trainParam"), e.getMessage());
            assertTrue(Methods.create("occlusion", c).attribute(planted(0), Target.index(0)).max() > 0);
        }
    }

    @Test
    void forwardOnlyRunsOcclusionAndRiseAndRefusesTheOthersByName() throws Exception {
        Path dir = tmp.resolve("fo");
        try (Classifier full = Models.torchScript(TorchScriptFixture.model(dir), TorchScriptFixture.labels(dir), 32, 32,
                Normalization.NONE, Device.cpu());
                Classifier fo = Models.forwardOnly(Models.torchScript(TorchScriptFixture.model(dir),
                        TorchScriptFixture.labels(dir), 32, 32, Normalization.NONE, Device.cpu()), "test: no autograd")) {
            assertFalse(fo.supportsGradients());
            RgbImage image = planted(0);
            for (String m : List.of("occlusion", "rise", "center", "center-gaussian")) {
                assertTrue(Methods.unavailable(m, fo).isEmpty(), m);
                SaliencyMap a = Methods.create(m, fo).attribute(image, Target.index(0));
                SaliencyMap b = Methods.create(m, full).attribute(image, Target.index(0));
                assertArrayEquals(b.values(), a.values(), 1e-6f, m);
            }
            SaliencyMap occ = Methods.create("occlusion", fo).attribute(image, Target.index(0));
            assertTrue(occ.get(10, 22) > occ.get(26, 6), "the planted patch matters");
            for (String m : List.of("gradient", "smoothgrad", "ig", "gradcam", "gradcam++", "scorecam", "layercam",
                    "opticam", "neuromask", "meaningful", "extremal")) {
                String reason = Methods.unavailable(m, fo).orElseThrow(() -> new AssertionError(m));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.create(m, fo), m);
                assertEquals(reason, e.getMessage(), m);
                assertTrue(reason.startsWith(m.equals("scorecam") ? "scorecam needs no gradient but the activations of "
                        + "a named layer of a DJL block model" : m + " needs gradients"), reason);
                assertTrue(reason.contains("test: no autograd"), reason);
                assertTrue(reason.endsWith("use the forward-only methods that work on it: occlusion, rise, center, "
                        + "center-gaussian"), reason);
            }
            IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                    () -> NeuroMask.builder().model(fo).build());
            assertTrue(direct.getMessage().startsWith("the mask engine"), direct.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new io.neuromask.attribution.VanillaGradient(fo, 8));
        }
    }
}
