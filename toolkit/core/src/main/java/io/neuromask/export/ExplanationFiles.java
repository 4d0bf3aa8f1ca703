package io.neuromask.export;

import io.neuromask.engine.Explanation;
import io.neuromask.io.AtomicFiles;
import io.neuromask.io.Npy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.neuromask.Versions;
import io.neuromask.viz.Colormap;
import io.neuromask.viz.ExplanationFigure;
import io.neuromask.viz.Heatmaps;
import io.neuromask.viz.PhotoOverlay;
import io.neuromask.base.PhotoGeometry;
import io.neuromask.base.RgbImage;
import io.neuromask.io.Png;
import java.awt.image.BufferedImage;
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

/**
 * Writes an {@link Explanation} to files: {@code mask.png} and {@code mask.npy} at the model's input resolution,
 * {@code overlay.png} and {@code mask_full.npy} at the photo's, the {@code figure.png} panel, and
 * {@code explanation.json}.
 *
 * <p>The photo is the image the explanation was made from ({@link Explanation#withPhotoGeometry}); without one, the
 * explained image is its own photo (so {@code mask_full.npy} equals {@code mask.npy}, and {@code overlay.png} is at the
 * model's resolution, as it always was).
 */
public final class ExplanationFiles {

    /** The file names {@link #saveAll} writes. */
    public static final List<String> FILES = List.of("mask.png", "overlay.png", "mask.npy", "mask_full.npy",
            "figure.png", "explanation.json");

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private ExplanationFiles() {}

    /**
     * Writes all the files ({@link #FILES}) into {@code dir}, all or nothing, taking the explained image as the photo:
     * {@link #saveAll(Explanation, RgbImage, Path)} with a null photo.
     */
    public static void saveAll(Explanation e, Path dir) throws IOException {
        saveAll(e, null, dir);
    }

    /**
     * Writes all the files ({@link #FILES}) into {@code dir}, all or nothing: they are written to a temporary folder
     * beside {@code dir}, then moved in. {@code overlay.png} and {@code figure.png} show {@code photo}, the photo the
     * explanation was made from (null: the explained image); {@code mask_full.npy} is the mask on the photo
     * ({@link Explanation#photoMask()}).
     *
     * <p>Files of these names that the toolkit did not write are never replaced: when {@code dir} holds one of them
     * but no {@code explanation.json} that the toolkit wrote (one with {@code versions.neuromask}), nothing is written
     * and an {@link IOException} names the file.
     *
     * @throws IllegalArgumentException when the photo is not the size the explanation was made from
     */
    public static void saveAll(Explanation e, RgbImage photo, Path dir) throws IOException {
        refuseForeignFiles(dir);
        // both check the photo before anything is written
        BufferedImage overlay = photo == null ? Heatmaps.overlay(e.image(), e.mask(), Colormap.JET,
                Heatmaps.DEFAULT_ALPHA) : PhotoOverlay.of(e, photo, Colormap.JET, Heatmaps.DEFAULT_ALPHA);
        ExplanationFigure figure = ExplanationFigure.of(e, photo);
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path tmp = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".tmp");
        try {
            saveMaskPng(e, tmp.resolve("mask.png"));
            AtomicFiles.write(tmp.resolve("overlay.png"), out -> ImageIO.write(overlay, "png", out));
            saveMaskNpy(e, tmp.resolve("mask.npy"));
            saveMaskFullNpy(e, tmp.resolve("mask_full.npy"));
            saveFigurePng(figure, tmp.resolve("figure.png"));
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

    /**
     * The mask over {@code photo} at the photo's resolution, the crop box outlined ({@link PhotoOverlay}).
     *
     * @throws IllegalArgumentException when the photo is not the size the explanation was made from
     */
    public static void saveOverlayPng(Explanation e, RgbImage photo, Path file, Colormap colormap, double alpha)
            throws IOException {
        var img = PhotoOverlay.of(e, photo, colormap, alpha);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    /** The mask as a float32 H×W {@code .npy}, at the model's input resolution. */
    public static void saveMaskNpy(Explanation e, Path file) throws IOException {
        Npy.write(file, e.mask(), e.height(), e.width());
    }

    /**
     * The mask at the photo's resolution as a float32 {@code photoHeight × photoWidth} {@code .npy}
     * ({@link Explanation#photoMask()}): NaN outside the crop box, where the model saw nothing. Without a photo
     * geometry, the mask itself.
     */
    public static void saveMaskFullNpy(Explanation e, Path file) throws IOException {
        int w = e.photoGeometry().map(PhotoGeometry::photoWidth).orElse(e.width());
        int h = e.photoGeometry().map(PhotoGeometry::photoHeight).orElse(e.height());
        Npy.write(file, e.photoMask(), h, w);
    }

    /** The figure as a PNG, its title and subtitle in the file's text ({@code Title}, {@code Description}). */
    public static void saveFigurePng(ExplanationFigure figure, Path file) throws IOException {
        var img = figure.toImage();
        AtomicFiles.write(file, out -> Png.write(img, figure.pngText(), out));
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
        e.photoGeometry().ifPresent(g -> o.add("preprocessing", preprocessingJson(g)));
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

    /** The {@code preprocessing} object of {@code explanation.json}. */
    static JsonObject preprocessingJson(PhotoGeometry g) {
        JsonObject p = new JsonObject();
        p.addProperty("mode", g.preprocessing().resize().cliName());
        p.addProperty("center_crop", g.preprocessing().centerCrop());
        p.addProperty("as_is", g.asIs());
        p.addProperty("antialias", true);
        p.add("photo_size", pair(g.photoWidth(), g.photoHeight()));
        p.add("resize_size", pair(g.resizedWidth(), g.resizedHeight()));
        com.google.gson.JsonArray crop = new com.google.gson.JsonArray();
        crop.add(g.cropX());
        crop.add(g.cropY());
        crop.add(g.inputWidth());
        crop.add(g.inputHeight());
        p.add("crop_in_resized", crop);
        com.google.gson.JsonArray box = new com.google.gson.JsonArray();
        box.add(g.cropLeft());
        box.add(g.cropTop());
        box.add(g.cropRight());
        box.add(g.cropBottom());
        p.add("crop_box", box);
        p.add("input_size", pair(g.inputWidth(), g.inputHeight()));
        return p;
    }

    private static com.google.gson.JsonArray pair(int width, int height) {
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        a.add(width);
        a.add(height);
        return a;
    }

    /** Refuses a folder that holds a file of {@link #FILES} which a previous {@link #saveAll} did not write. */
    private static void refuseForeignFiles(Path dir) throws IOException {
        List<String> present = FILES.stream().filter(name -> Files.exists(dir.resolve(name))).toList();
        if (present.isEmpty() || writtenByToolkit(dir.resolve("explanation.json"))) {
            return;
        }
        throw new IOException(dir.toAbsolutePath() + " already holds " + String.join(", ", present)
                + ", which the toolkit did not write (no explanation.json of its own beside them); nothing was "
                + "written: choose another output folder, or move those files away");
    }

    private static boolean writtenByToolkit(Path json) {
        if (!Files.isRegularFile(json)) {
            return false;
        }
        try {
            com.google.gson.JsonElement root = com.google.gson.JsonParser.parseString(Files.readString(json));
            return root.isJsonObject() && root.getAsJsonObject().has("versions")
                    && root.getAsJsonObject().get("versions").isJsonObject()
                    && root.getAsJsonObject().getAsJsonObject("versions").has("neuromask");
        } catch (IOException | RuntimeException notOurs) {
            return false;
        }
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
