package io.neuromask.spark;

import io.neuromask.engine.MaskObjective;
import io.neuromask.Objectives;
import io.neuromask.Preset;
import io.neuromask.attribution.MethodDescriptor;
import io.neuromask.attribution.Methods;
import io.neuromask.base.Classifier;
import io.neuromask.metrics.PointingGame;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ExplainJob} computes for every image: the model, the method (a {@link Methods} name), the preset
 * of a mask method and its iterations, the seed, the batch size, the device and the optional outputs. Sent to the
 * executors with each task, so it holds names, never models.
 *
 * @param model a registered model name ({@code Models.load}); every row of the table records it (its {@code model}
 *     column), and a resume with another is refused
 * @param method a registered method name: {@code neuromask}, {@code meaningful}, {@code extremal}, {@code gradient}, ...
 * @param preset a {@link Preset} name for the mask methods, or null for the method's preset for the model
 * @param iterations optimiser steps of a mask method, 0 for the preset's
 * @param seed the run's seed (see {@link #seedFor(String)}); every row of every method records it (its
 *     {@code run_seed} column, beside the image's own {@code seed}), and a resume with another is refused
 * @param batchSize images explained together inside a partition; 0 chooses one per device ({@code AutoBatchSize})
 * @param device {@code cpu}, {@code gpu} or null for DJL's default; a GPU executor takes the GPU Spark assigned
 *     to the task ({@code spark.task.resource.gpu.amount})
 * @param outputs what each row holds beyond the mask ({@link Outputs}: deletion/insertion, PNG, pointing tolerance)
 * @param overrides settings of a mask method's objective changed from the preset's, by name
 *     ({@link MaskObjective#withSetting}, {@code spark-explain --set name=value}), applied in their order; empty for
 *     none. Checked against the method's objective when the settings are made, so a misspelt name or a bad value
 *     fails on the driver, not in every task
 */
public record ExplainSettings(String model, String method, String preset, int iterations, long seed, int batchSize,
        String device, Outputs outputs, Map<String, String> overrides) implements Serializable {

    /**
     * What each row holds beyond the mask.
     *
     * @param deletionInsertion whether to compute deletion and insertion AUC (a few hundred forward passes per image)
     * @param png whether to store each mask as an 8-bit grey PNG too
     * @param pointingTolerance the pointing game's tolerance in pixels of the model's input, for images with boxes
     *     ({@link PointingGame}; {@code evaluate --tolerance}); default {@value PointingGame#DEFAULT_TOLERANCE}
     */
    public record Outputs(boolean deletionInsertion, boolean png, double pointingTolerance) implements Serializable {
        /** Checks the tolerance. */
        public Outputs {
            new PointingGame(pointingTolerance); // checks it: finite, >= 0
        }
    }

    /** Checks the settings that need no model. */
    public ExplainSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(method, "method");
        method = method.trim().toLowerCase(Locale.ROOT);
        if (!Methods.names().contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; choose from "
                    + String.join(",", Methods.names()));
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0 (0: the preset's), got " + iterations);
        }
        Objects.requireNonNull(outputs, "outputs");
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size must be >= 0 (0: chosen per device), got " + batchSize);
        }
        if (preset != null) {
            Preset.parse(preset); // names the valid presets when unknown
            if (!isMask(method)) {
                throw new IllegalArgumentException("--preset applies to the mask methods (" + maskMethods() + "), not to '" + method + "'; leave it out");
            }
        }
        if (iterations > 0 && !isMask(method)) {
            throw new IllegalArgumentException("--iterations applies to the mask methods, not to '" + method + "'");
        }
        overrides = Collections.unmodifiableMap(trimmed(overrides));
        if (isMask(method)) {
            MaskObjective<?> base = Objectives.get(method).preset(224, 224);
            if (preset != null) {
                base = Preset.parse(preset).objective();
                checkPresetOf(method, preset, base);
            }
            if (iterations > 0 && overrides.containsKey("iterations")) {
                throw new IllegalArgumentException("iterations given twice (--iterations " + iterations
                        + " and --set iterations=" + overrides.get("iterations") + "); keep one");
            }
            override(base, overrides); // names the setting and the fix when it does not apply
        } else if (!overrides.isEmpty()) {
            throw new IllegalArgumentException("--set applies to the mask methods (" + maskMethods() + "), "
                    + "not to '" + method + "'; leave out " + String.join(", ", overrides.keySet()));
        }
    }

    /**
     * Settings with no objective overrides, at the given pointing-game tolerance.
     */
    public ExplainSettings(String model, String method, String preset, int iterations, long seed, int batchSize,
            String device, boolean deletionInsertion, boolean png, double pointingTolerance) {
        this(model, method, preset, iterations, seed, batchSize, device,
                new Outputs(deletionInsertion, png, pointingTolerance), Map.of());
    }

    /** Settings at the pointing game's default tolerance ({@value PointingGame#DEFAULT_TOLERANCE} px). */
    public ExplainSettings(String model, String method, String preset, int iterations, long seed, int batchSize,
            String device, boolean deletionInsertion, boolean png) {
        this(model, method, preset, iterations, seed, batchSize, device,
                new Outputs(deletionInsertion, png, PointingGame.DEFAULT_TOLERANCE), Map.of());
    }

    /** Settings with the defaults: the method's preset, seed 0, batch chosen per device, no extra outputs. */
    public static ExplainSettings of(String model, String method) {
        return new ExplainSettings(model, method, null, 0, 0L, 0, null, false, false);
    }

    /** These settings with another pointing-game tolerance (pixels of the model's input, at least 0). */
    public ExplainSettings withPointingTolerance(double pixels) {
        return new ExplainSettings(model, method, preset, iterations, seed, batchSize, device,
                new Outputs(outputs.deletionInsertion(), outputs.png(), pixels), overrides);
    }

    /**
     * These settings with the given objective settings changed from the preset's, e.g. {@code temperature -> 0.3}
     * (see {@link #overrides()}).
     */
    public ExplainSettings withOverrides(Map<String, String> settings) {
        return new ExplainSettings(model, method, preset, iterations, seed, batchSize, device, outputs, settings);
    }

    /** Whether rows hold deletion and insertion AUC. */
    public boolean deletionInsertion() {
        return outputs.deletionInsertion();
    }

    /** Whether rows hold the mask as a PNG. */
    public boolean png() {
        return outputs.png();
    }

    /** The pointing game's tolerance in pixels. */
    public double pointingTolerance() {
        return outputs.pointingTolerance();
    }

    private static String maskMethods() {
        return String.join(", ", Methods.all().stream().filter(d -> d.kind() == MethodDescriptor.Kind.MASK)
                .map(MethodDescriptor::name).toList());
    }

    static boolean isMask(String method) {
        return Methods.get(method).kind() == MethodDescriptor.Kind.MASK;
    }

    /** Whether this is a mask method (neuromask, meaningful, extremal). */
    public boolean maskMethod() {
        return isMask(method);
    }

    /**
     * The mask objective for a mask method on {@code model}: the preset (or the method's preset for the model's
     * input size), with the {@link #overrides()} and {@link #iterations()} when given.
     */
    public MaskObjective<?> objective(Classifier model) {
        MaskObjective<?> o = preset != null ? Preset.parse(preset).objective()
                : Objectives.presetFor(method, model);
        o = override(o, overrides);
        return iterations > 0 ? o.withIterations(iterations) : o;
    }

    /**
     * What the table's {@code preset} column holds for a mask method: the preset's name (or the method's when none
     * was given: the preset for the model's size), then each override as {@code name=value}, separated by spaces.
     */
    String presetLabel() {
        StringBuilder label = new StringBuilder(preset != null ? preset : method);
        overrides.forEach((k, v) -> label.append(' ').append(k).append('=').append(v));
        return label.toString();
    }

    /** The overrides with names and values trimmed, so that " step=5" and "step=5" label a table alike. */
    private static Map<String, String> trimmed(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        if (overrides != null) {
            for (Map.Entry<String, String> e : overrides.entrySet()) {
                if (e.getKey() == null || e.getValue() == null || e.getKey().isBlank()) {
                    throw new IllegalArgumentException("--set needs NAME=VALUE, got " + e.getKey() + "="
                            + e.getValue());
                }
                String name = e.getKey().trim();
                if (m.put(name, e.getValue().trim()) != null) {
                    throw new IllegalArgumentException("--set " + name + " given twice; keep one");
                }
            }
        }
        return m;
    }

    private static MaskObjective<?> override(MaskObjective<?> objective, Map<String, String> overrides) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            objective = objective.withSetting(e.getKey(), e.getValue());
        }
        return objective;
    }

    private static void checkPresetOf(String method, String preset, MaskObjective<?> objective) {
        if (!objective.name().equals(method)) {
            throw new IllegalArgumentException("preset " + preset + " is a '" + objective.name() + "' objective but "
                    + "the method is '" + method + "'; give a " + method + " preset or --method " + objective.name());
        }
    }

    /**
     * The seed of image {@code id}. Methods whose maps do not depend on batch position (the mask engine's starting
     * weights depend only on the seed; RISE's masks on the seed and mask index) use the run's seed for every image,
     * so the Spark job and {@code NeuroMask.explain} in one JVM give the same masks. Others (SmoothGrad seeds its
     * noise by position in a call, and methods registered elsewhere) run one image per call with a seed mixed from
     * the run's seed and the id, so that partitioning never changes a map.
     */
    public long seedFor(String id) {
        if (batched()) {
            return seed;
        }
        long h = 1125899906842597L;
        for (int i = 0; i < id.length(); i++) {
            h = 31 * h + id.charAt(i);
        }
        long z = seed * 0x9E3779B97F4A7C15L + h * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Whether images run together in batches ({@code false}: one per call, each with its own seed). */
    boolean batched() {
        return Methods.get(method).capabilities().contains(MethodDescriptor.Capability.BATCH_INVARIANT);
    }
}
