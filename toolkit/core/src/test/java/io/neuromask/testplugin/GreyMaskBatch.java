package io.neuromask.testplugin;

import io.neuromask.engine.MaskBatch;
import io.neuromask.engine.MaskObjective;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;

/** {@link GreyMask}'s batch: one weight per pixel, {@code m = sigmoid(w)}, starting at 0 (a mask of 0.5). */
final class GreyMaskBatch implements MaskBatch {

    private final MaskBatch.Context context;
    private final NDArray pixels;
    private final NDArray oneHot;
    private final NDArray grey;
    private final NDArray areaWeight;

    private GreyMaskBatch(MaskBatch.Context context, NDArray pixels, NDArray oneHot, NDArray grey, NDArray areaWeight) {
        this.context = context;
        this.pixels = pixels;
        this.oneHot = oneHot;
        this.grey = grey;
        this.areaWeight = areaWeight;
    }

    static GreyMaskBatch start(MaskBatch.Context context, List<GreyMask> perImage) {
        int n = perImage.size();
        int classes = context.model().numClasses();
        float[] oneHot = new float[n * classes];
        float[] grey = new float[n];
        float[] area = new float[n];
        for (int i = 0; i < n; i++) {
            GreyMask g = perImage.get(i);
            oneHot[i * classes + context.targets()[i]] = 1f;
            grey[i] = (float) g.grey();
            area[i] = (float) g.areaWeight();
        }
        return new GreyMaskBatch(context, context.pixels(), context.manager().create(oneHot, new Shape(n, classes)),
                context.manager().create(grey, new Shape(n, 1, 1, 1)), context.manager().create(area));
    }

    @Override
    public int rowsPerImage() {
        return 1;
    }

    @Override
    public NDArray initialParameters() {
        Shape s = pixels.getShape();
        return context.manager().zeros(new Shape(s.get(0), 1, s.get(2), s.get(3)));
    }

    @Override
    public Step evaluate(NDArray w, int iteration) {
        NDArray m = Activation.sigmoid(w);
        NDArray logits = keptLogits(m);
        NDArray prediction = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
        NDArray area = m.reshape(new Shape(m.getShape().get(0), -1)).mean(new int[] {1}).mul(areaWeight);
        NDArray perImage = prediction.add(area);
        return new Step(m, logits, List.of(prediction, area), perImage, perImage.sum());
    }

    @Override
    public NDArray saliency(NDArray w) {
        return Activation.sigmoid(w);
    }

    @Override
    public NDArray tieBreak(NDArray w) {
        return w.duplicate();
    }

    @Override
    public NDArray keptLogits(NDArray saliency) {
        return context.model().logits(pixels.mul(saliency).add(grey.mul(saliency.neg().add(1))));
    }

    @Override
    public MaskBatch select(NDArray images) {
        return new GreyMaskBatch(context, pixels.get(images), oneHot.get(images), grey.get(images),
                areaWeight.get(images));
    }
}
