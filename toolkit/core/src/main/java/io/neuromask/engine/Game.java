package io.neuromask.engine;

import java.util.Locale;

/**
 * Which perturbation game a mask objective plays (Fong &amp; Vedaldi 2017; Fong, Patrick &amp; Vedaldi 2019).
 * In every game the saliency is the region that matters: kept in the preservation game, deleted in the deletion
 * game, both in the dual game.
 */
public enum Game {
    /** Find the smallest region that, kept alone, keeps the model's score. */
    PRESERVE,
    /** Find the smallest region that, deleted, destroys the model's score. */
    DELETE,
    /** Both at once: the score with the region kept minus the score with it deleted (extremal perturbation). */
    DUAL;

    /** Parses {@code preserve}, {@code delete} or {@code dual}, case-insensitively. */
    public static Game parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown game '" + name + "'; choose preserve, delete or dual", e);
        }
    }
}
