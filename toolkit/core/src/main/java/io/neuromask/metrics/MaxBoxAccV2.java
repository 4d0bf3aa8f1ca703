package io.neuromask.metrics;

import io.neuromask.base.SaliencyMap;
import io.neuromask.data.Box;
import io.neuromask.internal.Inputs;
import java.util.ArrayList;
import java.util.List;

/**
 * MaxBoxAccV2, the box metric of wsolevaluation (Choe, Oh, Lee, Chun, Akata, Shim, "Evaluating Weakly Supervised
 * Object Localization Methods Right", CVPR 2020, and its journal version; clovaai/wsolevaluation,
 * {@code evaluation.py}: {@code compute_bboxes_from_scoremaps} with {@code multi_contour_eval=True} and
 * {@code BoxEvaluator} with {@code iou_threshold_list=[30, 50, 70]}), as that code computes it:
 *
 * <ol>
 *   <li>the map is min-max normalised in double precision (a constant map becomes 0, {@code normalize_scoremap}) and
 *     truncated to 8 bits, {@code u = (int) (255 · normalised)};</li>
 *   <li>at each threshold τ<sub>k</sub> = k · (1/T), k = 0…T−1 (T = 100: {@code cam_curve_interval = 0.01}), the pixels
 *     with {@code u > (int) (τ · max u)} are kept ({@code cv2.threshold}, {@code THRESH_BINARY});</li>
 *   <li>every contour of that binary map gives a box ({@code cv2.findContours} with {@code RETR_TREE}, then
 *     {@code cv2.boundingRect}): the outer contour of each 8-connected component of kept pixels bounds the component;
 *     the contour of each hole (a 4-connected component of dropped pixels that does not reach the image border)
 *     runs through the kept pixels around it, so its box is the hole's grown by one pixel on each side. A box of
 *     pixels x₀…x_max, y₀…y_max becomes {@code (x₀, y₀, min(x_max + 1, W − 1), min(y_max + 1, H − 1))}, as the
 *     reference writes {@code x + w} clipped to {@code width − 1}; with no contour the box is (0, 0, 0, 0);</li>
 *   <li>the image counts as correct at τ for the IoU threshold δ when some box has IoU ≥ δ with some ground-truth
 *     box, the IoU of {@code calculate_multiple_iou}: boxes as inclusive pixel ranges, areas
 *     {@code (x₁ − x₀ + 1)(y₁ − y₀ + 1)}, and the ground-truth boxes' coordinates truncated to integers as
 *     {@code resize_bbox} leaves them;</li>
 *   <li>for each δ ∈ {0.3, 0.5, 0.7} the accuracy over the set is taken at its best τ, and MaxBoxAccV2 is the mean
 *     of the three.</li>
 * </ol>
 *
 * <p>Per image, the value at the chosen thresholds is the mean over the three δ of its hit (0, ⅓, ⅔ or 1), so that
 * the mean over the set is MaxBoxAccV2. {@link MaxBoxAcc} is the first version: the largest component only, one IoU.
 * It thresholds values, not ranks: a map's tie-break is ignored.
 */
public final class MaxBoxAccV2 {

    /** The IoU thresholds, in percent ({@code iou_threshold_list}). */
    public static final List<Integer> IOU_PERCENTS = List.of(30, 50, 70);

    /**
     * The result on a set of maps.
     *
     * @param accuracy MaxBoxAccV2: the mean over the IoU thresholds of the best accuracy
     * @param accuracyPerIou the best accuracy at each IoU threshold ({@link #IOU_PERCENTS})
     * @param thresholdPerIou the (first) threshold where each is reached
     * @param values per image, the mean over the IoU thresholds of its hit at that one's chosen threshold
     */
    public record Result(double accuracy, double[] accuracyPerIou, double[] thresholdPerIou, double[] values) {}

    /**
     * A box as wsolevaluation holds one: inclusive integer pixel coordinates, {@code x0 ≤ x1}, {@code y0 ≤ y1}.
     */
    public record PixelBox(int x0, int y0, int x1, int y1) {

        /**
         * A ground-truth box as the reference's {@code resize_bbox} leaves it: each coordinate truncated toward 0.
         */
        public static PixelBox of(Box box) {
            return new PixelBox((int) box.x0(), (int) box.y0(), (int) box.x1(), (int) box.y1());
        }

        /**
         * The IoU of {@code calculate_multiple_iou}: intersection and areas count inclusive pixel ranges (+1); 0 when
         * the union is not positive.
         */
        public double iou(PixelBox o) {
            long iw = Math.max(0, Math.min(x1, o.x1) - Math.max(x0, o.x0) + 1);
            long ih = Math.max(0, Math.min(y1, o.y1) - Math.max(y0, o.y0) + 1);
            long inter = iw * ih;
            long union = (long) (x1 - x0 + 1) * (y1 - y0 + 1) + (long) (o.x1 - o.x0 + 1) * (o.y1 - o.y0 + 1) - inter;
            return union <= 0 ? 0 : (double) inter / union;
        }
    }

    private final int thresholds;

    /** 100 thresholds ({@code cam_curve_interval = 0.01}). */
    public MaxBoxAccV2() {
        this(100);
    }

    /** @param thresholds number of thresholds τ = k/T, k = 0…T−1 */
    public MaxBoxAccV2(int thresholds) {
        this.thresholds = Inputs.positive("MaxBoxAccV2 thresholds", thresholds, "wsolevaluation uses 100 (interval "
                + "0.01)");
    }

    /** The number of thresholds. */
    public int thresholds() {
        return thresholds;
    }

    /** The thresholds, {@code k · (1/T)} as {@code np.arange(0, 1, 1/T)} computes them. */
    public double[] thresholdValues() {
        double interval = 1.0 / thresholds;
        double[] t = new double[thresholds];
        for (int k = 0; k < thresholds; k++) {
            t[k] = k * interval;
        }
        return t;
    }

    /**
     * Whether each map hits: {@code [image][iou][threshold]}, the IoU thresholds as {@link #IOU_PERCENTS}.
     *
     * @throws IllegalArgumentException when the lists differ in length or an image has no box
     */
    public boolean[][][] hitTable(List<SaliencyMap> maps, List<List<Box>> boxes) {
        if (maps.size() != boxes.size()) {
            throw new IllegalArgumentException("got " + maps.size() + " maps and " + boxes.size()
                    + " box lists; give one box list per map");
        }
        double[] ts = thresholdValues();
        boolean[][][] table = new boolean[maps.size()][IOU_PERCENTS.size()][ts.length];
        for (int i = 0; i < maps.size(); i++) {
            List<Box> gt = boxes.get(i);
            if (gt == null || gt.isEmpty()) {
                throw new IllegalArgumentException("MaxBoxAccV2 needs at least one ground-truth box per image (image "
                        + i + ")");
            }
            List<PixelBox> truth = gt.stream().map(PixelBox::of).toList();
            SaliencyMap map = maps.get(i);
            int[] u = eightBit(map);
            for (int k = 0; k < ts.length; k++) {
                double best = 0;
                for (PixelBox b : boxes(u, map.height(), map.width(), ts[k])) {
                    for (PixelBox g : truth) {
                        best = Math.max(best, b.iou(g));
                    }
                }
                for (int d = 0; d < IOU_PERCENTS.size(); d++) {
                    table[i][d][k] = best >= IOU_PERCENTS.get(d) / 100.0;
                }
            }
        }
        return table;
    }

    /** Evaluates a set of maps: per IoU threshold the first best threshold over the set. */
    public Result evaluate(List<SaliencyMap> maps, List<List<Box>> boxes) {
        return reduce(hitTable(maps, boxes));
    }

    /** The result of a hit table ({@link #hitTable}): per IoU threshold, the first threshold with the most hits. */
    public Result reduce(boolean[][][] table) {
        int n = table.length;
        int ious = IOU_PERCENTS.size();
        double[] ts = thresholdValues();
        double[] accuracy = new double[ious];
        double[] threshold = new double[ious];
        double[] values = new double[n];
        for (int d = 0; d < ious; d++) {
            int best = 0;
            int bestHits = -1;
            for (int k = 0; k < ts.length; k++) {
                int hits = 0;
                for (boolean[][] row : table) {
                    hits += row[d][k] ? 1 : 0;
                }
                if (hits > bestHits) {
                    bestHits = hits;
                    best = k;
                }
            }
            accuracy[d] = n == 0 ? 0 : (double) bestHits / n;
            threshold[d] = ts[best];
            for (int i = 0; i < n; i++) {
                values[i] += table[i][d][best] ? 1.0 / ious : 0;
            }
        }
        double mean = 0;
        for (double a : accuracy) {
            mean += a / ious;
        }
        return new Result(mean, accuracy, threshold, values);
    }

    /**
     * The map min-max normalised in double precision and truncated to 8 bits ({@code (scoremap * 255)
     * .astype(np.uint8)} after {@code normalize_scoremap}); a constant map gives zeros.
     */
    public static int[] eightBit(SaliencyMap map) {
        float[] v = map.values();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        int[] out = new int[v.length];
        if (hi > lo) {
            double range = hi - lo;
            for (int i = 0; i < v.length; i++) {
                out[i] = (int) (((v[i] - lo) / range) * 255);
            }
        }
        return out;
    }

    /**
     * The boxes of every contour of the 8-bit map ({@link #eightBit}) thresholded at {@code threshold}: one per
     * 8-connected component of pixels above {@code (int) (threshold · max)}, one per hole, in wsolevaluation's
     * convention; {@code (0, 0, 0, 0)} alone when no pixel is above.
     */
    public static List<PixelBox> boxes(int[] eightBit, int h, int w, double threshold) {
        int plane = h * w;
        if (eightBit.length != plane) {
            throw new IllegalArgumentException("a " + w + "x" + h + " map has " + plane + " values, got "
                    + eightBit.length);
        }
        int max = 0;
        for (int u : eightBit) {
            max = Math.max(max, u);
        }
        int cut = (int) (threshold * max);
        boolean[] on = new boolean[plane];
        boolean any = false;
        for (int p = 0; p < plane; p++) {
            on[p] = eightBit[p] > cut;
            any |= on[p];
        }
        List<PixelBox> out = new ArrayList<>();
        if (!any) {
            out.add(new PixelBox(0, 0, 0, 0));
            return out;
        }
        boolean[] seen = new boolean[plane];
        int[] stack = new int[plane];
        int[] box = new int[5];
        for (int start = 0; start < plane; start++) {
            if (seen[start]) {
                continue;
            }
            if (on[start]) {
                fill(on, true, seen, stack, start, h, w, 8, box);
                out.add(clip(box[0], box[1], box[2], box[3], h, w));
            } else {
                fill(on, false, seen, stack, start, h, w, 4, box);
                if (box[4] == 0) { // a hole: its contour runs through the kept pixels around it
                    out.add(clip(box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1, h, w));
                }
            }
        }
        return out;
    }

    /** A box of pixels x0…xMax, y0…yMax as the reference writes it: far edge + 1, clipped to width − 1. */
    private static PixelBox clip(int x0, int y0, int xMax, int yMax, int h, int w) {
        return new PixelBox(x0, y0, Math.min(xMax + 1, w - 1), Math.min(yMax + 1, h - 1));
    }

    /**
     * Marks the component of {@code start} among the pixels whose {@code on} is {@code value}, with 8- or
     * 4-connectivity; {@code box} receives its min x, min y, max x, max y and 1 when it touches the image border.
     */
    private static void fill(boolean[] on, boolean value, boolean[] seen, int[] stack, int start, int h, int w,
            int connectivity, int[] box) {
        int minX = w;
        int minY = h;
        int maxX = -1;
        int maxY = -1;
        boolean border = false;
        int top = 0;
        stack[top++] = start;
        seen[start] = true;
        while (top > 0) {
            int p = stack[--top];
            int y = p / w;
            int x = p % w;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
            border |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            for (int dy = -1; dy <= 1; dy++) {
                int ny = y + dy;
                if (ny < 0 || ny >= h) {
                    continue;
                }
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    if (nx < 0 || nx >= w || (dx == 0 && dy == 0) || (connectivity == 4 && dx != 0 && dy != 0)) {
                        continue;
                    }
                    int q = ny * w + nx;
                    if (!seen[q] && on[q] == value) {
                        seen[q] = true;
                        stack[top++] = q;
                    }
                }
            }
        }
        box[0] = minX;
        box[1] = minY;
        box[2] = maxX;
        box[3] = maxY;
        box[4] = border ? 1 : 0;
    }
}
