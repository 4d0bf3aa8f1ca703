package io.neuromask;

import java.util.Locale;

/**
 * Named hyperparameter sets. The {@code PAPER_*} presets reproduce the authors' TensorFlow 1 code
 * exactly (Alzantot et al. 2019): RMSProp lr 0.03, decay 0.9, epsilon 1e-10, accumulator starting at
 * 1, {@code w ~ U(-10, 10)}, 2000 iterations.
 */
public enum Preset {
    /** CIFAR-10: λ = (0.4, 0.35, 0.15), T = 1, 3×3 Laplacian. */
    PAPER_CIFAR10(paper(0.4, 0.35, 0.15, 1.0, 3)),
    /** ImageNet: λ = (0.4, 0.35, 0.03), T = 0.3, 5×5 Laplacian. */
    PAPER_IMAGENET(paper(0.4, 0.35, 0.03, 0.3, 5));

    private final Hyperparameters hyperparameters;

    Preset(Hyperparameters hyperparameters) {
        this.hyperparameters = hyperparameters;
    }

    private static Hyperparameters paper(double lp, double ls, double lsm, double t, int k) {
        return new Hyperparameters(lp, ls, lsm, t, k, 2000, 0.03, 0.9, 1e-10, 1.0, 10.0, 10);
    }

    /** This preset's values. */
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /**
     * Parses a preset name, case-insensitively, with '-' or '_' ({@code paper-cifar10}).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Preset parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Preset p : values()) {
            if (p.name().equals(key)) {
                return p;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (Preset p : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(p.cliName());
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; valid presets: " + valid);
    }

    /** The lower-case, dash-separated name the CLI uses, e.g. {@code paper-cifar10}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
