package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Vanilla gradient saliency (Simonyan et al. 2014): {@code max_c |∂ logit_target / ∂ x[c, y, x]|}.
 * One forward and one backward pass per chunk of images.
 */
public final class VanillaGradient extends GradientAttribution {

    /** With the default batch size. */
    public VanillaGradient(Classifier model) {
        this(model, DEFAULT_BATCH_SIZE);
    }

    public VanillaGradient(Classifier model, int batchSize) {
        super(model, batchSize);
    }

    @Override
    public String name() {
        return "gradient";
    }

    @Override
    protected List<SaliencyMap> compute(List<RgbImage> images, int[] classes) {
        int h = model.inputHeight();
        int w = model.inputWidth();
        List<SaliencyMap> maps = new ArrayList<>(images.size());
        gradients(images.size(), (row, dst, off) -> {
            float[] chw = images.get(row).toChw();
            System.arraycopy(chw, 0, dst, off, chw.length);
        }, row -> classes[row], (row, grad, off, logit) -> maps.add(SaliencyMap.of(maxAbsOverChannels(grad, off, h, w), h, w)));
        return maps;
    }

    @Override
    void rawRows(int rows, io.neuromask.internal.Scoring.Rows source, java.util.function.IntUnaryOperator rowClass,
            RawSink sink) {
        gradients(rows, source, rowClass, (row, grad, off, logit) -> sink.accept(row, grad, off));
    }

    @Override
    float[] reduce(float[] chw, int offset) {
        return maxAbsOverChannels(chw, offset, model.inputHeight(), model.inputWidth());
    }
}
