package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A Tablesaw table of explanations, one row each, with the columns {@link #COLUMNS}, rendered as HTML
 * for notebooks by {@link #toHtml()}.
 *
 * <pre>{@code
 * ExplanationTable t = ExplanationTable.builder().labels(model.labels()).add("img-0", "cat", e).build();
 * Table table = t.table();   // Tablesaw: filter, sort, summarise
 * }</pre>
 */
public final class ExplanationTable {

    /** Column names, in order. */
    public static final List<String> COLUMNS = List.of("image id", "true class", "predicted class",
            "p(target) before", "p(target) after", "mask mean", "iterations", "time (s)");

    private final Table table;

    private ExplanationTable(Table table) {
        this.table = table;
    }

    /** Starts an empty table. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A table of explanations with image ids {@code 0, 1, ...}, an empty true class, and the predicted
     * class shown by its label when it is the target, by its index otherwise.
     */
    public static ExplanationTable of(List<Explanation> explanations) {
        Builder b = builder();
        for (int i = 0; i < explanations.size(); i++) {
            b.add(Integer.toString(i), "", explanations.get(i));
        }
        return b.build();
    }

    /** The Tablesaw table (a copy). */
    public Table table() {
        return table.copy();
    }

    /** Number of rows. */
    public int rowCount() {
        return table.rowCount();
    }

    /** An HTML {@code <table>}; probabilities and mask means with 4 decimals, times with 2. */
    public String toHtml() {
        return HtmlTable.render(table, "neuromask-explanations");
    }

    @Override
    public String toString() {
        return table.print();
    }

    /** Builds an {@link ExplanationTable}. */
    public static final class Builder {
        private final List<String> ids = new ArrayList<>();
        private final List<String> truths = new ArrayList<>();
        private final List<Explanation> explanations = new ArrayList<>();
        private List<String> labels;

        private Builder() {}

        /** Class labels of the model, used to name the predicted class (e.g. {@code model.labels()}). */
        public Builder labels(List<String> labels) {
            this.labels = List.copyOf(labels);
            return this;
        }

        /** Adds one explanation with its image id and true class (empty when unknown). */
        public Builder add(String imageId, String trueClass, Explanation explanation) {
            ids.add(imageId);
            truths.add(trueClass == null ? "" : trueClass);
            explanations.add(explanation);
            return this;
        }

        public ExplanationTable build() {
            Table t = Table.create("explanations");
            StringColumn id = StringColumn.create(COLUMNS.get(0));
            StringColumn truth = StringColumn.create(COLUMNS.get(1));
            StringColumn predicted = StringColumn.create(COLUMNS.get(2));
            DoubleColumn before = DoubleColumn.create(COLUMNS.get(3));
            DoubleColumn after = DoubleColumn.create(COLUMNS.get(4));
            DoubleColumn mean = DoubleColumn.create(COLUMNS.get(5));
            IntColumn iterations = IntColumn.create(COLUMNS.get(6));
            DoubleColumn time = DoubleColumn.create(COLUMNS.get(7));
            for (int i = 0; i < explanations.size(); i++) {
                Explanation e = explanations.get(i);
                id.append(ids.get(i));
                truth.append(truths.get(i));
                predicted.append(label(e.predictedOriginal(), e));
                before.append(e.probabilityOriginal());
                after.append(e.probabilityMasked());
                mean.append(e.maskMean());
                iterations.append(e.iterations());
                time.append(e.wallTime().toNanos() / 1e9);
            }
            t.addColumns(id, truth, predicted, before, after, mean, iterations, time);
            return new ExplanationTable(t);
        }

        private String label(int index, Explanation e) {
            if (labels != null && index >= 0 && index < labels.size()) {
                return labels.get(index);
            }
            return index == e.target() ? e.targetLabel() : Integer.toString(index);
        }
    }
}
