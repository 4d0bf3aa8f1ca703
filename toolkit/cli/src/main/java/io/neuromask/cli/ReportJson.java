package io.neuromask.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.neuromask.metrics.Evaluator;
import io.neuromask.metrics.Summary;
import io.neuromask.metrics.Ties;

/**
 * The JSON of an evaluation report, as {@code evaluate --json} and {@code results --json} print it: the run, then per
 * method its seconds per image, every metric's mean, 95 % t-interval and n, MaxBoxAcc's threshold and the paired
 * difference to {@code center} (with whether it beats it). Non-finite numbers are null.
 */
final class ReportJson {

    private ReportJson() {}

    /**
     * The report as JSON.
     *
     * @param device the device the methods ran on, or null where it is not known (a results file does not record
     *     it): then the key is left out
     */
    static JsonObject of(Evaluator.Report report, String device, Ties ties) {
        JsonObject o = new JsonObject();
        o.addProperty("model", report.model());
        o.addProperty("data", report.data());
        if (device != null) {
            o.addProperty("device", device);
        }
        o.addProperty("images", report.images());
        o.addProperty("ties", ties.cliName());
        o.addProperty("interval", "95% Student t: mean ± t(0.975, n-1)·sd/√n");
        JsonArray methods = new JsonArray();
        for (Evaluator.MethodReport r : report.methods()) {
            JsonObject m = new JsonObject();
            m.addProperty("method", r.method());
            m.addProperty("seconds_per_image", r.secondsPerImage());
            JsonObject metrics = new JsonObject();
            r.metrics().forEach((k, s) -> metrics.add(k, summary(s)));
            m.add("metrics", metrics);
            m.add("max_box_acc_threshold", number(r.maxBoxAccThreshold()));
            if (!r.versusCenter().isEmpty()) {
                JsonObject vs = new JsonObject();
                r.versusCenter().forEach((k, s) -> {
                    JsonObject d = summary(s);
                    d.addProperty("beats_center", s.n() > 1 && s.low() > 0);
                    vs.add(k, d);
                });
                m.add("versus_center", vs);
            }
            methods.add(m);
        }
        o.add("methods", methods);
        return o;
    }

    private static JsonObject summary(Summary s) {
        JsonObject j = new JsonObject();
        j.add("mean", number(s.mean()));
        j.add("ci_low", number(s.low()));
        j.add("ci_high", number(s.high()));
        j.addProperty("n", s.n());
        return j;
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }
}
