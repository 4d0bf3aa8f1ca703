package io.neuromask.attribution;

import io.neuromask.NeuroMask;
import io.neuromask.engine.MaskEngine;
import io.neuromask.engine.MaskObjective;
import io.neuromask.engine.ObjectiveDescriptor;
import io.neuromask.engine.EarlyStopping;
import io.neuromask.engine.SettingSpec;
import io.neuromask.Objectives;
import io.neuromask.attribution.MethodDescriptor.Capability;
import io.neuromask.attribution.MethodDescriptor.Kind;
import io.neuromask.base.Attribution;
import io.neuromask.base.Classifier;
import io.neuromask.internal.Registry;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.Models;
import io.neuromask.model.TorchScriptClassifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The registry of attribution methods: one mask method per objective ({@link Objectives}: neuromask, meaningful,
 * extremal, then plug-in objectives), the built-in gradient, CAM, perturbation and baseline methods, then methods
 * found by {@link java.util.ServiceLoader} ({@link MethodDescriptor}) and those {@link #register registered} at run time.
 *
 * <pre>{@code
 * List<Attribution> methods = Methods.create(Methods.names(), model, MethodConfig.defaults().seed(0));
 * }</pre>
 *
 * <table>
 *   <caption>Built-in methods and their defaults</caption>
 *   <tr><td>{@code neuromask}</td><td>{@link MaskEngine} at the model's paper preset, or at
 *       {@link MethodConfig#objective()} (any objective) when given</td></tr>
 *   <tr><td>{@code meaningful}, {@code extremal}, plug-in objectives</td><td>the mask engine with the objective's
 *       preset for the model's input size ({@link Objectives#presetFor}), or {@link MethodConfig#objective()} when it
 *       is the objective's</td></tr>
 *   <tr><td>{@code gradient}</td><td>{@link VanillaGradient}</td></tr>
 *   <tr><td>{@code smoothgrad}</td><td>{@link SmoothGrad}: 25 samples, σ 0.15</td></tr>
 *   <tr><td>{@code ig}</td><td>{@link IntegratedGradients}: 32 steps, black baseline, signed</td></tr>
 *   <tr><td>{@code gradcam}, {@code gradcam++}, {@code scorecam}, {@code layercam}, {@code opticam}</td><td>
 *       {@link GradCam}, {@link GradCamPlusPlus}, {@link ScoreCam} (one forward pass per channel of the layer),
 *       {@link LayerCam}, {@link OptiCam} (setting {@code opticam_iterations}, default 50), each at
 *       the model's {@code gradcamLayer} (manifest entry, {@link Models#gradcamLayer}) unless setting
 *       {@code gradcam_layer} names one</td></tr>
 *   <tr><td>{@code occlusion}</td><td>{@link Occlusion}: its builder's defaults</td></tr>
 *   <tr><td>{@code rise}</td><td>{@link Rise}: setting {@code rise_masks}, by default 2000 masks above 64 px, else
 *       500</td></tr>
 *   <tr><td>{@code center}</td><td>{@link CenterBaseline}, the fixed centred Gaussian</td></tr>
 *   <tr><td>{@code center-gaussian}</td><td>{@link CenterGaussianBaseline}, wsolevaluation's centre-Gaussian
 *       baseline</td></tr>
 * </table>
 * Every method uses {@link MethodConfig#batchSize()} model inputs per forward pass (default 64), and those that
 * draw random numbers {@link MethodConfig#seed()}.
 */
public final class Methods {


    private static final Set<Capability> INVARIANT = EnumSet.of(Capability.BATCH_INVARIANT);

    /** The setting every CAM method takes its layer from (the name Grad-CAM's results files record). */
    private static final SettingSpec CAM_LAYER = SettingSpec.of("gradcam_layer", "text", "", null,
            "the layer of the CAM methods (gradcam, gradcam++, scorecam, layercam, opticam); null: the model's manifest entry "
                    + "(gradcamLayer)");

    /** Opti-CAM's iterations. */
    private static final SettingSpec OPTICAM_ITERATIONS = SettingSpec.of("opticam_iterations", "integer", ">= 1",
            null, "Opti-CAM's Adam steps per image; null: " + OptiCam.DEFAULT_ITERATIONS + ", the authors'");

    /** The setting every mask method takes its early stopping from ({@link EarlyStopping#parse}). */
    private static final SettingSpec EARLY_STOP = SettingSpec.of("early_stop", "text", "EPSILON/PATIENCE or off",
            null, "mask methods: stop an image once the target is kept and its mask moved less than EPSILON (mean "
                    + "|change| per pixel) over PATIENCE iterations, e.g. 0.002/20; null: off, every iteration runs");

    private static final List<MethodDescriptor> BUILT_IN = List.of(
            new BuiltIn("gradient", Kind.GRADIENT, INVARIANT, List.of(), false,
                    (m, c) -> new VanillaGradient(m, c.batchSize())),
            new BuiltIn("smoothgrad", Kind.GRADIENT, EnumSet.noneOf(Capability.class), List.of(), true,
                    (m, c) -> SmoothGrad.builder(m).seed(c.seed()).batchSize(c.batchSize()).build()),
            new BuiltIn("ig", Kind.GRADIENT, EnumSet.of(Capability.BATCH_INVARIANT, Capability.SIGNED), List.of(),
                    false, (m, c) -> IntegratedGradients.builder(m).batchSize(c.batchSize()).build()),
            cam("gradcam", "Grad-CAM", GradCam::new),
            cam("gradcam++", "Grad-CAM++", GradCamPlusPlus::new),
            cam("scorecam", "Score-CAM", ScoreCam::new),
            cam("layercam", "LayerCAM", LayerCam::new),
            cam("opticam", "Opti-CAM", List.of(OPTICAM_ITERATIONS), (m, layer, c) -> new OptiCam(m, layer,
                    c.batchSize(), opticamIterations(c), OptiCam.DEFAULT_LEARNING_RATE)),
            new BuiltIn("occlusion", Kind.PERTURBATION, EnumSet.of(Capability.BATCH_INVARIANT, Capability.SIGNED),
                    List.of(), false, (m, c) -> Occlusion.builder(m).batchSize(c.batchSize()).build()),
            new BuiltIn("rise", Kind.PERTURBATION, INVARIANT, List.of(SettingSpec.of("rise_masks", "integer", ">= 1",
                    null, "RISE's random masks; null: 2000 above 64 px, else 500")), true, Methods::rise),
            new BuiltIn("center", Kind.BASELINE, INVARIANT, List.of(), false, (m, c) -> new CenterBaseline(m)),
            new BuiltIn("center-gaussian", Kind.BASELINE, INVARIANT, List.of(), false,
                    (m, c) -> new CenterGaussianBaseline(m)));

    private Methods() {}

    /** A built-in method: its settings are recorded under their own names (null when not given), seed first. */
    private record BuiltIn(String name, Kind kind, Set<Capability> capabilities, List<SettingSpec> settings,
            boolean seeded, BiFunction<Classifier, MethodConfig, Attribution> factory) implements MethodDescriptor {

        @Override
        public Attribution create(Classifier model, MethodConfig config) {
            return factory.apply(model, config);
        }

        @Override
        public Map<String, Object> recordedSettings(MethodConfig config) {
            Map<String, Object> s = new LinkedHashMap<>();
            if (seeded) {
                s.put("seed", config.seed());
            }
            for (SettingSpec spec : settings) {
                String text = config.setting(spec.name());
                s.put(spec.name(), text == null ? null : spec.type().equals("integer") ? (Object) Integer.valueOf(
                        integer(spec.name(), text)) : text);
            }
            return s;
        }
    }

    /** The mask method of an objective: the mask engine at the objective's preset for the model. */
    private record MaskMethod(ObjectiveDescriptor descriptor) implements MethodDescriptor {

        @Override
        public String name() {
            return descriptor.name();
        }

        @Override
        public Kind kind() {
            return Kind.MASK;
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.BATCH_INVARIANT, Capability.TIE_BREAK);
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(EARLY_STOP);
        }

        @Override
        public Optional<ObjectiveDescriptor> objective() {
            return Optional.of(descriptor);
        }

        /** {@code neuromask} takes any objective (NeuroMask's engine is the front door); the others their own. */
        private MaskObjective<?> objectiveFor(Classifier model, MethodConfig c) {
            MaskObjective<?> o = c.objective();
            if (o != null && (o.name().equals(name()) || name().equals(Objectives.DEFAULT))) {
                return o;
            }
            return descriptor.preset(model.inputHeight(), model.inputWidth());
        }

        @Override
        public Attribution create(Classifier model, MethodConfig c) {
            String early = c.setting(EARLY_STOP.name());
            return NeuroMask.builder().model(model).objective(objectiveFor(model, c)).seed(c.seed())
                    .batchSize(c.batchSize()).name(c.label() != null ? c.label() : name())
                    .earlyStopping(early == null ? EarlyStopping.NEVER : EarlyStopping.parse(early)).build();
        }

        @Override
        public Map<String, Object> recordedSettings(MethodConfig c) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seed", c.seed());
            if (c.objective() == null) {
                s.put("objective", null);
            } else {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c.objective().name());
                m.put("settings", c.objective().settings());
                s.put("objective", m);
            }
            String early = c.setting(EARLY_STOP.name());
            if (early != null) { // recorded only when given: results files from before it stay resumable
                s.put(EARLY_STOP.name(), EarlyStopping.parse(early).toString());
            }
            return s;
        }
    }

    /**
     * The built-in methods: the mask methods of the built-in objectives, the gradient, CAM, perturbation and baseline
     * methods, then the mask methods of plug-in objectives.
     */
    private static List<MethodDescriptor> builtIns() {
        List<MethodDescriptor> out = new ArrayList<>();
        List<ObjectiveDescriptor> objectives = Objectives.all();
        int builtInObjectives = 3; // Objectives lists its built-ins first
        for (int i = 0; i < Math.min(builtInObjectives, objectives.size()); i++) {
            out.add(new MaskMethod(objectives.get(i)));
        }
        out.addAll(BUILT_IN);
        for (int i = builtInObjectives; i < objectives.size(); i++) {
            out.add(new MaskMethod(objectives.get(i)));
        }
        return out;
    }

    private static final Registry<MethodDescriptor> REGISTRY = new Registry<>("method", MethodDescriptor.class,
            MethodDescriptor::name, Methods::builtIns);

    /**
     * Every method: the mask methods of the objectives, the built-in others, then service-loaded, then registered,
     * each name once.
     */
    public static List<MethodDescriptor> all() {
        return REGISTRY.all();
    }

    /**
     * The method names, in {@link #all()}'s order: neuromask, meaningful, extremal, gradient, smoothgrad, ig,
     * gradcam, gradcam++, scorecam, layercam, opticam, occlusion, rise, center, center-gaussian, then plug-ins.
     */
    public static List<String> names() {
        return all().stream().map(MethodDescriptor::name).toList();
    }

    /**
     * The method {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static MethodDescriptor get(String name) {
        return REGISTRY.get(name);
    }

    /**
     * Adds a method at run time, e.g. from a notebook.
     *
     * @throws IllegalArgumentException when its name is taken or not lower case
     */
    public static void register(MethodDescriptor descriptor) {
        REGISTRY.register(descriptor);
    }

    /** The method {@code name} at its defaults. */
    public static Attribution create(String name, Classifier model) {
        return create(name, model, MethodConfig.defaults());
    }

    /**
     * The method {@code name} (case-insensitive) for {@code model}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones), or a setting in the config
     *     that no method has (listing the settings)
     */
    public static Attribution create(String name, Classifier model, MethodConfig config) {
        MethodDescriptor d = get(name);
        checkSettings(config);
        Objects.requireNonNull(model, "model");
        if (d.kind() != Kind.CAM) { // a CAM method's own refusal also names its gradcam_layer setting
            Optional<String> refused = unavailable(d.name(), model);
            if (refused.isPresent()) {
                throw new IllegalArgumentException(refused.get());
            }
        }
        return d.create(model, config);
    }

    /** Several methods, duplicates dropped, in the given order. */
    public static List<Attribution> create(List<String> names, Classifier model, MethodConfig config) {
        Set<String> unique = new LinkedHashSet<>();
        for (String n : names) {
            unique.add(n.trim().toLowerCase(Locale.ROOT));
        }
        List<Attribution> out = new ArrayList<>();
        for (String n : unique) {
            out.add(create(n, model, config));
        }
        return out;
    }

    /**
     * The settings of {@code config} that change the maps of method {@code name}, as a results file records them
     * ({@link MethodDescriptor#recordedSettings}): e.g. {@code seed} and {@code objective} of a mask method,
     * {@code seed} and {@code rise_masks} of RISE, none of {@code gradient}.
     */
    public static Map<String, Object> settings(String name, MethodConfig config) {
        Objects.requireNonNull(config, "config");
        return get(name).recordedSettings(config);
    }

    private static void checkSettings(MethodConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.settings().isEmpty()) {
            return;
        }
        Set<String> known = new LinkedHashSet<>();
        for (MethodDescriptor d : all()) {
            for (SettingSpec s : d.settings()) {
                known.add(s.name());
            }
        }
        for (String given : config.settings().keySet()) {
            if (!known.contains(given)) {
                throw new IllegalArgumentException("unknown method setting '" + given + "'; the methods' settings are "
                        + String.join(", ", known));
            }
        }
    }

    private static int integer(String name, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("method setting " + name + " takes an integer >= 1, got '" + text + "'");
    }

    private static Attribution rise(Classifier m, MethodConfig c) {
        Rise.Builder b = Rise.builder(m).seed(c.seed()).batchSize(c.batchSize());
        String masks = c.setting("rise_masks");
        if (masks != null) {
            b.masks(integer("rise_masks", masks));
        }
        return b.build();
    }

    /** Whether a method of this kind runs on a classifier that computes no gradients. */
    private static boolean forwardOnly(Kind kind) {
        return kind == Kind.PERTURBATION || kind == Kind.BASELINE;
    }

    /**
     * Why method {@code name} cannot run on {@code model}, whatever its settings; empty when it can. Two cases: a
     * model that computes no gradients ({@link Classifier#supportsGradients()} false, e.g.
     * {@link Models#forwardOnly}) runs only the forward-only methods ({@link Kind#PERTURBATION} and
     * {@link Kind#BASELINE}: occlusion, RISE, center, center-gaussian; Score-CAM, which needs no gradient, needs a block model's layer,
     * and such a model has none that can be reached); and the {@link Kind#CAM} methods (Grad-CAM, Grad-CAM++,
     * Score-CAM, LayerCAM) do not run on a TorchScript model, whose layers DJL cannot reach
     * ({@link TorchScriptClassifier#isTorchScript}). The reason names the methods that work.
     */
    public static Optional<String> unavailable(String name, Classifier model) {
        MethodDescriptor d = get(name);
        if (!model.supportsGradients() && !forwardOnly(d.kind())) {
            return Optional.of(d.name().equals("scorecam") ? noLayers(d.name(), model) : noGradients(d.name(), model));
        }
        if (d.kind() != Kind.CAM || !TorchScriptClassifier.isTorchScript(model)) {
            return Optional.empty();
        }
        List<String> working = all().stream().filter(m -> m.kind() != Kind.CAM).map(MethodDescriptor::name).toList();
        return Optional.of(d.name() + " needs the activations of a named layer, and " + model.name() + " is a "
                + "TorchScript model: DJL runs it as one opaque block (PtSymbolBlock) that exposes no layer or "
                + "intermediate activation, so no layer can be reached; use the methods that work on it: "
                + String.join(", ", working));
    }

    /**
     * Refuses a classifier without gradients for a method that needs them (the gradient methods, the CAM methods,
     * the mask engine); their constructors call it.
     *
     * @param method the method's name, for the message
     * @throws IllegalArgumentException naming the method, the model, why it has no gradients and the methods that
     *     work on it
     */
    public static void requireGradients(String method, Classifier model) {
        if (!model.supportsGradients()) {
            throw new IllegalArgumentException(noGradients(method, model));
        }
    }

    private static String noGradients(String method, Classifier model) {
        return method + " needs gradients of the model's logits with respect to the pixels, and " + model.name()
                + " computes none (" + whyNoGradients(model) + "); use the forward-only methods that work on it: "
                + forwardOnlyNames();
    }

    /** Score-CAM needs no gradient but a block model's layer, which a model without gradients does not expose. */
    private static String noLayers(String method, Classifier model) {
        return method + " needs no gradient but the activations of a named layer of a DJL block model, and "
                + model.name() + " is a model without gradients (" + whyNoGradients(model) + ") that exposes no "
                + "layer; use the forward-only methods that work on it: " + forwardOnlyNames();
    }

    private static String whyNoGradients(Classifier model) {
        return model instanceof io.neuromask.model.ForwardOnlyClassifier f ? f.reason()
                : "its supportsGradients() is false";
    }

    private static String forwardOnlyNames() {
        return String.join(", ", all().stream().filter(m -> forwardOnly(m.kind())).map(MethodDescriptor::name)
                .toList());
    }

    /** A CAM method's constructor: model, layer, batch size. */
    private interface CamFactory {
        CamAttribution create(BlockClassifier model, String layer, int batchSize);
    }

    /** A CAM method's constructor that reads its own settings too. */
    private interface ConfiguredCamFactory {
        CamAttribution create(BlockClassifier model, String layer, MethodConfig config);
    }

    private static int opticamIterations(MethodConfig c) {
        String text = c.setting(OPTICAM_ITERATIONS.name());
        return text == null ? OptiCam.DEFAULT_ITERATIONS : integer(OPTICAM_ITERATIONS.name(), text);
    }

    /** A CAM method, at the layer of setting {@code gradcam_layer} or else the model's known one. */
    private static BuiltIn cam(String name, String title, CamFactory factory) {
        return cam(name, title, List.of(), (m, layer, c) -> factory.create(m, layer, c.batchSize()));
    }

    /** A CAM method with settings of its own besides {@code gradcam_layer}. */
    private static BuiltIn cam(String name, String title, List<SettingSpec> own, ConfiguredCamFactory factory) {
        List<SettingSpec> settings = new ArrayList<>(List.of(CAM_LAYER));
        settings.addAll(own);
        return new BuiltIn(name, Kind.CAM, INVARIANT, List.copyOf(settings), false, (classifier, c) -> {
            Optional<String> refused = unavailable(name, classifier);
            String layer = c.setting("gradcam_layer");
            if (refused.isPresent()) {
                throw new IllegalArgumentException(layer == null ? refused.get() : title + " layer '" + layer
                        + "' (gradcam_layer, --gradcam-layer) cannot be reached: " + refused.get());
            }
            if (!(classifier instanceof BlockClassifier bc)) {
                throw new IllegalArgumentException(title + " needs a block model; " + classifier.name()
                        + " is not one");
            }
            if (layer == null) {
                layer = Models.gradcamLayer(classifier.name()).orElseThrow(() -> new IllegalArgumentException(
                        "no known " + title + " layer for model " + classifier.name() + "; give --gradcam-layer "
                                + "(setting gradcam_layer), one of: " + CamAttribution.layerNames(bc)));
            }
            return factory.create(bc, layer, c);
        });
    }
}
