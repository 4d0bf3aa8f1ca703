package io.neuromask.options;

import io.neuromask.base.Classifier;
import io.neuromask.base.Preprocessing;
import picocli.CommandLine.Option;

/**
 * {@code --resize squash|shorter-side} and {@code --[no-]center-crop}: how a photo becomes the model's input
 * ({@link Preprocessing}); by default the model's convention for its input size. A picocli mixin.
 */
public final class PreprocessingOption {

    @Option(names = "--resize", paramLabel = "squash|shorter-side",
            description = "How a photo is resized to the model's input: squash (each side to the input's, aspect "
                    + "ratio not kept) or shorter-side (keep the aspect ratio, scale until the photo covers the input, "
                    + "cut the input from the centre). Shrinking is antialiased. Default: squash for inputs up to "
                    + Preprocessing.SMALL_INPUT + " px (the CIFAR convention), shorter-side with --center-crop above "
                    + "(torchvision's resize 256, crop 224 for a 224 px model). A photo already at the input's size is "
                    + "used as it is.")
    String resize;

    @Option(names = "--center-crop", negatable = true,
            description = "Resize to 8/7 of the input first (256 for 224) and cut the input from the centre, as "
                    + "torchvision's ImageNet evaluation does (default: on with shorter-side above "
                    + Preprocessing.SMALL_INPUT + " px, else off).")
    Boolean centerCrop;

    /** Fails on a {@code --resize} that is not understood, before anything is loaded. */
    public void check() {
        resolve(224, 224);
    }

    /** The recipe for {@code model}: the options given, the model's default for the rest. */
    public Preprocessing resolve(Classifier model) {
        return resolve(model.inputWidth(), model.inputHeight());
    }

    /** The recipe for an input of {@code inputWidth}×{@code inputHeight}: the options given, the default for the rest. */
    public Preprocessing resolve(int inputWidth, int inputHeight) {
        if (resize == null && centerCrop == null) {
            return Preprocessing.defaultFor(inputWidth, inputHeight);
        }
        Preprocessing.Resize r;
        if (resize == null) {
            r = Preprocessing.defaultFor(inputWidth, inputHeight).resize();
        } else {
            try {
                r = Preprocessing.Resize.parse(resize);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--resize '" + resize + "': use squash (each side to the model's "
                        + "input, aspect ratio not kept) or shorter-side (keep the aspect ratio, cut the input from the "
                        + "centre)", e);
            }
        }
        boolean crop = centerCrop != null ? centerCrop : Preprocessing.defaultCenterCrop(r, inputWidth, inputHeight);
        return Preprocessing.of(r, crop, inputWidth, inputHeight);
    }
}
