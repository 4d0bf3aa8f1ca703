package io.neuromask.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.LambdaBlock;
import io.neuromask.base.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fixed classifier with known evidence, for testing explanation methods: the logit of class 0 is
 * {@code gain * (mean of a k×k patch - threshold)}, every other logit is 0. Nothing outside the patch
 * can change the prediction, so a faithful explanation puts its mass inside the patch.
 */
public final class PlantedEvidence {

    /** Logit gain. */
    public static final float GAIN = 40f;
    /** Mean patch brightness at which class 0 and the others tie. */
    public static final float THRESHOLD = 0.35f;

    private PlantedEvidence() {}

    /**
     * A model of {@code size}×{@code size} inputs whose evidence is the {@code patch}×{@code patch}
     * square with its top-left corner at ({@code top}, {@code left}).
     *
     * @param classes number of classes, at least 2
     */
    public static BlockClassifier model(int size, int top, int left, int patch, int classes, Device device) {
        check(size, top, left, patch, 1, classes);
        NDIndex region = new NDIndex(":, :, {}:{}, {}:{}", top, top + patch, left, left + patch);
        // The gain is a tensor attached to the input's manager, not a Java number: autograd keeps it for the backward
        // pass, and DJL frees the scalar tensors it makes from numbers right after the op.
        return classifier("planted-evidence-" + size, size, classes, device, x -> x.get(region)
                .reshape(x.getShape().get(0), -1).mean(new int[] {1}).sub(THRESHOLD).mul(x.getManager().create(GAIN)));
    }

    private static void check(int size, int top, int left, int patch, int minPatch, int classes) {
        if (patch < minPatch || top < 0 || left < 0 || top + patch > size || left + patch > size) {
            throw new IllegalArgumentException("patch " + patch + " at (" + top + ", " + left
                    + ") does not fit a " + size + "x" + size + " image (patches are at least " + minPatch + " pixels)");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a planted-evidence model needs at least 2 classes");
        }
    }

    /** A classifier whose class 0 logit is {@code evidence(x)} (N values) and every other logit 0. */
    private static BlockClassifier classifier(String name, int size, int classes, Device device,
            java.util.function.UnaryOperator<NDArray> evidence) {
        LambdaBlock block = new LambdaBlock(in -> {
            NDArray e = evidence.apply(in.singletonOrThrow()).expandDims(1);
            return new NDList(e.concat(e.zerosLike().repeat(1, classes - 1), 1));
        }, name);
        List<String> labels = new ArrayList<>();
        labels.add("evidence");
        for (int c = 1; c < classes; c++) {
            labels.add("other-" + c);
        }
        return BlockClassifier.of(name, block, labels, size, size, Normalization.NONE, device);
    }

    /** The default model: a 32×32 input with an 8×8 patch at (6, 18), or 224×224 with a 32×32 patch at (40, 120). */
    public static BlockClassifier model(int size, Device device) {
        return size <= 64
                ? model(size, size * 6 / 32, size * 18 / 32, Math.max(1, size / 4), 10, device)
                : model(size, size * 40 / 224, size * 120 / 224, size / 7, 10, device);
    }

    /**
     * An image the model classifies as class 0: uniform noise in [0, 0.5] everywhere, and a bright
     * patch (values in [0.6, 1]) over the evidence square.
     */
    public static RgbImage image(int size, int top, int left, int patch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] chw = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = y >= top && y < top + patch && x >= left && x < left + patch;
                    double v = inside ? 0.6 + 0.4 * random.nextDouble() : 0.5 * random.nextDouble();
                    chw[(c * size + y) * size + x] = (float) v;
                }
            }
        }
        return RgbImage.ofChw(chw, 3, size, size);
    }

    /** Contrast at which the texture model's class 0 and the others tie. */
    public static final float TEXTURE_THRESHOLD = 0.1f;

    /**
     * A fixed classifier whose evidence is texture, for perturbation methods that blur (blur keeps a patch's mean
     * brightness, which {@link #model} reads, but destroys its texture): the logit of class 0 is
     * {@code gain * (contrast − }{@value #TEXTURE_THRESHOLD}{@code )}, the contrast being the mean over the patch
     * and the channels of {@code |x − box mean of x|} over a (3·grain)² box; every other logit is 0. The grain is
     * {@code max(1, size/32)}: a 224² model is the 32² one scaled by 7, as the perturbation presets are.
     */
    public static BlockClassifier textureModel(int size, int top, int left, int patch, int classes, Device device) {
        check(size, top, left, patch, 3, classes);
        NDIndex region = new NDIndex(":, :, {}:{}, {}:{}", top, top + patch, left, left + patch);
        int box = 3 * grain(size);
        ai.djl.ndarray.types.Shape window = new ai.djl.ndarray.types.Shape(box, box);
        return classifier("planted-texture-" + size, size, classes, device, x -> {
            NDArray local = ai.djl.nn.pooling.Pool.avgPool2d(x, window, new ai.djl.ndarray.types.Shape(1, 1),
                    new ai.djl.ndarray.types.Shape(box / 2, box / 2), false, false);
            NDArray contrast = x.sub(local).abs().get(region).reshape(x.getShape().get(0), -1).mean(new int[] {1});
            return contrast.sub(x.getManager().create(TEXTURE_THRESHOLD)).mul(x.getManager().create(GAIN));
        });
    }

    /**
     * An image {@link #textureModel} classifies as class 0: a flat grey field with faint noise (values in
     * [0.30, 0.35]) and, over the evidence square, uniform noise in [0, 1], constant over grain×grain blocks.
     */
    public static RgbImage textureImage(int size, int top, int left, int patch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int g = grain(size);
        int cells = (size + g - 1) / g;
        float[] noise = new float[3 * cells * cells];
        float[] grey = new float[3 * cells * cells];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextDouble();
            grey[i] = (float) (0.30 + 0.05 * random.nextDouble());
        }
        float[] chw = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = y >= top && y < top + patch && x >= left && x < left + patch;
                    int cell = (c * cells + y / g) * cells + x / g;
                    chw[(c * size + y) * size + x] = inside ? noise[cell] : grey[cell];
                }
            }
        }
        return RgbImage.ofChw(chw, 3, size, size);
    }

    /** The texture grain of a size: 1 pixel up to 63, then size/32 (7 at 224). */
    static int grain(int size) {
        return Math.max(1, size / 32);
    }
}
