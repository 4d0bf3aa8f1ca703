package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.neuromask.base.RgbImage;
import io.neuromask.internal.Autograd;
import io.neuromask.internal.Scoring;
import io.neuromask.model.BlockClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared base of the class activation map methods: {@code ReLU(Σ_k w_k ⊙ A_k)} of the activations {@code A} of
 * a layer chosen by name, with weights {@code w} from {@link #weights} (one per channel, or one per activation),
 * upsampled bilinearly (half-pixel centres, like pytorch-grad-cam's resize) to the input size. A new CAM variant
 * implements {@link #weights} and {@link #name}; one that needs no gradient overrides {@link #usesGradients}.
 *
 * <table>
 *   <caption>The variants</caption>
 *   <tr><td>{@link GradCam}</td><td>{@code w_k}: the spatial mean of {@code ∂ logit_target / ∂ A_k}</td></tr>
 *   <tr><td>{@link GradCamPlusPlus}</td><td>{@code w_k}: {@code Σ_ij α_ij ReLU(g_ij)} with {@code α} from the
 *       second and third powers of the gradient {@code g}</td></tr>
 *   <tr><td>{@link ScoreCam}</td><td>{@code w_k}: the target's softmax probability of the input masked by
 *       {@code A_k} (no gradient; one forward pass per channel)</td></tr>
 *   <tr><td>{@link LayerCam}</td><td>{@code w}: {@code ReLU(g)}, element by element</td></tr>
 *   <tr><td>{@link OptiCam}</td><td>{@code w_k}: {@code softmax(u)_k} (on the positive activations), {@code u}
 *       maximising the target's logit of the image times its own normalised map (no gradient of the layer; its own
 *       optimisation)</td></tr>
 * </table>
 *
 * <p>The layer is a dotted path through the DJL block tree, each segment a child's name with or
 * without DJL's two-digit prefix, or a 0-based position: e.g. {@code stage3}, {@code features.12},
 * {@code 6} (TinyCnn's last ReLU). {@link #layerNames} lists them. The layer must be reached through its
 * parent's child list (true for {@code SequentialBlock} children); this is checked when the method is
 * built. The maps are not normalised; metrics normalise as they need. Each chunk of {@link #batchSize()}
 * images lives in its own {@code NDManager}, closed after the chunk.
 */
public abstract class CamAttribution extends GradientAttribution {

    private final String layer;
    private final LayerProbe probe;

    /**
     * @throws IllegalArgumentException for an unknown layer (listing the valid names), or a layer whose
     *     output is not N×C×H×W or that the model's forward pass does not reach through its parent
     */
    protected CamAttribution(BlockClassifier model, String layer, int batchSize) {
        super(model, batchSize);
        this.layer = layer;
        this.probe = LayerProbe.install(model.block(), layer);
        check(model);
    }

    /** The dotted paths of every layer of a model, with each layer's class, e.g. {@code 6 (LambdaBlock)}. */
    public static List<String> layerNames(BlockClassifier model) {
        return LayerProbe.names(model.block());
    }

    /** The layer's dotted path as given. */
    public String layer() {
        return layer;
    }

    private void check(BlockClassifier model) {
        try (NDManager m = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray x = m.zeros(new Shape(1, 3, model.inputHeight(), model.inputWidth()));
            NDArray[] logits = new NDArray[1];
            NDArray a = LayerProbe.capture(() -> logits[0] = model.logits(x));
            if (a == null) {
                LayerProbe.uninstall(model.block(), probe);
                throw new IllegalArgumentException("layer '" + layer + "' is not reached through its parent's child "
                        + "list (a custom block calling it through its own field?); pick that block itself or a child "
                        + "of a SequentialBlock; valid names: " + layerNames(model));
            }
            if (a.getShape().dimension() != 4) {
                throw new IllegalArgumentException("layer '" + layer + "' outputs shape " + a.getShape()
                        + "; a class activation map needs a convolutional layer with an N×C×H×W output");
            }
        }
    }

    /**
     * The weights {@code w} of the captured layer output {@code activations} ({@code A}, N×C×H×W), broadcastable to
     * it: N×C×1×1 (a weight per channel) or N×C×H×W (a weight per activation). The map is
     * {@code ReLU(Σ_k w_k ⊙ A_k)}. When {@link #usesGradients()}, the gradient of {@code activations} holds
     * {@code ∂ logit_target / ∂ A} and this is called under the gradient lock. Called inside the chunk's manager.
     *
     * @param inputs the chunk's images, N×3×H×W pixels in [0, 1]
     * @param classes the target class of each of the chunk's images
     */
    protected abstract NDArray weights(NDArray activations, NDArray inputs, int[] classes);

    /**
     * Whether {@link #weights} reads the gradient of the target's logit with respect to the layer (true but for
     * Score-CAM): when false the layer is captured by a forward pass alone, outside the gradient lock.
     */
    protected boolean usesGradients() {
        return true;
    }

    @Override
    protected final List<SaliencyMap> compute(List<RgbImage> images, int[] classes) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        int numClasses = model.numClasses();
        Engine engine = Engine.getEngine("PyTorch");
        List<SaliencyMap> maps = new ArrayList<>(images.size());
        Scoring.forEachChunk(model, images.size(), batchSize(), (row, dst, off) -> {
            float[] chw = images.get(row).toChw();
            System.arraycopy(chw, 0, dst, off, chw.length);
        }, (start, count, manager, x) -> {
            int[] chunkClasses = Arrays.copyOfRange(classes, start, start + count);
            NDArray map;
            float[] cam;
            if (usesGradients()) {
                float[] oneHot = new float[count * numClasses];
                for (int r = 0; r < count; r++) {
                    oneHot[r * numClasses + chunkClasses[r]] = 1f;
                }
                NDArray select = manager.create(oneHot, new Shape(count, numClasses));
                synchronized (Autograd.LOCK) {
                    NDArray a = LayerProbe.capture(() -> {
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            collector.backward(model.logits(x).mul(select).sum());
                        }
                    });
                    map = map(a, x, chunkClasses);
                    cam = map.toFloatArray();
                }
            } else {
                map = map(LayerProbe.capture(() -> model.logits(x)), x, chunkClasses);
                cam = map.toFloatArray();
            }
            Shape shape = map.getShape();
            int ch = (int) shape.get(1);
            int cw = (int) shape.get(2);
            for (int r = 0; r < count; r++) {
                float[] one = Arrays.copyOfRange(cam, r * ch * cw, (r + 1) * ch * cw);
                maps.add(SaliencyMap.of(one, ch, cw).resize(h, w));
            }
        });
        return maps;
    }

    /** {@code ReLU(Σ_k w_k ⊙ A_k)}, N×H×W, of the captured activations {@code a}. */
    private NDArray map(NDArray a, NDArray x, int[] classes) {
        if (a == null) {
            throw new IllegalStateException(name() + " layer '" + layer + "' was not reached");
        }
        return a.mul(weights(a, x, classes)).sum(new int[] {1}).maximum(0f);
    }
}
