package io.neuromask.metrics;

import io.neuromask.base.Attribution;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import java.util.List;

/** Another method's maps under another name, for tests of what a results file keeps apart. */
record Renamed(String name, Attribution inner) implements Attribution {

    @Override
    public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
        return inner.attribute(images, targets);
    }
}
