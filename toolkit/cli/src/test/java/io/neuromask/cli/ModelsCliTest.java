package io.neuromask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.neuromask.TestMirror;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code models list} and {@code evaluate-accuracy --json} through the store (mirror → target/ cache). */
class ModelsCliTest {

    private static String run(String... args) {
        TestMirror.path();
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(args), String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listShowsModelsAndWhereTheirFilesAre() {
        String out = run("models", "list");
        for (String name : new String[] {"cifar10-resnet20", "cifar10-resnet56", "imagenet-squeezenet1.1", "cifar10-test"}) {
            assertTrue(out.contains(name), out);
        }
        assertTrue(out.contains("BSD-2-Clause") && out.contains("Apache-2.0"), out);
    }

    @Test
    void evaluateAccuracyPrintsJson() {
        String out = run("evaluate-accuracy", "--model", "cifar10-resnet20", "--data", "cifar10-test", "--limit", "200",
                "--device", "cpu", "--json");
        JsonObject o = JsonParser.parseString(out.trim()).getAsJsonObject();
        assertEquals("cifar10-resnet20", o.get("model").getAsString());
        assertEquals(200, o.get("images").getAsInt());
        double top1 = o.get("top1").getAsDouble();
        assertTrue(top1 > 0.8 && top1 <= o.get("top5").getAsDouble(), out);
    }
}
