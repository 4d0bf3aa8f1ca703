package io.neuromask.metrics;

import io.neuromask.data.Box;
import io.neuromask.base.SaliencyMap;
import io.neuromask.internal.Inputs;
import java.util.List;

/**
 * MaxBoxAcc, the weakly-supervised object localisation metric of clovaai/wsolevaluation (Choe et al.,
 * CVPR 2020). Each map is min-max normalised to [0, 1]; at each threshold τ ∈ {0, 1/T, …, (T−1)/T}
 * (T = 100 by default, wsolevaluation's {@code cam_curve_interval = 0.01}) the pixels with value
 * {@code > τ} are kept, the largest 8-connected component is boxed, and the image is a hit when that
 * box has IoU ≥ δ (0.5) with any ground-truth box. The score is the best accuracy over the
 * thresholds, with the threshold chosen on the whole set.
 *
 * <p>It thresholds values, not ranks: a map's tie-break ({@link SaliencyMap#withTieBreak}) is ignored, since
 * pixels of equal value fall on the same side of every threshold whatever their order.
 */
public final class MaxBoxAcc {

    /** The result on a set of maps. */
    public record Result(double accuracy, double threshold, double[] accuracyPerThreshold, boolean[] hits) {

        /** Per-image hits at the best threshold as 0/1, e.g. for a confidence interval. */
        public double[] hitValues() {
            double[] v = new double[hits.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = hits[i] ? 1 : 0;
            }
            return v;
        }
    }

    private final int thresholds;
    private final double iou;

    /** 100 thresholds, IoU 0.5. */
    public MaxBoxAcc() {
        this(100, 0.5);
    }

    /**
     * @param thresholds number of thresholds, evenly spaced in [0, 1)
     * @param iou the IoU a box needs to count as a hit, in (0, 1]
     */
    public MaxBoxAcc(int thresholds, double iou) {
        this.thresholds = Inputs.positive("MaxBoxAcc thresholds", thresholds, "wsolevaluation uses 100");
        if (!(iou > 0 && iou <= 1)) {
            throw new IllegalArgumentException("MaxBoxAcc IoU must be in (0, 1], got " + iou + "; 0.5 is the standard");
        }
        this.iou = iou;
    }

    /** The number of thresholds, evenly spaced in [0, 1). */
    public int thresholds() {
        return thresholds;
    }

    /** The IoU a box needs to count as a hit. */
    public double iou() {
        return iou;
    }

    /** The threshold values. */
    public double[] thresholdValues() {
        double[] t = new double[thresholds];
        for (int k = 0; k < thresholds; k++) {
            t[k] = (double) k / thresholds;
        }
        return t;
    }

    /** Whether each map hits at each threshold: {@code [image][threshold]}. */
    public boolean[][] hitTable(List<SaliencyMap> maps, List<List<Box>> boxes) {
        if (maps.size() != boxes.size()) {
            throw new IllegalArgumentException("got " + maps.size() + " maps and " + boxes.size()
                    + " box lists; give one box list per map");
        }
        double[] ts = thresholdValues();
        boolean[][] table = new boolean[maps.size()][ts.length];
        for (int i = 0; i < maps.size(); i++) {
            List<Box> gt = boxes.get(i);
            if (gt == null || gt.isEmpty()) {
                throw new IllegalArgumentException("MaxBoxAcc needs at least one ground-truth box per image (image " + i + ")");
            }
            float[] v = maps.get(i).normalized().values();
            int h = maps.get(i).height();
            int w = maps.get(i).width();
            for (int k = 0; k < ts.length; k++) {
                Box box = largestComponentBox(v, h, w, ts[k]);
                if (box != null) {
                    for (Box g : gt) {
                        if (box.iou(g) >= iou) {
                            table[i][k] = true;
                            break;
                        }
                    }
                }
            }
        }
        return table;
    }

    /** Evaluates a set of maps; the first best threshold wins ties. */
    public Result evaluate(List<SaliencyMap> maps, List<List<Box>> boxes) {
        boolean[][] table = hitTable(maps, boxes);
        double[] ts = thresholdValues();
        double[] acc = new double[ts.length];
        int best = 0;
        for (int k = 0; k < ts.length; k++) {
            int hits = 0;
            for (boolean[] row : table) {
                hits += row[k] ? 1 : 0;
            }
            acc[k] = maps.isEmpty() ? 0 : (double) hits / maps.size();
            if (acc[k] > acc[best]) {
                best = k;
            }
        }
        boolean[] hits = new boolean[maps.size()];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = table[i][best];
        }
        return new Result(acc[best], ts[best], acc, hits);
    }

    /**
     * The box around the largest 8-connected component of pixels with value {@code > threshold}
     * (ties: the component found first in row-major order), or {@code null} when no pixel passes.
     * Pixel boxes are exclusive at the far edge: a single pixel (x, y) gives (x, y, x+1, y+1).
     */
    public static Box largestComponentBox(float[] values, int h, int w, double threshold) {
        float t = (float) threshold; // compare in float: 0.6f is not above a threshold of 0.6
        int[] label = new int[h * w];
        int[] stack = new int[h * w];
        int next = 0;
        int bestSize = 0;
        int[] bestBox = null;
        for (int start = 0; start < h * w; start++) {
            if (label[start] != 0 || !(values[start] > t)) {
                continue;
            }
            next++;
            int size = 0;
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int p = stack[--top];
                size++;
                int py = p / w;
                int px = p % w;
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= w) {
                            continue;
                        }
                        int q = ny * w + nx;
                        if (label[q] == 0 && values[q] > t) {
                            label[q] = next;
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (size > bestSize) {
                bestSize = size;
                bestBox = new int[] {minX, minY, maxX + 1, maxY + 1};
            }
        }
        return bestBox == null ? null : new Box(bestBox[0], bestBox[1], bestBox[2], bestBox[3]);
    }
}
