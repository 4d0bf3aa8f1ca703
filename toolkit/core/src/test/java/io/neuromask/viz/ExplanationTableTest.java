package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ExplanationTableTest {

    @Test
    void oneRowPerExplanationWithTheIssueColumns() {
        Explanation e = Fixtures.halfMask(4, 0, 0, 0);
        ExplanationTable t = ExplanationTable.builder()
                .labels(List.of("a", "b", "c", "cat", "e", "f"))
                .add("img-7", "dog", e)
                .build();
        Table table = t.table();
        assertEquals(ExplanationTable.COLUMNS, table.columnNames());
        assertEquals(1, table.rowCount());
        assertEquals("img-7", table.stringColumn("image id").get(0));
        assertEquals("dog", table.stringColumn("true class").get(0));
        assertEquals("cat", table.stringColumn("predicted class").get(0));
        assertEquals(0.91, table.doubleColumn("p(target) before").get(0), 1e-12);
        assertEquals(0.42, table.doubleColumn("p(target) after").get(0), 1e-12);
        assertEquals(0.5, table.doubleColumn("mask mean").get(0), 1e-12);
        assertEquals(40, table.intColumn("iterations").get(0));
        assertEquals(1.25, table.doubleColumn("time (s)").get(0), 1e-12);
    }

    @Test
    void htmlIsEscapedAndFormatted() {
        ExplanationTable t = ExplanationTable.of(List.of(Fixtures.halfMask(4, 0, 0, 0)));
        String html = t.toHtml();
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<th>p(target) before</th>"), html);
        assertTrue(html.contains("<td>cat&lt;3&gt;</td>"), "predicted = target, shown by its escaped label: " + html);
        assertTrue(html.contains("<td>0.9100</td>") && html.contains("<td>1.25</td>"), html);
        assertEquals(2, html.split("<tr>").length - 1, "a header row and one data row");
    }
}
