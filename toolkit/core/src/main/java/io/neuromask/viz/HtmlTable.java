package io.neuromask.viz;

import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Renders a Tablesaw {@link Table} as an HTML {@code <table>} for notebooks. */
final class HtmlTable {

    private HtmlTable() {}

    /**
     * The table as HTML with the given CSS class; double columns whose name starts with "time" get 2
     * decimals, other double columns 4, NaN shows as "–".
     */
    public static String render(Table table, String cssClass) {
        return render(table, cssClass, c -> c);
    }

    /** {@link #render(Table, String)} with each column's heading given by {@code heading} of its name. */
    static String render(Table table, String cssClass, java.util.function.UnaryOperator<String> heading) {
        StringBuilder s = new StringBuilder("<table class=\"").append(escape(cssClass)).append("\">\n<thead><tr>");
        for (String c : table.columnNames()) {
            s.append("<th>").append(escape(heading.apply(c))).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.rowCount(); r++) {
            s.append("<tr>");
            for (Column<?> c : table.columns()) {
                s.append("<td>").append(escape(format(c, r))).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</tbody>\n</table>").toString();
    }

    private static String format(Column<?> c, int row) {
        if (c instanceof DoubleColumn d) {
            double v = d.getDouble(row);
            if (Double.isNaN(v)) {
                return "–";
            }
            return String.format(Locale.ROOT, c.name().startsWith("time") ? "%.2f" : "%.4f", v);
        }
        return c.getString(row);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
