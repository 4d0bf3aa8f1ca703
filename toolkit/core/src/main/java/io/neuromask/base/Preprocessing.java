package io.neuromask.base;

import java.util.Locale;
import java.util.Objects;

/**
 * How a photo becomes a model's input: how it is resized and whether a centre crop is taken, as torchvision's
 * {@code transforms.Resize} and {@code CenterCrop} do. A recipe, independent of any photo; {@link #geometry} applies
 * it to a photo's size and gives the numbers (resized size, crop box) and the maps between model and photo pixels.
 *
 * <ul>
 *   <li>{@link Resize#SQUASH}: each side is scaled to the model's input (aspect ratio not kept): the CIFAR
 *       convention, and the default for inputs up to {@value #SMALL_INPUT} pixels.</li>
 *   <li>{@link Resize#SHORTER_SIDE}: the photo is scaled, keeping its aspect ratio, until it covers the model's input
 *       (for a square input: the shorter side becomes the input's side), then the input is cut from the centre:
 *       torchvision's {@code Resize(S)} then {@code CenterCrop}. The longer side is truncated as torchvision
 *       truncates it ({@code int(S · long / short)}).</li>
 *   <li>{@link #centerCrop()}: the photo is first resized to 8/7 of the input ({@code S = round(side / 0.875)}, 256 for
 *       224, 342 for 299), and the input is cut from the centre: torchvision's ImageNet evaluation, {@code Resize(256)},
 *       {@code CenterCrop(224)}. The default, with {@link Resize#SHORTER_SIDE}, for inputs above {@value #SMALL_INPUT}
 *       pixels. Crop offsets are {@code round((resized − input) / 2)}, halves to even, as torchvision's.</li>
 * </ul>
 *
 * Shrinking is antialiased ({@link RgbImage#resizeAntialiased}: torchvision's {@code antialias=True} bilinear). A
 * photo already at the model's input size is used as it is, whatever the recipe: it is taken to be preprocessed
 * already, and the masks learnt on it stay what they were.
 *
 * <pre>{@code
 * RgbImage photo = ImageFiles.read(Path.of("dog.jpg"));          // at its own size
 * PhotoGeometry g = Preprocessing.defaultFor(model).geometry(photo);
 * Explanation e = engine.explain(g.apply(photo), Target.predicted()).withPhotoGeometry(g);
 * }</pre>
 */
public final class Preprocessing {

    /** Inputs up to this many pixels a side (CIFAR's 32, MNIST's 28) are squashed by default. */
    public static final int SMALL_INPUT = 64;

    /** The fraction of the resized image that the centre crop keeps: 224 / 256, torchvision's ImageNet evaluation. */
    public static final double CROP_FRACTION = 0.875;

    /** How the photo is scaled. */
    public enum Resize {
        /** Each side scaled to the input's (aspect ratio not kept). */
        SQUASH("squash"),
        /** Scaled keeping the aspect ratio until the photo covers the input; the overflow is cut from the centre. */
        SHORTER_SIDE("shorter-side");

        private final String cliName;

        Resize(String cliName) {
            this.cliName = cliName;
        }

        /** {@code squash} or {@code shorter-side}. */
        public String cliName() {
            return cliName;
        }

        /**
         * Parses {@code squash} or {@code shorter-side} (case-insensitive; {@code shorter_side} too).
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Resize parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Resize r : values()) {
                if (r.cliName.equals(t)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("resize '" + text + "' is not understood; use squash (each side to the "
                    + "model's input, aspect ratio not kept) or shorter-side (keep the aspect ratio, cut the input "
                    + "from the centre)");
        }

        @Override
        public String toString() {
            return cliName;
        }
    }

    private final Resize resize;
    private final boolean centerCrop;
    private final int inputWidth;
    private final int inputHeight;

    private Preprocessing(Resize resize, boolean centerCrop, int inputWidth, int inputHeight) {
        this.resize = Objects.requireNonNull(resize, "resize");
        if (inputWidth <= 0 || inputHeight <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + inputWidth + "x" + inputHeight);
        }
        this.centerCrop = centerCrop;
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
    }

    /** A recipe for a model of {@code inputWidth}×{@code inputHeight} inputs. */
    public static Preprocessing of(Resize resize, boolean centerCrop, int inputWidth, int inputHeight) {
        return new Preprocessing(resize, centerCrop, inputWidth, inputHeight);
    }

    /** A recipe for {@code model}'s input size. */
    public static Preprocessing of(Resize resize, boolean centerCrop, Classifier model) {
        return of(resize, centerCrop, model.inputWidth(), model.inputHeight());
    }

    /**
     * The default for an input size: {@link Resize#SQUASH} without crop up to {@value #SMALL_INPUT} pixels a side (the
     * CIFAR convention), else {@link Resize#SHORTER_SIDE} with {@link #centerCrop()} (torchvision's resize 256, crop
     * 224 for a 224² model).
     */
    public static Preprocessing defaultFor(int inputWidth, int inputHeight) {
        Resize r = small(inputWidth, inputHeight) ? Resize.SQUASH : Resize.SHORTER_SIDE;
        return of(r, defaultCenterCrop(r, inputWidth, inputHeight), inputWidth, inputHeight);
    }

    /** {@link #defaultFor(int, int)} for {@code model}'s input size. */
    public static Preprocessing defaultFor(Classifier model) {
        return defaultFor(model.inputWidth(), model.inputHeight());
    }

    /**
     * Whether a centre crop is taken when only the resize is chosen: with {@link Resize#SHORTER_SIDE} above
     * {@value #SMALL_INPUT} pixels, not otherwise.
     */
    public static boolean defaultCenterCrop(Resize resize, int inputWidth, int inputHeight) {
        return resize == Resize.SHORTER_SIDE && !small(inputWidth, inputHeight);
    }

    private static boolean small(int width, int height) {
        return Math.max(width, height) <= SMALL_INPUT;
    }

    public Resize resize() {
        return resize;
    }

    /** Whether the photo is resized to 8/7 of the input first and the input cut from its centre. */
    public boolean centerCrop() {
        return centerCrop;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int inputHeight() {
        return inputHeight;
    }

    /**
     * The size the photo is resized towards, before any crop: the input's with no centre crop, else
     * {@code round(side / }{@value #CROP_FRACTION}{@code )} per side (256×256 for 224×224). {@link Resize#SQUASH}
     * resizes to it exactly; {@link Resize#SHORTER_SIDE} covers it keeping the aspect ratio.
     *
     * @return {width, height}
     */
    public int[] resizeTarget() {
        return centerCrop ? new int[] {grown(inputWidth), grown(inputHeight)} : new int[] {inputWidth, inputHeight};
    }

    private static int grown(int side) {
        return (int) Math.round(side / CROP_FRACTION);
    }

    /** This recipe applied to a photo of {@code photoWidth}×{@code photoHeight} pixels. */
    public PhotoGeometry geometry(int photoWidth, int photoHeight) {
        if (photoWidth <= 0 || photoHeight <= 0) {
            throw new IllegalArgumentException("photo size must be positive, got " + photoWidth + "x" + photoHeight);
        }
        if (photoWidth == inputWidth && photoHeight == inputHeight) {
            return new PhotoGeometry(this, photoWidth, photoHeight, photoWidth, photoHeight, 0, 0);
        }
        int[] target = resizeTarget();
        int tw = target[0];
        int th = target[1];
        int rw;
        int rh;
        if (resize == Resize.SQUASH) {
            rw = tw;
            rh = th;
        } else if ((long) tw * photoHeight >= (long) th * photoWidth) {
            // the width binds (for a square target: the width is the shorter side)
            rw = tw;
            rh = (int) Math.max(th, (long) tw * photoHeight / photoWidth);
        } else {
            rh = th;
            rw = (int) Math.max(tw, (long) th * photoWidth / photoHeight);
        }
        int cropX = (int) Math.rint((rw - inputWidth) / 2.0);
        int cropY = (int) Math.rint((rh - inputHeight) / 2.0);
        return new PhotoGeometry(this, photoWidth, photoHeight, rw, rh, cropX, cropY);
    }

    /** This recipe applied to {@code photo}'s size. */
    public PhotoGeometry geometry(RgbImage photo) {
        return geometry(photo.width(), photo.height());
    }

    /** The model's input made from {@code photo}: {@code geometry(photo).apply(photo)}. */
    public RgbImage apply(RgbImage photo) {
        return geometry(photo).apply(photo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.resize == resize && p.centerCrop == centerCrop
                && p.inputWidth == inputWidth && p.inputHeight == inputHeight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(resize, centerCrop, inputWidth, inputHeight);
    }

    /** E.g. {@code shorter-side 256, center crop 224x224} or {@code squash to 32x32}. */
    @Override
    public String toString() {
        int[] t = resizeTarget();
        String size = inputWidth + "x" + inputHeight;
        if (resize == Resize.SQUASH) {
            return centerCrop ? "squash to " + t[0] + "x" + t[1] + ", center crop " + size : "squash to " + size;
        }
        String s = t[0] == t[1] ? String.valueOf(t[0]) : t[0] + "x" + t[1];
        return "shorter-side " + s + ", center crop " + size;
    }
}
