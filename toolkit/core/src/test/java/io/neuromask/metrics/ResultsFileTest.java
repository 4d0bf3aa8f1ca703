package io.neuromask.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResultsFile}: a results file read without a model reports what {@code evaluate --resume} reports for it (the
 * committed files, number for number), and a small hand-written file gives the summaries computed here by hand.
 */
class ResultsFileTest {

    private static final Path RESULTS = Path.of(System.getProperty("neuromask.projectRoot", "../.."))
            .resolve("models/results");

    /** Student's t(0.975) with 2 and 1 degrees of freedom (tables: 4.303 and 12.706). */
    private static final double T2 = 4.302652729911275;
    private static final double T1 = 12.706204736174698;

    private static List<Path> committed() throws Exception {
        try (Stream<Path> s = Files.list(RESULTS)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /**
     * Every committed file, read without a model on the images 0 to n−1 that all its methods hold, reports what
     * resuming it reports: the digest of its report is the one {@code committed-results.properties} records for
     * {@link CommittedResultsTest}'s resumed evaluation.
     */
    @Test
    void everyCommittedFileReportsWhatResumingItReports() throws Exception {
        Properties expected = new Properties();
        try (var in = CommittedResultsTest.class.getResourceAsStream("committed-results.properties")) {
            expected.load(in);
        }
        List<Path> files = committed();
        assertTrue(files.size() >= 9, files.toString());
        for (Path f : files) {
            ResultsFile file = ResultsFile.read(f, w -> {
                throw new AssertionError(w);
            });
            int n = file.methods().stream().mapToInt(m -> file.images(m).size()).min().orElseThrow();
            for (String m : file.methods()) {
                assertEquals(0, file.images(m).get(0), f + " " + m);
            }
            Evaluator.Report report = file.report(List.of(), 0, n - 1);
            // a run of evaluate --metrics resumes with its selection and reports only those; read back, the file
            // reports the others too, with no values (as metrics it predates)
            List<String> covered = CommittedResultsTest.BUILT_IN;
            List<String> selection = file.metricSelection();
            if (!selection.isEmpty()) { // empty: every metric
                covered = covered.stream().filter(selection::contains).toList();
                for (Evaluator.MethodReport m : report.methods()) {
                    m.metrics().forEach((k, v) -> assertTrue(selection.contains(k) || v.n() == 0,
                            f.getFileName() + " " + m.method() + " " + k + " was not selected: " + v));
                }
            }
            assertEquals(expected.getProperty(f.getFileName().toString()),
                    CommittedResultsTest.sha256(CommittedResultsTest.canonical(report, covered)),
                    f.getFileName().toString());
        }
    }

    /** On one file, every column (the metrics it predates, the raster ones) equals the resumed evaluation's. */
    @Test
    void theReportOfAFileIsTheResumedEvaluationsInEveryColumn(@TempDir Path dir) throws Exception {
        Path f = RESULTS.resolve("imagenet-squeezenet1.1-timing-25.jsonl");
        byte[] before = Files.readAllBytes(f);
        Evaluator.Report resumed = CommittedResultsTest.replayReport(f, dir);
        Evaluator.Report read = ResultsFile.read(f).report();
        List<String> all = new ArrayList<>(Metrics.columns());
        assertEquals(CommittedResultsTest.canonical(resumed, all), CommittedResultsTest.canonical(read, all));
        assertEquals(25, read.images());
        assertTrue(read.methods().get(1).metrics().containsKey("deletion_auc_raster"), "neuromask's raster column");
        assertEquals(0, read.methods().get(0).metrics().get("road_morf_auc").n(), "a metric the file predates");
        assertArrayEquals(before, Files.readAllBytes(f), "reading changes nothing");
    }

    /**
     * A method that holds fewer images than the others (the paper preset: 100 of 300) is reported on its own images,
     * and compared with {@code center} on the images both have: exactly as on the first 100.
     */
    @Test
    void aMethodWithFewerImagesIsReportedOnItsOwn() {
        ResultsFile file = ResultsFile.read(RESULTS.resolve("imagenet-squeezenet1.1-300.jsonl"));
        Evaluator.Report all = file.report();
        Evaluator.Report first = file.report(List.of(), 0, 99);
        assertEquals(300, all.images());
        assertEquals(100, first.images());
        Evaluator.MethodReport paper = method(all, "neuromask:paper-imagenet");
        Evaluator.MethodReport paperFirst = method(first, "neuromask:paper-imagenet");
        assertEquals(100, paper.images());
        assertEquals(300, method(all, "center").images());
        assertEquals(paperFirst.metrics(), paper.metrics());
        assertEquals(paperFirst.versusCenter(), paper.versusCenter());
        assertEquals(100, paper.versusCenter().get("pointing_game").n());
        assertTrue(!method(first, "center").metrics().equals(method(all, "center").metrics()));
    }

    @Test
    void aHandWrittenFileGivesTheHandComputedSummaries(@TempDir Path dir) throws Exception {
        ResultsFile file = ResultsFile.read(SyntheticResults.write(dir.resolve("toy.jsonl")));
        assertEquals("toy", file.model());
        assertEquals("toy-data", file.data());
        assertEquals(Ties.BREAK, file.ties());
        assertEquals(List.of("a", "b", "center"), file.methods());
        assertEquals(List.of(0, 1), file.images("b"));
        Evaluator.Report r = file.report();
        assertEquals(3, r.images());
        Evaluator.MethodReport a = method(r, "a");
        Evaluator.MethodReport b = method(r, "b");
        assertEquals(3, a.images());
        assertEquals(2, b.images());
        assertEquals(2.0, a.secondsPerImage(), 1e-12);
        assertEquals(1.0, b.secondsPerImage(), 1e-12);
        // a's deletion AUC 0.1, 0.2, 0.3: mean 0.2, sd 0.1, half-width t(0.975, 2) · 0.1 / √3
        Summary del = a.metrics().get("deletion_auc");
        assertEquals(0.2, del.mean(), 1e-12);
        assertEquals(0.1, del.sd(), 1e-12);
        assertEquals(0.2 - T2 * 0.1 / Math.sqrt(3), del.low(), 1e-9);
        assertEquals(0.2 + T2 * 0.1 / Math.sqrt(3), del.high(), 1e-9);
        // b's 0.4, 0.6: mean 0.5, sd √0.02, half-width t(0.975, 1) · √0.02 / √2 = 12.706 · 0.1
        Summary delB = b.metrics().get("deletion_auc");
        assertEquals(0.5, delB.mean(), 1e-12);
        assertEquals(0.5 - T1 * 0.1, delB.low(), 1e-9);
        // ROAD: only b's lines hold it
        assertEquals(0.4, b.metrics().get("road_morf_auc").mean(), 1e-12);
        assertEquals(0, a.metrics().get("road_morf_auc").n());
        assertEquals(0, a.metrics().get("road_lerf_auc").n());
        assertEquals(0, a.metrics().get("max_box_acc_v2").n());
        // MaxBoxAcc: a's hits per threshold 0,1,2,3 -> threshold 3/4, every image a hit; b's 1,0,0,0 -> threshold 0
        assertEquals(1.0, a.metrics().get("max_box_acc").mean(), 1e-12);
        assertEquals(0.75, a.maxBoxAccThreshold(), 1e-12);
        assertEquals(0.5, b.metrics().get("max_box_acc").mean(), 1e-12);
        assertEquals(0.0, b.maxBoxAccThreshold(), 1e-12);
        // against center, paired: a's energy PG 0.8, 0.75, 0.7 minus 0.5 -> 0.3, 0.25, 0.2 (its interval above 0)
        Summary vs = a.versusCenter().get("energy_pointing_game");
        assertEquals(3, vs.n());
        assertEquals(0.25, vs.mean(), 1e-12);
        assertEquals(0.25 - T2 * 0.05 / Math.sqrt(3), vs.low(), 1e-9);
        assertTrue(vs.low() > 0);
        // b against center on images 0 and 1 only: pointing game 0 - 0, 1 - 1
        Summary vsB = b.versusCenter().get("pointing_game");
        assertEquals(2, vsB.n());
        assertEquals(0.0, vsB.mean(), 1e-12);
        assertTrue(method(r, "center").versusCenter().isEmpty());
    }

    @Test
    void aRangeOfImagesAndAChoiceOfMethods(@TempDir Path dir) throws Exception {
        ResultsFile file = ResultsFile.read(SyntheticResults.write(dir.resolve("toy.jsonl")));
        Evaluator.Report r = file.report(List.of("b", "a"), 1, 2);
        assertEquals(List.of("b", "a"), r.methods().stream().map(Evaluator.MethodReport::method).toList());
        assertEquals(2, r.images());
        Evaluator.MethodReport b = r.methods().get(0);
        assertEquals(1, b.images());
        assertEquals(0.6, b.metrics().get("deletion_auc").mean(), 1e-12);
        assertTrue(Double.isNaN(b.metrics().get("deletion_auc").low()), "one value: no interval");
        assertTrue(b.versusCenter().isEmpty(), "center is not among the methods");
        Evaluator.MethodReport a = r.methods().get(1);
        assertEquals(0.25, a.metrics().get("deletion_auc").mean(), 1e-12);
        // MaxBoxAcc chosen over the range: 0111 and 0001 -> hits 0,1,1,2 -> threshold 3/4
        assertEquals(0.75, a.maxBoxAccThreshold(), 1e-12);
        // image 0 alone: 0011 -> the first best threshold, 2/4
        assertEquals(0.5, file.report(List.of("a"), 0, 0).methods().get(0).maxBoxAccThreshold(), 1e-12);
        // b holds none of images 2 to 9: left out
        assertEquals(List.of("a", "center"), file.report(List.of(), 2, 9).methods().stream()
                .map(Evaluator.MethodReport::method).toList());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> file.report(List.of("gradcam"), 0, 2));
        assertTrue(unknown.getMessage().contains("no method 'gradcam'") && unknown.getMessage().contains("a,b,center"),
                unknown.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> file.report(List.of(), 5, 2));
        assertTrue(range.getMessage().contains("0 <= first <= last"), range.getMessage());
    }

    @Test
    void whatIsNotAReadableResultsFileIsRefusedNamingTheFix(@TempDir Path dir) throws Exception {
        assertRefused(dir.resolve("missing.jsonl"), "does not exist");
        assertRefused(dir, "is a folder");
        assertRefused(Files.writeString(dir.resolve("empty.jsonl"), ""), "is empty");
        assertRefused(Files.writeString(dir.resolve("notes.txt"), "my notes\n"), "not the header of one");
        List<String> lines = new ArrayList<>(SyntheticResults.lines());
        lines.set(5, "{\"type\":\"image\",\"method\":\"a\"");
        assertRefused(Files.writeString(dir.resolve("damaged.jsonl"), String.join("\n", lines) + "\n"),
                "line 6 is not a valid results line");
    }

    @Test
    void anIncompleteLastLineIsIgnoredWithAWarning(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("killed.jsonl");
        String text = String.join("\n", SyntheticResults.lines()) + "\n{\"type\":\"image\",\"method\":\"b\",\"ima";
        Files.writeString(f, text);
        List<String> warnings = new ArrayList<>();
        ResultsFile file = ResultsFile.read(f, warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("incomplete line 13"), warnings.get(0));
        assertEquals(2, method(file.report(), "b").images());
        assertEquals(text, Files.readString(f), "left as it was");
    }

    private static void assertRefused(Path file, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsFile.read(file));
        assertTrue(e.getMessage().contains(problem) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    private static Evaluator.MethodReport method(Evaluator.Report r, String name) {
        return r.methods().stream().filter(m -> m.method().equals(name)).findFirst().orElseThrow();
    }
}
