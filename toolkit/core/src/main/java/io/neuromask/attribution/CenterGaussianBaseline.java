package io.neuromask.attribution;

import io.neuromask.base.Classifier;

/**
 * The {@code center-gaussian} baseline of the WSOL evaluation of Choe et al. ("Evaluating Weakly Supervised Object
 * Localization Methods Right", CVPR 2020, and "Evaluation for Weakly Supervised Object Localization: Protocol,
 * Metrics, and Datasets", TPAMI 2022): an isotropic Gaussian score map centred on the image, the same for every image
 * and target, which they report at 52.5 MaxBoxAccV2 on ImageNet; a localisation method must beat it to show that it
 * looks at the image.
 *
 * <p>Their code (clovaai/wsolevaluation) does not include it; the papers describe it as an isotropic Gaussian
 * centred on the image. wsolevaluation scores every image resized to 224×224, so the Gaussian is isotropic in that
 * square frame: here the standard deviation is half of each side (1 in coordinates that run from −1 to 1 across the
 * image), {@code exp(−(u² + v²)/2)} with {@code u = (x + ½ − W/2) / (W/2)} and {@code v} alike, which on a square input
 * is isotropic in pixels too. The box metrics sweep every threshold, so the standard deviation only changes which
 * box sizes their 8-bit thresholds reach: this one gives centred boxes from about a tenth of the side up to the whole
 * image. {@link CenterBaseline} ({@code center}), with a quarter of each side, is the reference the evaluation
 * compares every method with.
 */
public final class CenterGaussianBaseline extends FixedMapBaseline {

    /** The standard deviation as a fraction of each side. */
    public static final double SIGMA_FRACTION = 0.5;

    public CenterGaussianBaseline(Classifier model) {
        super(model, m -> CenterBaseline.gaussian(m.inputHeight(), m.inputWidth(), SIGMA_FRACTION));
    }

    @Override
    public String name() {
        return "center-gaussian";
    }
}
