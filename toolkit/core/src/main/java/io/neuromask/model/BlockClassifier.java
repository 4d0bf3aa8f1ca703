package io.neuromask.model;

import io.neuromask.base.Classifier;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A {@link Classifier} made of a DJL {@link Block} plus its input normalisation and labels.
 *
 * <p>The block's parameters are frozen (no weight gradients are computed), and it always runs in
 * inference mode (batch norm uses running statistics), so a batch of images is classified exactly as
 * each image would be alone.
 */
public final class BlockClassifier implements Classifier {

    private final String name;
    private final Model model;
    private final List<String> labels;
    private final int height;
    private final int width;
    private final NDArray mean;
    private final NDArray std;
    private final boolean normalise;
    private final MemoryLayout layout;

    private BlockClassifier(String name, Model model, List<String> labels, int height, int width, Normalization norm,
            MemoryLayout layout) {
        this.name = name;
        this.layout = layout;
        this.model = model;
        this.labels = List.copyOf(labels);
        this.height = height;
        this.width = width;
        NDManager m = model.getNDManager();
        this.normalise = !norm.isIdentity();
        this.mean = m.create(norm.mean(), new Shape(1, 3, 1, 1));
        this.std = m.create(norm.std(), new Shape(1, 3, 1, 1));
    }

    /**
     * Wraps a block whose parameters are already initialised (or initialises it with the given
     * input shape when they are not).
     *
     * @param name a short model name
     * @param block the network: N×3×H×W normalised input to N×C logits
     * @param labels class names; their count must match the block's output
     * @param height input height
     * @param width input width
     * @param normalization applied to [0, 1] pixels before the block
     * @param device where to run; {@code null} for the engine's default (GPU when present)
     */
    public static BlockClassifier of(
            String name, Block block, List<String> labels, int height, int width, Normalization normalization,
            Device device) {
        return of(name, block, labels, height, width, normalization, device, MemoryLayout.NCHW);
    }

    /**
     * {@link #of(String, Block, List, int, int, Normalization, Device)} computing in the given memory layout: the
     * normalised input is put in that layout before the block, and libtorch keeps it through the layers.
     * {@link MemoryLayout#CHANNELS_LAST} pays on the CPU for networks with max pooling (SqueezeNet); the outputs are
     * the same up to float rounding.
     */
    public static BlockClassifier of(
            String name, Block block, List<String> labels, int height, int width, Normalization normalization,
            Device device, MemoryLayout layout) {
        java.util.Objects.requireNonNull(layout, "layout");
        Device dev = device != null ? device : Engine.getEngine("PyTorch").defaultDevice();
        Model model = Model.newInstance(name, dev, "PyTorch");
        try {
            model.setBlock(block);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return wrap(name, model, labels, height, width, normalization, layout);
    }

    /**
     * Wraps any loaded DJL model (TorchScript, the model zoo, a {@code Criteria}), taking ownership: closing the
     * classifier closes the model, and it is closed when this fails. The model's block must map a
     * <em>normalised</em> N×3×H×W float32 batch to N×C logits (or scores); the classifier applies
     * {@code normalization} to the [0, 1] pixels in the autograd graph first, so gradients reach the pixels. The
     * block's parameters are frozen and it runs in inference mode; an uninitialised block is initialised for a
     * 1×3×{@code height}×{@code width} input. A zero image is classified once to check that the output has one
     * column per label. A model's translator is not used: for a DJL image translator's preprocessing use
     * {@link Models#classifier(ai.djl.repository.zoo.ZooModel)}.
     *
     * <pre>{@code
     * Model model = Model.newInstance("resnet18", Device.cpu(), "PyTorch");
     * model.load(Path.of("resnet18.pt"), null, Map.of("trainParam", "true")); // gradients reach the pixels
     * Classifier c = BlockClassifier.ofModel("resnet18", model, labels, 224, 224, Normalization.IMAGENET);
     * }</pre>
     *
     * @param name a short model name, recorded in explanations
     * @param model a loaded model; for PyTorch load its parameters with option {@code trainParam=true}, otherwise
     *     libtorch makes them inference tensors and no gradient reaches the pixels
     * @param labels class names, one per output column
     * @param height input height the block expects
     * @param width input width the block expects
     * @param normalization applied to [0, 1] pixels before the block ({@link Normalization#NONE} for none)
     * @throws IllegalArgumentException for a non-positive size, no labels, or an output without one column per label
     * @see #of
     */
    public static BlockClassifier ofModel(
            String name, Model model, List<String> labels, int height, int width, Normalization normalization) {
        return wrap(name, model, labels, height, width, normalization, MemoryLayout.NCHW);
    }

    private static BlockClassifier wrap(String name, Model model, List<String> labels, int height, int width,
            Normalization normalization, MemoryLayout layout) {
        try {
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException("input size must be positive, got " + width + "x" + height);
            }
            if (labels.isEmpty()) {
                throw new IllegalArgumentException("a classifier needs at least one label");
            }
            Block block = model.getBlock();
            if (!block.isInitialized()) {
                block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, height, width));
            }
            block.freezeParameters(true);
            if (TorchScriptForward.isModule(block)) {
                TorchScriptForward.eval(block); // logits() runs it with autograd on, never in train mode
            }
            BlockClassifier classifier = new BlockClassifier(name, model, labels, height, width, normalization,
                    layout);
            classifier.checkOutputWidth();
            return classifier;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private void checkOutputWidth() {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            NDArray out = logits(scratch.zeros(new Shape(1, 3, height, width)));
            if (out.getShape().dimension() != 2 || out.getShape().get(1) != labels.size()) {
                throw new IllegalArgumentException(
                        "model " + name + " outputs shape " + out.getShape() + " but has " + labels.size()
                                + " labels; give one label per output class");
            }
        }
    }

    @Override
    public NDArray logits(NDArray pixels) {
        NDArray input = normalise ? pixels.sub(mean).div(std) : pixels;
        if (TorchScriptForward.isModule(model.getBlock())) {
            return TorchScriptForward.logits(model.getBlock(), input);
        }
        ParameterStore store = new ParameterStore(pixels.getManager(), false);
        if (layout == MemoryLayout.CHANNELS_LAST && input.hasGradient()) {
            // Gather the rows (all of them, in order) first: an index_select's backward writes the gradient into a
            // fresh row-major array, so the ops before this point (the normalisation, a caller's mask product) get
            // their gradient in N×C×H×W order. Without it the gradient comes back channels last, and libtorch's sum
            // over the three colour channels (a mask's broadcast) runs about 25 times slower on it.
            input = input.get(pixels.getManager().arange(0, input.getShape().get(0), 1, DataType.INT64));
        }
        return model.getBlock().forward(store, new NDList(layout.apply(input)), false).singletonOrThrow();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputHeight() {
        return height;
    }

    @Override
    public int inputWidth() {
        return width;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Device device() {
        return model.getNDManager().getDevice();
    }

    /** The memory layout the block computes in. */
    public MemoryLayout layout() {
        return layout;
    }

    /** The underlying DJL block, e.g. to reach a layer by name. */
    public Block block() {
        return model.getBlock();
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "BlockClassifier[" + name + ", " + width + "x" + height + ", " + labels.size() + " classes, " + device()
                + "]";
    }
}
