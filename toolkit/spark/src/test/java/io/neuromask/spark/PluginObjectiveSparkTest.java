package io.neuromask.spark;

import io.neuromask.NeuroMask;
import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuromask.ChildJvm;
import io.neuromask.TestMirror;
import io.neuromask.base.Classifier;
import io.neuromask.base.Target;
import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.model.Devices;
import io.neuromask.model.Models;
import io.neuromask.store.ModelStore;
import io.neuromask.testplugin.GreyMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth objective from the test sources only ({@link GreyMask}, registered by a {@code META-INF/services} file on
 * the job's class path) runs as a Spark method with its settings from {@code --set}, each row's mask the one the
 * single-JVM engine learns with those settings.
 */
class PluginObjectiveSparkTest {

    private static final String MODEL = "cifar10-resnet20";

    @Test
    void aPluginObjectiveRunsOnSparkWithItsSettings(@TempDir Path dir) throws Exception {
        Path services = GreyMask.servicesDir(Files.createDirectories(dir.resolve("plugin")));
        String out = dir.resolve("grey.parquet").toString();
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-Dneuromask.mirror=" + TestMirror.path()));
        for (String opt : System.getProperty("neuromask.test.sparkOptions", "").split(" ")) {
            if (!opt.isBlank()) {
                jvm.add(opt);
            }
        }
        ChildJvm.Result r = ChildJvm.run(dir, jvm, List.of(services), SparkMain.class, "spark-explain", "--data",
                "cifar10-test:3", "--model", MODEL, "--method", "greymask", "--set", "areaWeight=0.9", "--set",
                "grey=0.2", "--iterations", "5", "--device", "cpu", "--out", out, "--master", "local[1]");
        assertEquals(0, r.exit(), r.stdout() + r.stderr());

        SparkSession spark = SparkMain.session("local[1]", "PluginObjectiveSparkTest");
        List<Row> rows;
        try {
            rows = spark.read().parquet(out).orderBy("id").collectAsList();
        } finally {
            spark.stop();
        }
        assertEquals(3, rows.size());
        LabeledImages set = Datasets.open("cifar10-test", ModelStore.fromEnvironment());
        GreyMask settings = new GreyMask(0.9, 0.2, 5, 0.1, 5);
        try (Classifier model = Models.load(MODEL, Devices.parse("cpu"))) {
            MaskEngine engine = NeuroMask.builder().model(model).objective(settings).seed(0).build();
            MaskEngine other = engine.toBuilder().objective(settings.withSetting("areaWeight", "0")).build();
            for (Row row : rows) {
                assertNull(row.get(row.fieldIndex("error")));
                assertEquals("greymask", row.getString(row.fieldIndex("method")));
                assertEquals("greymask areaWeight=0.9 grey=0.2", row.getString(row.fieldIndex("preset")));
                LabeledImage li = null;
                for (int i = 0; i < 3; i++) {
                    if (set.get(i).id().equals(row.getString(row.fieldIndex("id")))) {
                        li = set.get(i).resized(model.inputWidth(), model.inputHeight());
                    }
                }
                Target target = Target.index(row.getInt(row.fieldIndex("target")));
                Explanation want = engine.explain(li.image(), target);
                List<Float> got = row.getList(row.fieldIndex("mask"));
                float[] mask = new float[got.size()];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = got.get(i);
                }
                // the job's libtorch may run with another number of threads than this JVM's (it adapts to the
                // machine's load), so the masks agree to rounding, not bit for bit: the row must be far closer to the
                // engine's mask with the --set values than to its mask without the area term
                float[] unweighted = other.explain(li.image(), target).mask();
                double same = maxDifference(want.mask(), mask);
                double changed = maxDifference(unweighted, mask);
                System.out.printf("greymask row %s: %.2e from the engine's mask with the --set values, %.2e from the "
                        + "mask without the area term%n", row.getString(row.fieldIndex("id")), same, changed);
                assertTrue(same < 2e-3, "the Spark row's mask is the engine's with the --set values: " + same);
                assertTrue(changed > 10 * same, "areaWeight changes the mask more than rounding does: " + changed
                        + " against " + same);
            }
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
