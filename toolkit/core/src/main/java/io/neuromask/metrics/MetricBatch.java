package io.neuromask.metrics;

import io.neuromask.base.Classifier;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.data.Box;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link Metric} scores: one method's maps of a batch of images, at the model's input size, with the images,
 * the explained classes, the ground-truth boxes (empty where an image has none), the classifier and the run's
 * settings (the {@link Scorer}'s deletion/insertion, pointing game, MaxBoxAcc and model batch size; ROAD and
 * MaxBoxAccV2 follow from them). Made by the {@link Scorer}; a batch given to a metric that needs boxes holds only the
 * images with boxes.
 *
 * <p>Metrics computed together share work through {@link #shared}: deletion and insertion AUC come from one
 * {@link DeletionInsertion#evaluate} call, ROAD's two orders from one {@link Road#evaluate} call.
 */
public final class MetricBatch {

    private final Scorer scorer;
    private final List<RgbImage> images;
    private final List<SaliencyMap> maps;
    private final int[] classes;
    private final List<List<Box>> boxes;
    private final Map<String, Object> shared = new HashMap<>();

    MetricBatch(Scorer scorer, List<RgbImage> images, List<SaliencyMap> maps, int[] classes, List<List<Box>> boxes) {
        this.scorer = scorer;
        this.images = List.copyOf(images);
        this.maps = List.copyOf(maps);
        this.classes = classes.clone();
        List<List<Box>> b = new ArrayList<>(boxes.size());
        for (List<Box> l : boxes) {
            b.add(l == null ? List.of() : List.copyOf(l));
        }
        this.boxes = List.copyOf(b);
        int n = this.images.size();
        if (this.maps.size() != n || this.classes.length != n || this.boxes.size() != n) {
            throw new IllegalArgumentException("got " + n + " images, " + this.maps.size() + " maps, "
                    + this.classes.length + " classes and " + this.boxes.size() + " box lists; give one of each per "
                    + "image");
        }
    }

    /** The number of images. */
    public int size() {
        return images.size();
    }

    /** The images, at the model's input size. */
    public List<RgbImage> images() {
        return images;
    }

    /** The maps, one per image, at the model's input size. */
    public List<SaliencyMap> maps() {
        return maps;
    }

    /** The explained class of each image. */
    public int[] classes() {
        return classes.clone();
    }

    /** The ground-truth boxes of each image, in the model's input pixels; empty where it has none. */
    public List<List<Box>> boxes() {
        return boxes;
    }

    /** The classifier. */
    public Classifier model() {
        return scorer.model();
    }

    /** Inputs per forward pass. */
    public int batchSize() {
        return scorer.batchSize();
    }

    /** The run's deletion/insertion settings (step fraction, batch size). */
    public DeletionInsertion deletionInsertion() {
        return scorer.deletionInsertion();
    }

    /** The run's pointing game (tolerance). */
    public PointingGame pointingGame() {
        return scorer.pointingGame();
    }

    /** The run's MaxBoxAcc (thresholds, IoU). */
    public MaxBoxAcc maxBoxAcc() {
        return scorer.maxBoxAcc();
    }

    /**
     * MaxBoxAccV2 with the run's MaxBoxAcc thresholds (100 by default, wsolevaluation's {@code cam_curve_interval}
     * 0.01).
     */
    public MaxBoxAccV2 maxBoxAccV2() {
        return new MaxBoxAccV2(scorer.maxBoxAcc().thresholds());
    }

    /**
     * ROAD at the run's deletion step fraction (the same removal fractions) and model batch size, with the reference's
     * imputation noise and {@link Road#DEFAULT_SEED}.
     */
    public Road road() {
        return new Road(model(), deletionInsertion().stepFraction(), batchSize(), new NoisyLinearImputer(),
                Road.DEFAULT_SEED);
    }

    /**
     * The value of {@code compute} for this batch, computed once: metrics that come from one computation (deletion
     * and insertion) share it under one key.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T shared(String key, Supplier<T> compute) {
        Objects.requireNonNull(compute, "compute");
        Object v = shared.get(key);
        if (v == null) {
            v = Objects.requireNonNull(compute.get(), key);
            shared.put(key, v);
        }
        return (T) v;
    }

    /** The same images with other maps (e.g. without their tie-breaks), sharing nothing. */
    MetricBatch withMaps(List<SaliencyMap> other) {
        return new MetricBatch(scorer, images, other, classes, boxes);
    }

    /** The images at {@code indices}, sharing nothing. */
    MetricBatch subset(int[] indices) {
        List<RgbImage> i = new ArrayList<>();
        List<SaliencyMap> m = new ArrayList<>();
        int[] c = new int[indices.length];
        List<List<Box>> b = new ArrayList<>();
        for (int k = 0; k < indices.length; k++) {
            i.add(images.get(indices[k]));
            m.add(maps.get(indices[k]));
            c[k] = classes[indices[k]];
            b.add(boxes.get(indices[k]));
        }
        return new MetricBatch(scorer, i, m, c, b);
    }
}
