package io.neuromask.metrics;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The metrics of {@code neuromask evaluate}, in the order of its columns ({@link Metrics#builtIns()}): each is a few
 * lines around the class that computes it.
 */
final class BuiltInMetrics {

    private BuiltInMetrics() {}

    static final List<Metric> ALL = List.of(new DeletionAuc(), new InsertionAuc(), new RoadMorfAuc(),
            new RoadLerfAuc(), new Pointing(), new Energy(), new MaxBoxAccHits(), new MaxBoxAccV2Hits(),
            new GiniIndex(), new ClassPreserved(), new MaskArea());

    /** The fields every metric here shares. */
    private abstract static class Base implements Metric {
        private final String name;
        private final Direction direction;
        private final Category category;
        private final Set<Need> needs;
        private final String description;

        Base(String name, Direction direction, Category category, Set<Need> needs, String description) {
            this.name = name;
            this.direction = direction;
            this.category = category;
            this.needs = Set.copyOf(needs);
            this.description = description;
        }

        @Override
        public final String name() {
            return name;
        }

        @Override
        public final Direction direction() {
            return direction;
        }

        @Override
        public final Category category() {
            return category;
        }

        @Override
        public final Set<Need> needs() {
            return needs;
        }

        @Override
        public final String description() {
            return description;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * One of a pair of curves computed once for both (deletion and insertion, ROAD's two orders): the target's
     * probability as pixels change in the map's order, so it ranks pixels, needs the model and measures faithfulness;
     * its {@link Metric#group()} is the pair's, its key in {@link MetricBatch#shared}.
     */
    private abstract static class Curve extends Base {
        private final String group;

        Curve(String group, String name, Direction direction, String description) {
            super(name, direction, Category.FAITHFULNESS, EnumSet.of(Need.MODEL), description);
            this.group = group;
        }

        @Override
        public final String group() {
            return group;
        }

        @Override
        public final boolean ranksPixels() {
            return true;
        }
    }

    /** The {@link Metric#group()} of deletion and insertion AUC, and their key in {@link MetricBatch#shared}. */
    private static final String DELETION_INSERTION = "deletion-insertion";

    /** The {@link Metric#group()} of ROAD's two orders, and their key in {@link MetricBatch#shared}. */
    private static final String ROAD = "road-morf-lerf";

    /** Deletion and insertion of one batch, computed once for both. */
    private static DeletionInsertion.Scores curves(MetricBatch b) {
        return b.shared(DELETION_INSERTION, () -> b.deletionInsertion().evaluate(b.images(), b.maps(),
                b.classes()));
    }

    static final class DeletionAuc extends Curve {
        DeletionAuc() {
            super(DELETION_INSERTION, "deletion_auc", Direction.LOWER_IS_BETTER,
                    "deletion AUC: the target's probability as the most salient pixels are deleted (RISE)");
        }

        @Override
        public double[] score(MetricBatch batch) {
            return curves(batch).deletion().clone();
        }
    }

    static final class InsertionAuc extends Curve {
        InsertionAuc() {
            super(DELETION_INSERTION, "insertion_auc", Direction.HIGHER_IS_BETTER,
                    "insertion AUC: the target's probability as the most salient pixels are put back into a blurred "
                            + "copy (RISE)");
        }

        @Override
        public double[] score(MetricBatch batch) {
            return curves(batch).insertion().clone();
        }
    }

    /** ROAD's two orders of one batch, computed once for both. */
    private static Road.Scores road(MetricBatch b) {
        return b.shared(ROAD, () -> b.road().evaluate(b.images(), b.maps(), b.classes()));
    }

    static final class RoadMorfAuc extends Curve {
        RoadMorfAuc() {
            super(ROAD, "road_morf_auc", Direction.LOWER_IS_BETTER,
                    "ROAD MoRF AUC: the target's probability as the most salient pixels are removed and filled in by "
                            + "noisy linear imputation (Rong et al.)");
        }

        @Override
        public double[] score(MetricBatch batch) {
            return road(batch).morf().clone();
        }
    }

    static final class RoadLerfAuc extends Curve {
        RoadLerfAuc() {
            super(ROAD, "road_lerf_auc", Direction.HIGHER_IS_BETTER,
                    "ROAD LeRF AUC: the target's probability as the least salient pixels are removed and filled in "
                            + "by noisy linear imputation (Rong et al.)");
        }

        @Override
        public double[] score(MetricBatch batch) {
            return road(batch).lerf().clone();
        }
    }

    static final class Pointing extends Base {
        Pointing() {
            super("pointing_game", Direction.HIGHER_IS_BETTER, Category.LOCALISATION, EnumSet.of(Need.BOXES),
                    "pointing game: whether the map's maximum lies within the tolerance of a box (TorchRay)");
        }

        @Override
        public boolean ranksPixels() {
            return true;
        }

        @Override
        public boolean binary() {
            return true;
        }

        @Override
        public double[] score(MetricBatch batch) {
            double[] out = new double[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = batch.pointingGame().hit(batch.maps().get(i), batch.boxes().get(i)) ? 1 : 0;
            }
            return out;
        }
    }

    static final class Energy extends Base {
        Energy() {
            super("energy_pointing_game", Direction.HIGHER_IS_BETTER, Category.LOCALISATION, EnumSet.of(Need.BOXES),
                    "energy pointing game: the share of the map's positive mass inside the boxes (Score-CAM)");
        }

        @Override
        public double[] score(MetricBatch batch) {
            double[] out = new double[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = EnergyPointingGame.score(batch.maps().get(i), batch.boxes().get(i));
            }
            return out;
        }
    }

    /** MaxBoxAcc: per image the hit at each threshold, the threshold chosen over the set. */
    static final class MaxBoxAccHits extends Base implements SetMetric {
        MaxBoxAccHits() {
            super(Metrics.MAX_BOX_ACC, Direction.HIGHER_IS_BETTER, Category.LOCALISATION, EnumSet.of(Need.BOXES),
                    "MaxBoxAcc: whether the box around the map's largest component above the threshold chosen over "
                            + "the set overlaps a box (IoU ≥ 0.5; Choe et al.)");
        }

        @Override
        public boolean binary() {
            return true;
        }

        @Override
        public String recordName() {
            return "max_box_acc_hits";
        }

        @Override
        public String[] records(MetricBatch batch) {
            boolean[][] table = batch.maxBoxAcc().hitTable(batch.maps(), batch.boxes());
            String[] out = new String[table.length];
            for (int i = 0; i < table.length; i++) {
                StringBuilder b = new StringBuilder(table[i].length);
                for (boolean h : table[i]) {
                    b.append(h ? '1' : '0');
                }
                out[i] = b.toString();
            }
            return out;
        }

        @Override
        public String recordProblem(String record, Scorer scorer) {
            int thresholds = scorer.maxBoxAcc().thresholds();
            return record.length() == thresholds && record.chars().allMatch(c -> c == '0' || c == '1') ? null
                    : recordName() + " must be " + thresholds + " characters 0 or 1";
        }

        /** The first threshold with the most hits, as {@link MaxBoxAcc#evaluate} picks it; each image's hit there. */
        @Override
        public Reduction reduce(List<String> records) {
            int[] hits = null;
            for (String r : records) {
                if (r == null) {
                    continue;
                }
                if (hits == null) {
                    hits = new int[r.length()];
                } else if (r.length() != hits.length) {
                    throw new IllegalArgumentException(recordName() + " have " + r.length() + " and " + hits.length
                            + " thresholds; the records mix MaxBoxAcc settings");
                }
                for (int k = 0; k < r.length(); k++) {
                    hits[k] += r.charAt(k) == '1' ? 1 : 0;
                }
            }
            double[] values = new double[records.size()];
            java.util.Arrays.fill(values, Double.NaN);
            if (hits == null) {
                return new Reduction(values, Double.NaN);
            }
            int best = 0;
            for (int k = 1; k < hits.length; k++) {
                if (hits[k] > hits[best]) {
                    best = k;
                }
            }
            for (int i = 0; i < values.length; i++) {
                String r = records.get(i);
                if (r != null) {
                    values[i] = r.charAt(best) == '1' ? 1 : 0;
                }
            }
            return new Reduction(values, new MaxBoxAcc(hits.length, 0.5).thresholdValues()[best]);
        }
    }

    /**
     * MaxBoxAccV2: per image the hit at each threshold for each IoU threshold (30, 50, 70 %), the thresholds chosen
     * over the set, one per IoU threshold.
     */
    static final class MaxBoxAccV2Hits extends Base implements SetMetric {
        MaxBoxAccV2Hits() {
            super("max_box_acc_v2", Direction.HIGHER_IS_BETTER, Category.LOCALISATION, EnumSet.of(Need.BOXES),
                    "MaxBoxAccV2: whether a box around any contour of the map above the threshold chosen over the set "
                            + "overlaps a box, averaged over IoU 0.3, 0.5 and 0.7 (Choe et al., wsolevaluation)");
        }

        @Override
        public String recordName() {
            return "max_box_acc_v2_hits";
        }

        /** Per image the hits at every threshold for IoU 30 %, then for 50 %, then for 70 %, as 0/1. */
        @Override
        public String[] records(MetricBatch batch) {
            boolean[][][] table = batch.maxBoxAccV2().hitTable(batch.maps(), batch.boxes());
            String[] out = new String[table.length];
            for (int i = 0; i < table.length; i++) {
                StringBuilder b = new StringBuilder();
                for (boolean[] perIou : table[i]) {
                    for (boolean h : perIou) {
                        b.append(h ? '1' : '0');
                    }
                }
                out[i] = b.toString();
            }
            return out;
        }

        @Override
        public String recordProblem(String record, Scorer scorer) {
            int length = MaxBoxAccV2.IOU_PERCENTS.size() * scorer.maxBoxAcc().thresholds();
            return record.length() == length && record.chars().allMatch(c -> c == '0' || c == '1') ? null
                    : recordName() + " must be " + length + " characters 0 or 1 (the hits at each threshold for IoU "
                            + "30, 50 and 70 %)";
        }

        /**
         * Per IoU threshold the first threshold with the most hits, as {@link MaxBoxAccV2#reduce} picks it; each
         * image's mean hit there. The setting is the threshold chosen for IoU 0.5.
         */
        @Override
        public Reduction reduce(List<String> records) {
            int ious = MaxBoxAccV2.IOU_PERCENTS.size();
            List<boolean[][]> rows = new java.util.ArrayList<>();
            int length = -1;
            for (String r : records) {
                if (r == null) {
                    continue;
                }
                if (length < 0) {
                    length = r.length();
                } else if (r.length() != length) {
                    throw new IllegalArgumentException(recordName() + " have " + r.length() + " and " + length
                            + " characters; the records mix MaxBoxAccV2 settings");
                }
                if (length % ious != 0 || length == 0) {
                    throw new IllegalArgumentException(recordName() + " has " + length + " characters, not "
                            + ious + " equal blocks (IoU 30, 50, 70 %)");
                }
                int t = length / ious;
                boolean[][] row = new boolean[ious][t];
                for (int d = 0; d < ious; d++) {
                    for (int k = 0; k < t; k++) {
                        row[d][k] = r.charAt(d * t + k) == '1';
                    }
                }
                rows.add(row);
            }
            double[] values = new double[records.size()];
            java.util.Arrays.fill(values, Double.NaN);
            if (rows.isEmpty()) {
                return new Reduction(values, Double.NaN);
            }
            MaxBoxAccV2 metric = new MaxBoxAccV2(length / ious);
            MaxBoxAccV2.Result result = metric.reduce(rows.toArray(new boolean[0][][]));
            for (int i = 0, j = 0; i < values.length; i++) {
                if (records.get(i) != null) {
                    values[i] = result.values()[j++];
                }
            }
            return new Reduction(values, result.thresholdPerIou()[MaxBoxAccV2.IOU_PERCENTS.indexOf(50)]);
        }
    }

    static final class GiniIndex extends Base {
        GiniIndex() {
            super("gini", Direction.HIGHER_IS_BETTER, Category.COMPLEXITY, EnumSet.noneOf(Need.class),
                    "Gini index of the absolute map values: sparseness (Chalasani et al.)");
        }

        @Override
        public double[] score(MetricBatch batch) {
            double[] out = new double[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Gini.index(batch.maps().get(i));
            }
            return out;
        }
    }

    static final class ClassPreserved extends Base {
        ClassPreserved() {
            super("class_preserved", Direction.HIGHER_IS_BETTER, Category.FAITHFULNESS, EnumSet.of(Need.MODEL),
                    "whether the model still predicts the class on the image times the min-max normalised map");
        }

        @Override
        public boolean binary() {
            return true;
        }

        @Override
        public double[] score(MetricBatch batch) {
            boolean[] kept = MaskMetrics.classPreserved(batch.model(), batch.images(), batch.maps(), batch.classes(),
                    batch.batchSize());
            double[] out = new double[kept.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = kept[i] ? 1 : 0;
            }
            return out;
        }
    }

    static final class MaskArea extends Base {
        MaskArea() {
            super("mask_area", Direction.LOWER_IS_BETTER, Category.COMPLEXITY, EnumSet.noneOf(Need.class),
                    "mean of the min-max normalised map: the share of the image it keeps");
        }

        @Override
        public double[] score(MetricBatch batch) {
            double[] out = new double[batch.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = MaskMetrics.area(batch.maps().get(i));
            }
            return out;
        }
    }
}
