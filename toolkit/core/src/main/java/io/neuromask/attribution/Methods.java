package io.neuromask.attribution;

import io.neuromask.base.Attribution;
import io.neuromask.MaskObjective;
import io.neuromask.NeuroMask;
import io.neuromask.Preset;
import io.neuromask.base.Classifier;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Models;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The attribution methods by name: one factory per method with documented defaults, used by the CLI's
 * {@code evaluate}, the notebooks and anyone comparing methods.
 *
 * <pre>{@code
 * List<Attribution> methods = Methods.create(Methods.names(), model, Methods.Options.defaults().seed(0));
 * }</pre>
 *
 * <table>
 *   <caption>Methods and their defaults</caption>
 *   <tr><td>{@code neuromask}</td><td>{@link NeuroMask} at the model's paper preset ({@link Preset#paperFor}), or
 *       at {@link Options#objective()} when given, seed {@link Options#seed()}</td></tr>
 *   <tr><td>{@code meaningful}</td><td>the mask engine with {@link io.neuromask.MeaningfulPerturbation} at the
 *       model's size ({@link Preset#forObjective}), or {@link Options#objective()} when it is one</td></tr>
 *   <tr><td>{@code extremal}</td><td>the mask engine with {@link io.neuromask.ExtremalPerturbation} at the
 *       model's size, or {@link Options#objective()} when it is one</td></tr>
 *   <tr><td>{@code gradient}</td><td>{@link VanillaGradient}</td></tr>
 *   <tr><td>{@code smoothgrad}</td><td>{@link SmoothGrad}: 25 samples, σ 0.15, seed {@link Options#seed()}</td></tr>
 *   <tr><td>{@code ig}</td><td>{@link IntegratedGradients}: 32 steps, black baseline, signed</td></tr>
 *   <tr><td>{@code gradcam}</td><td>{@link GradCam} at the model's {@code gradcamLayer} (manifest entry,
 *       {@link Models#gradcamLayer}) unless {@link Options#gradcamLayer(String)} names one</td></tr>
 *   <tr><td>{@code occlusion}</td><td>{@link Occlusion}: its builder's defaults</td></tr>
 *   <tr><td>{@code rise}</td><td>{@link Rise}: 2000 masks above 64 px, else 500, seed {@link Options#seed()}</td></tr>
 *   <tr><td>{@code center}</td><td>{@link CenterBaseline}, the fixed centred Gaussian</td></tr>
 * </table>
 * Every method uses {@link Options#batchSize()} model inputs per forward pass (default 64).
 */
public final class Methods {

    /** Creates one method for a model. */
    @FunctionalInterface
    public interface Factory {
        Attribution create(Classifier model, Options options);
    }

    /**
     * Settings shared by the factories; a null value means the method's default.
     *
     * @param batchSize model inputs per forward pass
     * @param seed seed of NeuroMask, SmoothGrad and RISE
     * @param riseMasks RISE's random masks, null for its default
     * @param gradcamLayer Grad-CAM's layer, null for the model's manifest entry
     * @param objective the mask objective of {@code neuromask} (any objective) and of {@code meaningful} or
     *     {@code extremal} (when it is theirs); null for the model's preset
     * @param label the name the method reports, null for its own
     */
    public record Options(int batchSize, long seed, Integer riseMasks, String gradcamLayer, MaskObjective objective,
            String label) {

        /** Batch 64, seed 0, every method at its default. */
        public static Options defaults() {
            return new Options(ModelAttribution.DEFAULT_BATCH_SIZE, 0, null, null, null, null);
        }

        public Options batchSize(int batchSize) {
            return new Options(batchSize, seed, riseMasks, gradcamLayer, objective, label);
        }

        public Options seed(long seed) {
            return new Options(batchSize, seed, riseMasks, gradcamLayer, objective, label);
        }

        public Options riseMasks(Integer riseMasks) {
            return new Options(batchSize, seed, riseMasks, gradcamLayer, objective, label);
        }

        public Options gradcamLayer(String gradcamLayer) {
            return new Options(batchSize, seed, riseMasks, gradcamLayer, objective, label);
        }

        public Options objective(MaskObjective objective) {
            return new Options(batchSize, seed, riseMasks, gradcamLayer, objective, label);
        }

        public Options label(String label) {
            return new Options(batchSize, seed, riseMasks, gradcamLayer, objective, label);
        }
    }

    private static final Map<String, Factory> FACTORIES = Collections.synchronizedMap(new LinkedHashMap<>());

    static {
        register("neuromask", (m, o) -> mask(m, o, o.objective() != null ? o.objective()
                : Preset.paperFor(m).objective(), "neuromask"));
        register("meaningful", (m, o) -> mask(m, o, ofKind(o, "meaningful", m), "meaningful"));
        register("extremal", (m, o) -> mask(m, o, ofKind(o, "extremal", m), "extremal"));
        register("gradient", (m, o) -> new VanillaGradient(m, o.batchSize()));
        register("smoothgrad", (m, o) -> SmoothGrad.builder(m).seed(o.seed()).batchSize(o.batchSize()).build());
        register("ig", (m, o) -> IntegratedGradients.builder(m).batchSize(o.batchSize()).build());
        register("gradcam", Methods::gradCam);
        register("occlusion", (m, o) -> Occlusion.builder(m).batchSize(o.batchSize()).build());
        register("rise", (m, o) -> {
            Rise.Builder b = Rise.builder(m).seed(o.seed()).batchSize(o.batchSize());
            if (o.riseMasks() != null) {
                b.masks(o.riseMasks());
            }
            return b.build();
        });
        register("center", (m, o) -> new CenterBaseline(m));
    }

    private Methods() {}

    /** Registers (or replaces) a method; names are lower case. */
    public static void register(String name, Factory factory) {
        FACTORIES.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(factory, "factory"));
    }

    /**
     * The registered names, in registration order: neuromask, meaningful, extremal, gradient, smoothgrad, ig,
     * gradcam, occlusion, rise, center.
     */
    public static List<String> names() {
        synchronized (FACTORIES) {
            return List.copyOf(FACTORIES.keySet());
        }
    }

    /** The method {@code name} at its defaults. */
    public static Attribution create(String name, Classifier model) {
        return create(name, model, Options.defaults());
    }

    /**
     * The method {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Attribution create(String name, Classifier model, Options options) {
        Factory f = FACTORIES.get(name.trim().toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; choose from " + String.join(",", names()));
        }
        return f.create(Objects.requireNonNull(model, "model"), Objects.requireNonNull(options, "options"));
    }

    /**
     * The options that change the maps of method {@code name} (not the batch size, which only changes speed, nor
     * the label), e.g. to record them next to results so that results of other settings are not mixed in:
     * {@code neuromask}: {@code seed} and {@code hyperparameters} (null: the model's paper preset);
     * {@code smoothgrad}: {@code seed}; {@code rise}: {@code seed} and {@code rise_masks} (null: its default);
     * {@code gradcam}: {@code gradcam_layer} (null: the model's manifest entry); {@code gradient}, {@code ig},
     * {@code occlusion} and {@code center}: none. A method registered elsewhere gets every option but the batch
     * size and the label.
     *
     * @return an ordered map from setting name to value (values may be null)
     */
    public static Map<String, Object> settings(String name, Options options) {
        Objects.requireNonNull(options, "options");
        Map<String, Object> s = new LinkedHashMap<>();
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "neuromask", "meaningful", "extremal" -> {
                s.put("seed", options.seed());
                s.put("objective", objectiveSettings(options.objective()));
            }
            case "smoothgrad" -> s.put("seed", options.seed());
            case "rise" -> {
                s.put("seed", options.seed());
                s.put("rise_masks", options.riseMasks());
            }
            case "gradcam" -> s.put("gradcam_layer", options.gradcamLayer());
            case "gradient", "ig", "occlusion", "center" -> { }
            default -> {
                s.put("seed", options.seed());
                s.put("rise_masks", options.riseMasks());
                s.put("gradcam_layer", options.gradcamLayer());
                s.put("objective", objectiveSettings(options.objective()));
            }
        }
        return s;
    }

    /** An objective's name and settings, or null (the model's default preset). */
    private static Map<String, Object> objectiveSettings(MaskObjective objective) {
        if (objective == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", objective.name());
        m.put("settings", objective.settings());
        return m;
    }

    /** Several methods, duplicates dropped, in the given order. */
    public static List<Attribution> create(List<String> names, Classifier model, Options options) {
        Set<String> unique = new LinkedHashSet<>();
        for (String n : names) {
            unique.add(n.trim().toLowerCase(Locale.ROOT));
        }
        List<Attribution> out = new ArrayList<>();
        for (String n : unique) {
            out.add(create(n, model, options));
        }
        return out;
    }

    private static MaskObjective ofKind(Options o, String name, Classifier model) {
        return o.objective() != null && o.objective().name().equals(name) ? o.objective()
                : Preset.forObjective(name, model).objective();
    }

    private static Attribution mask(Classifier model, Options o, MaskObjective objective, String name) {
        return NeuroMask.builder().model(model).objective(objective).seed(o.seed()).batchSize(o.batchSize())
                .name(o.label() != null ? o.label() : name).build();
    }

    private static Attribution gradCam(Classifier classifier, Options o) {
        if (!(classifier instanceof BlockClassifier bc)) {
            throw new IllegalArgumentException("Grad-CAM needs a block model; " + classifier.name() + " is not one");
        }
        String layer = o.gradcamLayer() != null ? o.gradcamLayer() : Models.gradcamLayer(classifier.name()).orElse(null);
        if (layer == null) {
            throw new IllegalArgumentException("no known Grad-CAM layer for model " + classifier.name()
                    + "; give --gradcam-layer, one of: " + GradCam.layerNames(bc));
        }
        return new GradCam(bc, layer, o.batchSize());
    }
}
