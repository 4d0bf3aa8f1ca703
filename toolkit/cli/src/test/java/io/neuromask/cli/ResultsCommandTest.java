package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.TestMirror;
import io.neuromask.kernel.ToolkitClasspath;
import io.neuromask.metrics.SyntheticResults;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code neuromask results}: the committed tables of docs/results.md are what the committed results files give, its
 * {@code --json} is what {@code evaluate --resume FILE --json} prints for the same file, and on the hand-written file
 * of {@link SyntheticResults} the tables, ranges, marker regions and refusals.
 */
class ResultsCommandTest {

    private static final Path ROOT = Path.of(System.getProperty("neuromask.projectRoot", "../.."));

    /**
     * {@code results --check docs/results.md} passes: every generated table of the document is what its results file
     * gives now. Run as the command line runs it, in a JVM of its own on the toolkit's class path without the test
     * classes (whose extension metric would add a column note that the real command does not print).
     */
    @Test
    void theTablesOfDocsResultsAreWhatTheCommittedResultsFilesGive() throws Exception {
        Path doc = ROOT.resolve("docs/results.md").toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ToolkitClasspath.current().stream().map(Path::toString)
                        .filter(p -> !p.contains("test-classes") && !p.endsWith("-tests.jar"))
                        .collect(Collectors.joining(File.pathSeparator)),
                "io.neuromask.cli.Main", "results", "--check", doc.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), "docs/results.md's tables are stale or edited by hand; regenerate them from the "
                + "repository's root with ./neuromask results --update docs/results.md\n" + out);
        Matcher m = Pattern.compile("its (\\d+) tables are what").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Integer.parseInt(m.group(1)) >= 6, "the document's tables were found: " + out);
    }

    /**
     * The JSON of {@code results FILE --json} is, key for key and number for number, what {@code evaluate --resume
     * FILE --json} prints when it resumes a complete committed file with the command line that wrote it (the model
     * and data from the mirror load, nothing is computed), but for the device, which a results file does not
     * record; the file is left as it was.
     */
    @Test
    void itsJsonIsWhatEvaluateResumePrints(@TempDir Path dir) throws Exception {
        Path original = ROOT.resolve("models/results/imagenet-squeezenet1.1-timing-25.jsonl");
        Path copy = dir.resolve("timing-25.jsonl");
        Files.copy(original, copy);
        TestMirror.path();
        String[] evaluate = InProcessCli.run("evaluate", "--model", "imagenet-squeezenet1.1", "--data",
                "imagenet-val-sample", "--limit", "25", "--chunk", "25", "--batch", "25", "--step-fraction", "0.05",
                "--rise-masks", "500", "--methods", "rise", "--objective", "neuromask", "--preset",
                "faithful-imagenet", "--device", "cpu", "--resume", copy.toString(), "--json");
        assertEquals("0", evaluate[0], evaluate[2]);
        assertTrue(evaluate[2].contains("resuming: 25 of 25 images of neuromask already done"), evaluate[2]);
        String[] results = InProcessCli.run("results", copy.toString(), "--json");
        assertEquals("0", results[0], results[2]);
        JsonObject expected = JsonParser.parseString(evaluate[1]).getAsJsonObject();
        JsonObject actual = JsonParser.parseString(results[1]).getAsJsonObject();
        assertTrue(expected.remove("device") != null, "evaluate names the device");
        expected.remove("mask_objectives");
        assertEquals(copy.toString(), actual.remove("file").getAsString());
        assertEquals(expected, actual);
        assertEquals(3, actual.getAsJsonArray("methods").size());
        assertEquals(Files.readString(original), Files.readString(copy), "neither command changed the file");
    }

    @Test
    void printsATableOfAFileInTextOrMarkdown(@TempDir Path dir) throws Exception {
        Path toy = SyntheticResults.write(dir.resolve("toy.jsonl"));
        String[] md = InProcessCli.run("results", toy.toString(), "--markdown");
        assertEquals("0", md[0], md[2]);
        assertTrue(md[1].startsWith("`toy` on `toy-data`, 3 images: per method the mean [95 % t-interval]"), md[1]);
        assertTrue(md[1].contains("| a | 3 | 2.000 | **0.200 [-0.048, 0.448]** | **0.800 [0.552, 1.048]** | — |"),
                md[1]);
        assertTrue(md[1].contains("| a | 0.333 [-1.101, 1.768] | 0.250 [0.126, 0.374] \\* |"), md[1]);
        String[] text = InProcessCli.run("results", toy.toString());
        assertEquals("0", text[0], text[2]);
        assertTrue(text[1].contains("0.200 [-0.048, 0.448] ◆"), text[1]);
        assertTrue(!text[1].contains("|"), "aligned text, not Markdown");
        // images 1 and 2, b before a: b has image 1 only (one value, no interval); a's deletion 0.2, 0.3
        String[] range = InProcessCli.run("results", toy.toString(), "--images", "1-2", "--methods", "b,a",
                "--markdown");
        assertEquals("0", range[0], range[2]);
        assertTrue(range[1].contains("| b | 1 | 1.500 | 0.600 |"), range[1]);
        assertTrue(range[1].contains("| a | 2 | 2.500 | **0.250 [-0.385, 0.885]** |"), range[1]);
        assertTrue(range[1].indexOf("| b |") < range[1].indexOf("| a |"), range[1]);
        assertTrue(range[1].contains("Images 1 to 2 of the file."), range[1]);
        String[] later = InProcessCli.run("results", toy.toString(), "--images", "2-");
        assertTrue(later[1].contains("Images 2 to the last of the file; no results there: b."), later[1]);
        String[] two = InProcessCli.run("results", toy.toString(), toy.toString());
        assertEquals("0", two[0], two[2]);
        assertEquals(2, two[1].split(Pattern.quote(toy.toString()), -1).length - 1, "each file named: " + two[1]);
    }

    @Test
    void badArgumentsAreRefusedNamingTheFix(@TempDir Path dir) throws Exception {
        Path toy = SyntheticResults.write(dir.resolve("toy.jsonl"));
        assertRefused("no results file given", "results");
        assertRefused("give one FILE", "results", toy.toString(), toy.toString(), "--json");
        assertRefused("ends before it starts", "results", toy.toString(), "--images", "5-2");
        assertRefused("is not a range of image indices", "results", toy.toString(), "--images", "first");
        assertRefused("holds no method 'gradcam'; it holds a,b,center", "results", toy.toString(), "--methods",
                "gradcam");
        assertRefused("does not exist", "results", dir.resolve("nothing.jsonl").toString());
        assertRefused("not both", "results", "--update", "a.md", "--check", "a.md");
        assertRefused("from DOC's marker lines", "results", toy.toString(), "--update", "a.md");
    }

    /**
     * {@code --update} rewrites the lines between the markers alone (the prose byte for byte as it was), the same
     * table {@code results FILE --markdown} prints; {@code --check} then passes, and fails on a hand edit, naming the
     * table's line.
     */
    @Test
    void updateRewritesTheMarkedTablesAloneAndCheckCatchesAHandEdit(@TempDir Path dir) throws Exception {
        SyntheticResults.write(dir.resolve("toy.jsonl"));
        Path doc = dir.resolve("doc.md");
        String before = "# Results\n\nProse with a | pipe and <!-- a comment -->.\n\n";
        String middle = "\n\nMore prose, kept as it is.\n\n";
        String after = "\nThe end, without a final newline";
        Files.writeString(doc, before + "<!-- results: toy.jsonl -->\nan old table\n<!-- /results -->" + middle
                + "<!-- results: toy.jsonl --images 0-0 --methods center -->\n<!-- /results -->" + after);
        String[] update = InProcessCli.run("results", "--update", doc.toString());
        assertEquals("0", update[0], update[2]);
        assertTrue(update[1].contains("2 tables, 2 changed"), update[1]);
        String whole = InProcessCli.run("results", dir.resolve("toy.jsonl").toString(), "--markdown")[1];
        String first = InProcessCli.run("results", dir.resolve("toy.jsonl").toString(), "--markdown", "--images",
                "0-0", "--methods", "center")[1];
        String expected = before + "<!-- results: toy.jsonl -->\n" + whole + "<!-- /results -->" + middle
                + "<!-- results: toy.jsonl --images 0-0 --methods center -->\n" + first + "<!-- /results -->" + after;
        assertEquals(expected, Files.readString(doc));
        String[] check = InProcessCli.run("results", "--check", doc.toString());
        assertEquals("0", check[0], check[1] + check[2]);
        String[] again = InProcessCli.run("results", "--update", doc.toString());
        assertTrue(again[1].contains("2 tables, 0 changed"), again[1]);
        // a hand edit of the second table
        Files.writeString(doc, expected.replace("| center | 1 | 0.000 | **0.500** |",
                "| center | 1 | 0.000 | **0.400** |"));
        String[] stale = InProcessCli.run("results", "--check", doc.toString());
        assertEquals("1", stale[0], stale[1]);
        int line = (before + "<!-- results: toy.jsonl -->\n" + whole + "<!-- /results -->" + middle).split("\n", -1)
                .length;
        assertTrue(stale[2].contains("1 of its 2 tables differ") && stale[2].contains("line " + line + " (toy.jsonl "
                + "--images 0-0 --methods center)") && stale[2].contains("neuromask results --update"), stale[2]);
        assertTrue(Files.readString(doc).contains("0.400"), "--check changes nothing");
    }

    @Test
    void badMarkersAreRefusedNamingTheirLine(@TempDir Path dir) throws Exception {
        SyntheticResults.write(dir.resolve("toy.jsonl"));
        assertMarkerRefused(dir, "text\n<!-- results: toy.jsonl -->\nno end\n", "line 2: the table marker has no line "
                + "<!-- /results --> after it");
        assertMarkerRefused(dir, "<!-- /results -->\n", "line 1: <!-- /results --> without an opening");
        assertMarkerRefused(dir, "<!-- results: toy.jsonl -->\n<!-- results: toy.jsonl -->\n<!-- /results -->\n",
                "line 2: a table marker inside the table opened on line 1");
        assertMarkerRefused(dir, "<!-- results: toy.jsonl --json -->\n<!-- /results -->\n", "line 1: a table marker "
                + "names one results file");
        assertMarkerRefused(dir, "<!-- results: toy.jsonl --bogus -->\n<!-- /results -->\n", "line 1: the marker's "
                + "arguments");
        assertMarkerRefused(dir, "<!-- results: missing.jsonl -->\n<!-- /results -->\n", "does not exist");
    }

    private static void assertMarkerRefused(Path dir, String text, String problem) throws Exception {
        Path doc = dir.resolve("bad.md");
        Files.writeString(doc, text);
        String[] r = InProcessCli.run("results", "--update", doc.toString());
        assertEquals("1", r[0], r[1]);
        assertTrue(r[2].contains(problem), r[2]);
        assertEquals(text, Files.readString(doc), "a refused document is left as it was");
    }

    private static void assertRefused(String problem, String... args) {
        String[] r = InProcessCli.run(args);
        assertTrue(!r[0].equals("0"), String.join(" ", args) + ": " + r[1]);
        assertTrue(r[2].contains(problem), String.join(" ", args) + ": " + r[2]);
    }
}
