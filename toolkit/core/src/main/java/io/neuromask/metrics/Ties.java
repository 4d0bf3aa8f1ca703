package io.neuromask.metrics;

import io.neuromask.base.Attribution;
import io.neuromask.base.RgbImage;
import io.neuromask.base.SaliencyMap;
import io.neuromask.base.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the ranking metrics order pixels of equal saliency: by the map's tie-break ({@link SaliencyMap#withTieBreak},
 * the default) or in row-major (raster) order, as if the maps had none. Scoring the same maps both ways shows what
 * the tie-breaks change: deletion/insertion AUC ({@link SaliencyMap#ranking()}) and the pointing game
 * ({@link SaliencyMap#argmax()}); the value-based metrics (MaxBoxAcc, energy pointing game, Gini, class
 * preservation, mask area) do not change.
 */
public enum Ties {

    /** Equal values rank by the map's tie-break when it has one, then row-major. */
    BREAK,

    /** Tie-breaks are dropped: equal values rank in row-major order. */
    RASTER;

    /** The name used on the command line and in results files: {@code break} or {@code raster}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code break} or {@code raster} (case-insensitive).
     *
     * @throws IllegalArgumentException for any other text, naming the two choices
     */
    public static Ties parse(String text) {
        for (Ties t : values()) {
            if (t.cliName().equalsIgnoreCase(Objects.requireNonNull(text, "ties").trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown ties mode '" + text + "'; use 'break' (rank equal values by the "
                + "map's tie-break) or 'raster' (drop tie-breaks: equal values in row-major order)");
    }

    /**
     * The method as scored in this mode: itself for {@link #BREAK}; for {@link #RASTER} a wrapper with the same name
     * whose maps are the method's maps {@link SaliencyMap#withoutTieBreak() without their tie-breaks}.
     */
    public Attribution apply(Attribution method) {
        Objects.requireNonNull(method, "method");
        if (this == BREAK) {
            return method;
        }
        return new Attribution() {
            @Override
            public String name() {
                return method.name();
            }

            @Override
            public List<SaliencyMap> attribute(List<RgbImage> images, List<Target> targets) {
                List<SaliencyMap> maps = method.attribute(images, targets);
                List<SaliencyMap> out = new ArrayList<>(maps.size());
                for (SaliencyMap m : maps) {
                    out.add(m.withoutTieBreak());
                }
                return out;
            }

            @Override
            public String toString() {
                return method + " (ties: raster)";
            }
        };
    }
}
