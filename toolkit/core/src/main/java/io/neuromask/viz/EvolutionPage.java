package io.neuromask.viz;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import io.neuromask.engine.MaskEvolution;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The mask evolution player as one self-contained HTML output: the frames of a recorded {@link MaskEvolution}
 * (jet palette PNGs, each embedded once), a slider and a play/pause button, and the total-loss curve as inline SVG
 * with a marker at the frame's iteration. No external URL; ids unique per output.
 */
public final class EvolutionPage {

    private static final int CHART_W = 320;
    private static final int CHART_H = 160;
    private static final int PAD = 28;

    private EvolutionPage() {}

    /**
     * The player as an HTML fragment.
     *
     * @throws IllegalStateException when the explanation has no recorded evolution
     */
    public static String fragment(Explanation e) {
        MaskEvolution ev = e.evolution().orElseThrow(() -> new IllegalStateException("this explanation has no "
                + "recorded evolution; record one with NeuroMask.builder().recordEvery(k) (CLI: explain --record-every K)"));
        String id = HtmlImages.newId("nm-evolution");
        int h = ev.height();
        int w = ev.width();
        int scale = Math.max(1, 192 / Math.max(h, w));
        List<String> frames = new ArrayList<>();
        List<Integer> its = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            frames.add(HtmlImages.pngDataUri(Heatmaps.renderIndexed(ev.frame(i), h, w, Colormap.JET)));
            its.add(ev.iteration(i));
        }
        List<LossRecord> history = e.lossHistory();
        double maxIt = Math.max(1, Math.max(ev.iteration(ev.size() - 1),
                history.isEmpty() ? 1 : history.get(history.size() - 1).iteration()));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (LossRecord r : history) {
            if (Double.isFinite(r.total())) {
                lo = Math.min(lo, r.total());
                hi = Math.max(hi, r.total());
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        StringBuilder points = new StringBuilder();
        for (LossRecord r : history) {
            if (Double.isFinite(r.total())) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(r.iteration(), maxIt), y(r.total(), lo, hi)));
            }
        }
        // marker y per frame: the loss recorded at or before the frame's iteration
        List<String> markerY = new ArrayList<>();
        for (int i = 0; i < ev.size(); i++) {
            double v = Double.NaN;
            for (LossRecord r : history) {
                if (r.iteration() <= ev.iteration(i) && Double.isFinite(r.total())) {
                    v = r.total();
                }
            }
            markerY.add(String.format(Locale.ROOT, "%.1f", Double.isNaN(v) ? y(hi, lo, hi) : y(v, lo, hi)));
        }
        List<String> markerX = new ArrayList<>();
        for (int it : its) {
            markerX.add(String.format(Locale.ROOT, "%.1f", x(it, maxIt)));
        }
        String data = "{\"frames\":" + jsonStrings(frames) + ",\"iterations\":" + its + ",\"x\":" + markerX
                + ",\"y\":" + markerY + "}";
        StringBuilder s = new StringBuilder(data.length() + 4096);
        s.append("<div class=\"nm-evolution\" id=\"").append(id).append("\">\n<style>#").append(id)
                .append("{font-family:sans-serif;font-size:13px}#").append(id)
                .append(" .nm-row{display:flex;gap:12px;align-items:flex-start;flex-wrap:wrap}#").append(id)
                .append(" img{width:").append(w * scale).append("px;height:").append(h * scale)
                .append("px;image-rendering:pixelated;display:block}#").append(id)
                .append(" figure{margin:0;text-align:center}</style>\n");
        s.append("<div><b>Mask evolution</b>: ").append(HtmlImages.escape(e.model())).append(", target ")
                .append(HtmlImages.escape(e.targetLabel())).append(", ").append(ev.size()).append(" frames</div>\n");
        s.append("<div><button type=\"button\" id=\"").append(id).append("-play\">play</button> <input type=\"range\" id=\"")
                .append(id).append("-slider\" min=\"0\" max=\"").append(ev.size() - 1)
                .append("\" step=\"1\" value=\"0\" style=\"width:260px;vertical-align:middle\"> iteration <output id=\"")
                .append(id).append("-iteration\">").append(ev.iteration(0)).append("</output></div>\n");
        s.append("<div class=\"nm-row\">\n<figure><img id=\"").append(id).append("-image\" alt=\"image\" src=\"")
                .append(HtmlImages.pngDataUri(e.image().toBufferedImage())).append("\"><figcaption>image</figcaption></figure>\n");
        s.append("<figure><img id=\"").append(id).append("-frame\" alt=\"mask\" src=\"").append(frames.get(0))
                .append("\"><figcaption>mask (jet)</figcaption></figure>\n");
        s.append("<figure><svg id=\"").append(id).append("-chart\" width=\"").append(CHART_W).append("\" height=\"")
                .append(CHART_H).append("\" viewBox=\"0 0 ").append(CHART_W).append(' ').append(CHART_H).append("\">")
                .append("<rect x=\"").append(PAD).append("\" y=\"4\" width=\"").append(CHART_W - PAD - 4)
                .append("\" height=\"").append(CHART_H - PAD - 4).append("\" fill=\"none\" stroke=\"#ccc\"/>")
                .append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"")
                .append(points.toString().trim()).append("\"/>")
                .append("<circle id=\"").append(id).append("-marker\" r=\"4\" fill=\"#d62728\" cx=\"").append(markerX.get(0))
                .append("\" cy=\"").append(markerY.get(0)).append("\"/>")
                .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.3g</text>", 2, 12, hi))
                .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">%.3g</text>", 2,
                        CHART_H - PAD, lo))
                .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">iteration %d</text>",
                        CHART_W / 2 - 30, CHART_H - 8, (int) maxIt))
                .append("</svg><figcaption>total loss</figcaption></figure>\n</div>\n");
        s.append("<script type=\"application/json\" id=\"").append(id).append("-data\">")
                .append(data.replace("<", "\\u003c")).append("</script>\n");
        s.append("<script>\n").append(("(function () {\n"
                + "  var id = '@ID', root = document.getElementById(id);\n"
                + "  if (!root || root.getAttribute('data-ready')) { return; }\n"
                + "  root.setAttribute('data-ready', '1');\n"
                + "  var d = JSON.parse(document.getElementById(id + '-data').textContent);\n"
                + "  var el = function (k) { return document.getElementById(id + '-' + k); };\n"
                + "  var slider = el('slider'), button = el('play'), timer = null;\n"
                + "  function show(i) {\n"
                + "    slider.value = String(i);\n"
                + "    el('frame').src = d.frames[i];\n"
                + "    el('iteration').textContent = String(d.iterations[i]);\n"
                + "    el('marker').setAttribute('cx', d.x[i]);\n"
                + "    el('marker').setAttribute('cy', d.y[i]);\n"
                + "    root.setAttribute('data-frame', String(i));\n"
                + "  }\n"
                + "  function stop() { if (timer) { clearInterval(timer); timer = null; } button.textContent = 'play'; }\n"
                + "  slider.addEventListener('input', function () { show(Number(slider.value)); });\n"
                + "  button.addEventListener('click', function () {\n"
                + "    if (timer) { stop(); return; }\n"
                + "    if (Number(slider.value) >= d.frames.length - 1) { show(0); }\n"
                + "    button.textContent = 'pause';\n"
                + "    timer = setInterval(function () {\n"
                + "      var i = Number(slider.value) + 1;\n"
                + "      if (i >= d.frames.length) { stop(); return; }\n"
                + "      show(i);\n"
                + "    }, 120);\n"
                + "  });\n"
                + "  show(0);\n"
                + "})();\n").replace("@ID", id)).append("</script>\n</div>");
        return s.toString();
    }

    /** The player as a standalone HTML page. */
    public static String standalone(Explanation e) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>NeuroMask mask evolution: "
                + HtmlImages.escape(e.model() + ", " + e.targetLabel()) + "</title>\n</head>\n<body>\n" + fragment(e)
                + "\n</body>\n</html>\n";
    }

    private static double x(double iteration, double maxIt) {
        return PAD + (CHART_W - PAD - 4) * iteration / maxIt;
    }

    private static double y(double loss, double lo, double hi) {
        return 4 + (CHART_H - PAD - 4) * (1 - (loss - lo) / (hi - lo));
    }

    private static String jsonStrings(List<String> values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            // data URIs: letters, digits, + / = : ; , only
            s.append(i == 0 ? "" : ",").append('"').append(values.get(i)).append('"');
        }
        return s.append(']').toString();
    }
}
