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

    static final List<Metric> ALL = List.of(new DeletionAuc(), new InsertionAuc(), new Pointing(), new Energy(),
            new MaxBoxAccHits(), new GiniIndex(), new ClassPreserved(), new MaskArea());

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

    /** Deletion and insertion of one batch, computed once for both. */
    private static DeletionInsertion.Scores curves(MetricBatch b) {
        return b.shared("deletion-insertion", () -> b.deletionInsertion().evaluate(b.images(), b.maps(),
                b.classes()));
    }

    static final class DeletionAuc extends Base {
        DeletionAuc() {
            super("deletion_auc", Direction.LOWER_IS_BETTER, Category.FAITHFULNESS, EnumSet.of(Need.MODEL),
                    "deletion AUC: the target's probability as the most salient pixels are deleted (RISE)");
        }

        @Override
        public boolean ranksPixels() {
            return true;
        }

        @Override
        public double[] score(MetricBatch batch) {
            return curves(batch).deletion().clone();
        }
    }

    static final class InsertionAuc extends Base {
        InsertionAuc() {
            super("insertion_auc", Direction.HIGHER_IS_BETTER, Category.FAITHFULNESS, EnumSet.of(Need.MODEL),
                    "insertion AUC: the target's probability as the most salient pixels are put back into a blurred "
                            + "copy (RISE)");
        }

        @Override
        public boolean ranksPixels() {
            return true;
        }

        @Override
        public double[] score(MetricBatch batch) {
            return curves(batch).insertion().clone();
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
