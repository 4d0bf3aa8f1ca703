package io.neuromask.attribution;

import io.neuromask.base.SaliencyMap;
import io.neuromask.Explanation;
import io.neuromask.NeuroMask;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** NeuroMask through the {@link Attribution} contract: the map is the learned mask, values in [0, 1]. */
public final class NeuroMaskAttribution implements Attribution {

    private final NeuroMask neuroMask;
    private final String name;

    /** Named {@code "neuromask"}. */
    public NeuroMaskAttribution(NeuroMask neuroMask) {
        this(neuroMask, "neuromask");
    }

    /** With a label of its own, to compare several settings side by side ({@code "neuromask:fast-cifar10"}). */
    public NeuroMaskAttribution(NeuroMask neuroMask, String name) {
        this.neuroMask = Objects.requireNonNull(neuroMask, "neuromask");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The wrapped explainer. */
    public NeuroMask neuroMask() {
        return neuroMask;
    }

    @Override
    public String name() {
        return name;
    }

    /** The full explanations (mask, probabilities, loss history). */
    public List<Explanation> explanations(List<RgbImage> images, List<Target> targets) {
        return neuroMask.explain(images, targets);
    }

    @Override
    public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
        List<SaliencyMap> maps = new ArrayList<>(images.size());
        for (Explanation e : neuroMask.explain(images, targets)) {
            maps.add(SaliencyMap.of(e.mask(), e.height(), e.width()));
        }
        return maps;
    }
}
