package io.neuromask.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small results file written by hand, whose summaries the tests compute by hand: methods {@code a} (images 0 to 2),
 * {@code b} (images 0 and 1, the only one with {@code road_morf_auc}) and {@code center} (images 0 to 2), every image
 * with boxes, MaxBoxAcc at 4 thresholds.
 *
 * <pre>
 *            deletion        insertion       pointing  energy PG         MaxBoxAcc hits   road_morf  seconds
 * a          0.1 0.2 0.3     0.9 0.8 0.7     1 1 0     0.8 0.75 0.7      0011 0111 0001   -          1 2 3
 * b          0.4 0.6         0.5 0.3         0 1       0.5 0.4           0000 1000        0.3 0.5    0.5 1.5
 * center     0.5 0.5 0.5     0.5 0.5 0.5     0 1 0     0.5 0.5 0.5       0011 0011 0000   -          0 0 0
 * </pre>
 */
public final class SyntheticResults {

    private SyntheticResults() {}

    /** The header line. */
    public static final String HEADER = "{\"type\":\"header\",\"format\":\"neuromask-evaluate-results\",\"version\":1,"
            + "\"model\":\"toy\",\"data\":\"toy-data\",\"targets\":\"labels\",\"ties\":\"break\","
            + "\"step_fraction\":0.1,\"tolerance\":15.0,\"max_box_acc_thresholds\":4,\"max_box_acc_iou\":0.5}";

    /** The file's lines, without their newlines. */
    public static List<String> lines() {
        return List.of(HEADER,
                method("a"), method("b"), method("center"),
                image("a", 0, 0.1, 0.9, 1, 0.8, "0011", null, 1.0),
                image("a", 1, 0.2, 0.8, 1, 0.75, "0111", null, 2.0),
                image("a", 2, 0.3, 0.7, 0, 0.7, "0001", null, 3.0),
                image("b", 0, 0.4, 0.5, 0, 0.5, "0000", 0.3, 0.5),
                image("b", 1, 0.6, 0.3, 1, 0.4, "1000", 0.5, 1.5),
                image("center", 0, 0.5, 0.5, 0, 0.5, "0011", null, 0.0),
                image("center", 1, 0.5, 0.5, 1, 0.5, "0011", null, 0.0),
                image("center", 2, 0.5, 0.5, 0, 0.5, "0000", null, 0.0));
    }

    /** Writes the file (every line with its newline) to {@code file}. */
    public static Path write(Path file) throws IOException {
        Files.writeString(file, String.join("\n", lines()) + "\n");
        return file;
    }

    private static String method(String name) {
        return "{\"type\":\"method\",\"method\":\"" + name + "\",\"settings\":{}}";
    }

    private static String image(String method, int image, double deletion, double insertion, int pointing,
            double energy, String hits, Double roadMorf, double seconds) {
        return "{\"type\":\"image\",\"method\":\"" + method + "\",\"image\":" + image + ",\"id\":\"img" + image
                + "\",\"class\":3,\"seconds\":" + seconds + ",\"deletion_auc\":" + deletion + ",\"insertion_auc\":"
                + insertion + ",\"pointing_game\":" + pointing + ",\"energy_pointing_game\":" + energy
                + ",\"gini\":0.5,\"class_preserved\":1,\"mask_area\":0.25,\"max_box_acc_hits\":\"" + hits + "\""
                + (roadMorf == null ? "" : ",\"road_morf_auc\":" + roadMorf) + "}";
    }
}
