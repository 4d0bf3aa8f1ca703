package io.neuromask.export;

import io.neuromask.engine.Explanation;
import io.neuromask.io.AtomicFiles;
import io.neuromask.io.Npy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.neuromask.Versions;
import io.neuromask.viz.Colormap;
import io.neuromask.viz.Heatmaps;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Writes an {@link Explanation} to files: mask PNG, overlay PNG, mask {@code .npy} and JSON. */
public final class ExplanationFiles {

    /** The file names {@link #saveAll} writes. */
    public static final List<String> FILES = List.of("mask.png", "overlay.png", "mask.npy", "explanation.json");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private ExplanationFiles() {}

    /**
     * Writes all four files into {@code dir}, all or nothing: they are written to a temporary folder
     * beside {@code dir}, then moved in.
     */
    public static void saveAll(Explanation e, Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path tmp = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".tmp");
        try {
            saveMaskPng(e, tmp.resolve("mask.png"));
            saveOverlayPng(e, tmp.resolve("overlay.png"), Colormap.JET, Heatmaps.DEFAULT_ALPHA);
            saveMaskNpy(e, tmp.resolve("mask.npy"));
            saveJson(e, tmp.resolve("explanation.json"));
            Files.createDirectories(absolute);
            for (String name : FILES) {
                AtomicFiles.move(tmp.resolve(name), absolute.resolve(name));
            }
        } finally {
            deleteTree(tmp);
        }
    }

    /** The mask as an 8-bit grayscale PNG (white = kept). */
    public static void saveMaskPng(Explanation e, Path file) throws IOException {
        var img = Heatmaps.render(e.mask(), e.height(), e.width(), Colormap.GRAY);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    /** The mask coloured with {@code colormap} over the image. */
    public static void saveOverlayPng(Explanation e, Path file, Colormap colormap, double alpha) throws IOException {
        var img = Heatmaps.overlay(e.image(), e.mask(), colormap, alpha);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    /** The mask as a float32 H×W {@code .npy}. */
    public static void saveMaskNpy(Explanation e, Path file) throws IOException {
        Npy.write(file, e.mask(), e.height(), e.width());
    }

    /** The JSON summary (everything but the mask itself). */
    public static void saveJson(Explanation e, Path file) throws IOException {
        String json = toJson(e);
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(json);
            w.flush();
        });
    }

    /** The JSON summary as a string. */
    public static String toJson(Explanation e) {
        JsonObject o = new JsonObject();
        o.addProperty("model", e.model());
        o.addProperty("target", e.target());
        o.addProperty("target_label", e.targetLabel());
        o.addProperty("predicted_original", e.predictedOriginal());
        o.addProperty("probability_original", e.probabilityOriginal());
        if (e.targetRankOriginal() > 0) {
            o.addProperty("target_rank_original", e.targetRankOriginal());
        }
        o.addProperty("warning", e.warning().orElse(null));
        o.addProperty("predicted_masked", e.predictedMasked());
        o.addProperty("probability_masked", e.probabilityMasked());
        o.addProperty("class_preserved", e.classPreserved());
        o.addProperty("mask_mean", e.maskMean());
        o.addProperty("height", e.height());
        o.addProperty("width", e.width());
        o.addProperty("iterations", e.iterations());
        o.addProperty("wall_seconds", e.wallTime().toNanos() / 1e9);
        o.addProperty("stop_reason", e.stopReason().name());
        o.addProperty("seed", e.seed());
        o.addProperty("device", e.device());
        JsonObject versions = new JsonObject();
        versions.addProperty("neuromask", Versions.toolkit());
        versions.addProperty("djl", Versions.djl());
        versions.addProperty("libtorch", Versions.libtorch());
        o.add("versions", versions);
        o.addProperty("objective", e.objective().name());
        o.add("settings", GSON.toJsonTree(e.objective().settings()));
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("name", e.optimizer().name());
        optimizer.add("settings", GSON.toJsonTree(e.optimizer().settings()));
        o.add("optimizer", optimizer);
        o.add("loss_terms", GSON.toJsonTree(e.objective().termNames()));
        com.google.gson.JsonArray history = new com.google.gson.JsonArray();
        for (io.neuromask.engine.LossRecord r : e.lossHistory()) {
            JsonObject h = new JsonObject();
            h.addProperty("iteration", r.iteration());
            h.addProperty("total", r.total());
            r.terms().forEach(h::addProperty);
            h.addProperty("maskMean", r.maskMean());
            if (!Double.isNaN(r.targetProbability())) {
                h.addProperty("targetProbability", r.targetProbability());
            }
            history.add(h);
        }
        o.add("loss_history", history);
        return GSON.toJson(o);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
