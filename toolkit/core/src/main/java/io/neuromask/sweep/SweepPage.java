package io.neuromask.sweep;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.LossRecord;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.neuromask.base.RgbImage;
import io.neuromask.viz.Colormap;
import io.neuromask.viz.Heatmaps;
import io.neuromask.viz.HtmlImages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep explorer as one self-contained HTML output: a slider per swept hyperparameter (axes with more than one
 * value), the image, the mask (jet) and the overlay, and a table of the cell's mask area, masked target
 * probability, class kept and final loss terms. Moving a slider swaps the mask and the overlay and updates the
 * table, in the page's own script: no server, no widget library, no external URL; it works in JupyterLab, the
 * classic Notebook, exported HTML and as a standalone file.
 *
 * <p>Each mask is embedded once, as an 8-bit palette PNG of its jet colouring ({@link Heatmaps#renderIndexed}:
 * the same pixels as {@link Heatmaps#render}), or in fewer colour levels when the page would exceed
 * {@value #BUDGET_BYTES} bytes ({@link #masks}); the image once. The overlay is the mask drawn at opacity
 * {@value #ALPHA} over the image, which is {@link Heatmaps#overlay}'s blend. A 5×5×3 grid at 224² fits in 2 MB (sizes in docs/library.md, "Hyperparameter sweeps"). Element ids carry a random suffix, so two explorers in one notebook do not
 * interfere.
 */
public final class SweepPage {

    /** Opacity of the mask over the image in the overlay. */
    public static final double ALPHA = Heatmaps.DEFAULT_ALPHA;

    private SweepPage() {}

    /** The explorer as an HTML fragment (a {@code <div>} with its style and script), for a notebook output. */
    public static String fragment(SweepResult result) {
        return fragment(result, HtmlImages.newId("nm-sweep"));
    }

    /** The explorer as a standalone HTML page. */
    public static String standalone(SweepResult result) {
        return standalone(result, masks(result));
    }

    static String standalone(SweepResult result, Masks masks) {
        Explanation first = result.explanations().get(0);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>NeuroMask sweep: "
                + HtmlImages.escape(first.model() + ", " + first.targetLabel()) + "</title>\n</head>\n<body>\n"
                + fragment(result, HtmlImages.newId("nm-sweep"), masks) + "\n</body>\n</html>\n";
    }

    /**
     * The masks as the explorer embeds them, one {@code data:} URI per cell: the jet colouring as a palette PNG
     * with 256 levels ({@link Heatmaps#renderIndexed}'s pixels) or, when the page would exceed
     * {@value #BUDGET_BYTES} bytes, fewer levels ({@link #LEVELS}): the first that fits.
     */
    public static Masks masks(SweepResult result) {
        List<Explanation> cells = result.explanations();
        long fixed = HtmlImages.pngDataUri(cells.get(0).image().toBufferedImage()).length() + 16_000L + 600L * cells.size();
        Masks m = null;
        for (int levels : LEVELS) {
            List<String> uris = new java.util.ArrayList<>(cells.size());
            Map<String, Boolean> distinct = new HashMap<>();
            long total = fixed;
            for (Explanation e : cells) {
                String uri = HtmlImages.pngDataUri(quantised(e, levels));
                uris.add(uri);
                if (distinct.put(uri, Boolean.TRUE) == null) {
                    total += uri.length();
                }
            }
            m = new Masks(levels, uris, total);
            if (total <= BUDGET_BYTES) {
                return m;
            }
        }
        return m;
    }

    /**
     * The embedded masks.
     *
     * @param levels colour levels of the mask images (256: the exact jet colouring of 8-bit masks)
     * @param uris one {@code data:} URI per cell
     * @param estimatedPageBytes the page size they make, estimated
     */
    public record Masks(int levels, List<String> uris, long estimatedPageBytes) {
        public Masks {
            uris = List.copyOf(uris);
        }
    }

    /** Most bytes a page should take; masks are quantised to fewer levels until it fits. */
    public static final int BUDGET_BYTES = 2_000_000;

    /** The colour levels tried, in order. */
    public static final List<Integer> LEVELS = List.of(256, 64, 32, 16, 8, 4);

    /**
     * A mask as a palette image of {@code levels} jet colours: value v gets level {@code min(levels-1,
     * floor(v·levels))} coloured as {@code jet((level + 0.5) / levels)}; at 256 levels the pixels of
     * {@link Heatmaps#render} with {@link Colormap#JET}.
     */
    static java.awt.image.BufferedImage quantised(Explanation e, int levels) {
        if (levels == 256) {
            return Heatmaps.renderIndexed(e.mask(), e.height(), e.width(), Colormap.JET);
        }
        int bits = levels <= 2 ? 1 : levels <= 4 ? 2 : levels <= 16 ? 4 : 8;
        byte[] r = new byte[levels];
        byte[] g = new byte[levels];
        byte[] b = new byte[levels];
        for (int i = 0; i < levels; i++) {
            int c = Colormap.JET.rgb((i + 0.5) / levels);
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        java.awt.image.IndexColorModel palette = new java.awt.image.IndexColorModel(bits, levels, r, g, b);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(e.width(), e.height(),
                bits == 8 ? java.awt.image.BufferedImage.TYPE_BYTE_INDEXED : java.awt.image.BufferedImage.TYPE_BYTE_BINARY,
                palette);
        java.awt.image.WritableRaster raster = img.getRaster();
        float[] mask = e.mask();
        for (int y = 0; y < e.height(); y++) {
            for (int x = 0; x < e.width(); x++) {
                float v = mask[y * e.width() + x];
                double c = Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
                raster.setSample(x, y, 0, Math.min(levels - 1, (int) (c * levels)));
            }
        }
        return img;
    }

    /** Lower-case hex SHA-256 of a string's UTF-8 bytes (how {@code sweep.json} names each mask image). */
    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String fragment(SweepResult result, String id) {
        return fragment(result, id, masks(result));
    }

    static String fragment(SweepResult result, String id, Masks masks) {
        List<Explanation> cells = result.explanations();
        Explanation first = cells.get(0);
        RgbImage image = first.image();
        int h = image.height();
        int w = image.width();
        int scale = Math.max(1, 192 / Math.max(h, w));
        int dw = w * scale;
        int dh = h * scale;
        List<String> termNames = first.objective().termNames();

        // Data: each distinct mask image once; cells refer to it by index.
        JsonObject data = new JsonObject();
        JsonArray axes = new JsonArray();
        for (SweepResult.Axis a : result.axes()) {
            JsonArray v = new JsonArray();
            a.values().forEach(v::add);
            axes.add(v);
        }
        data.add("axes", axes);
        JsonArray terms = new JsonArray();
        termNames.forEach(terms::add);
        data.add("terms", terms);
        JsonArray images = new JsonArray();
        Map<String, Integer> seen = new HashMap<>();
        JsonArray rows = new JsonArray();
        for (int c = 0; c < cells.size(); c++) {
            Explanation e = cells.get(c);
            String uri = masks.uris().get(c);
            Integer index = seen.get(uri);
            if (index == null) {
                index = images.size();
                seen.put(uri, index);
                images.add(uri);
            }
            LossRecord last = SweepResult.finalLoss(e);
            JsonArray row = new JsonArray();
            row.add(index);
            row.add(e.maskMean());
            row.add(e.probabilityMasked());
            row.add(e.classPreserved() ? 1 : 0);
            row.add(last.total());
            for (String t : termNames) {
                row.add(last.term(t));
            }
            rows.add(row);
        }
        data.add("images", images);
        data.add("cells", rows);
        // Only numbers and data URIs, but escape '<' anyway so the JSON can never end its script element.
        String json = new GsonBuilder().disableHtmlEscaping().create().toJson(data).replace("<", "\\u003c");

        int[] start = new int[result.axes().size()];
        for (int a = 0; a < start.length; a++) {
            start[a] = (result.axes().get(a).values().size() - 1) / 2;
        }
        int startCell = result.flatIndex(start);
        Explanation shown = cells.get(startCell);
        String maskUri = masks.uris().get(startCell);

        StringBuilder s = new StringBuilder(4096 + json.length());
        s.append("<div class=\"nm-sweep\" id=\"").append(id).append("\" data-cell=\"").append(startCell).append("\">\n");
        s.append("<style>")
                .append('#').append(id).append("{font-family:sans-serif;font-size:13px;margin:4px 0}")
                .append('#').append(id).append(" .nm-row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}")
                .append('#').append(id).append(" figure{margin:0;text-align:center}")
                .append('#').append(id).append(" img{width:").append(dw).append("px;height:").append(dh)
                .append("px;image-rendering:pixelated;display:block}")
                .append('#').append(id).append(" .nm-stack{position:relative;width:").append(dw).append("px;height:")
                .append(dh).append("px}")
                .append('#').append(id).append(" .nm-stack img{position:absolute;left:0;top:0}")
                .append('#').append(id).append(" label{display:block;margin:2px 0}")
                .append('#').append(id).append(" input[type=range]{width:220px;vertical-align:middle}")
                .append('#').append(id).append(" table{border-collapse:collapse}")
                .append('#').append(id).append(" td,#").append(id).append(" th{padding:1px 8px;text-align:right;"
                        + "border-bottom:1px solid #ddd}")
                .append('#').append(id).append(" th{text-align:left;font-weight:normal;color:#444}")
                .append("</style>\n");
        s.append("<div><b>NeuroMask sweep</b>: ").append(HtmlImages.escape(first.model())).append(", target ")
                .append(HtmlImages.escape(first.targetLabel())).append(" (").append(first.target()).append("), ")
                .append(cells.size()).append(" settings, ").append(first.iterations()).append(" iterations")
                .append(masks.levels() < 256 ? ", masks in " + masks.levels() + " colour levels to fit "
                        + BUDGET_BYTES / 1_000_000 + " MB" : "").append("</div>\n");
        s.append("<div class=\"nm-row\">\n<div class=\"nm-controls\">\n");
        for (int a = 0; a < result.axes().size(); a++) {
            SweepResult.Axis axis = result.axes().get(a);
            int n = axis.values().size();
            String label = HtmlImages.escape(axis.label());
            if (n > 1) {
                s.append("<label>").append(label).append(" <input type=\"range\" id=\"").append(id).append("-axis-")
                        .append(a).append("\" data-axis=\"").append(a).append("\" data-name=\"")
                        .append(HtmlImages.escape(axis.name())).append("\" min=\"0\" max=\"").append(n - 1)
                        .append("\" step=\"1\" value=\"").append(start[a]).append("\"> <output id=\"").append(id)
                        .append("-value-").append(a).append("\">").append(number(axis.values().get(start[a])))
                        .append("</output></label>\n");
            } else {
                s.append("<label>").append(label).append(" = ").append(number(axis.values().get(0)))
                        .append("</label>\n");
            }
        }
        s.append("<table id=\"").append(id).append("-table\">\n");
        row(s, id, "area", "mask area", fixed(shown.maskMean()));
        row(s, id, "p", "p(target | x ⊙ m)", fixed(shown.probabilityMasked()));
        row(s, id, "kept", "class kept", shown.classPreserved() ? "yes" : "no");
        LossRecord last = SweepResult.finalLoss(shown);
        row(s, id, "loss", "loss (final)", precise(last.total()));
        for (int t = 0; t < termNames.size(); t++) {
            row(s, id, "term-" + t, HtmlImages.escape(termNames.get(t)), precise(last.term(termNames.get(t))));
        }
        s.append("</table>\n</div>\n");
        String imageUri = HtmlImages.pngDataUri(image.toBufferedImage());
        s.append("<figure><img id=\"").append(id).append("-image\" alt=\"image\" src=\"").append(imageUri)
                .append("\"><figcaption>image</figcaption></figure>\n");
        s.append("<figure><img id=\"").append(id).append("-mask\" alt=\"mask\" src=\"").append(maskUri)
                .append("\"><figcaption>mask (jet)</figcaption></figure>\n");
        // the overlay reuses the image's and the mask's data: cloned from them by the script, not embedded again
        s.append("<figure><div class=\"nm-stack\"><img id=\"").append(id).append("-overlay-base\" alt=\"\">")
                .append("<img id=\"").append(id).append("-overlay\" alt=\"overlay\" style=\"opacity:")
                .append(ALPHA).append("\"></div><figcaption>overlay</figcaption></figure>\n");
        s.append("</div>\n");
        s.append("<script type=\"application/json\" id=\"").append(id).append("-data\">").append(json)
                .append("</script>\n");
        s.append("<script>\n").append(script(id)).append("</script>\n</div>");
        return s.toString();
    }

    private static void row(StringBuilder s, String id, String key, String label, String value) {
        s.append("<tr><th>").append(label).append("</th><td id=\"").append(id).append('-').append(key).append("\">")
                .append(value).append("</td></tr>\n");
    }

    /** Area and probability: 4 decimals, as the script's {@code toFixed(4)}. */
    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Loss terms: 5 significant digits, close to the script's {@code toPrecision(5)}. */
    private static String precise(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(5)).toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String script(String id) {
        return ("(function () {\n"
                + "  var id = '@ID', root = document.getElementById(id);\n"
                + "  if (!root || root.getAttribute('data-ready')) { return; }\n"
                + "  root.setAttribute('data-ready', '1');\n"
                + "  var data = JSON.parse(document.getElementById(id + '-data').textContent);\n"
                + "  var el = function (k) { return document.getElementById(id + '-' + k); };\n"
                + "  el('overlay-base').src = el('image').src;\n"
                + "  var sliders = root.querySelectorAll('input[type=range]');\n"
                + "  var fmt = function (v) { return String(v); };\n"
                + "  function update() {\n"
                + "    var cell = 0;\n"
                + "    for (var a = 0; a < data.axes.length; a++) {\n"
                + "      var s = el('axis-' + a), i = s ? Number(s.value) : 0;\n"
                + "      if (s) { el('value-' + a).textContent = fmt(data.axes[a][i]); }\n"
                + "      cell = cell * data.axes[a].length + i;\n"
                + "    }\n"
                + "    var c = data.cells[cell], uri = data.images[c[0]];\n"
                + "    root.setAttribute('data-cell', String(cell));\n"
                + "    el('mask').src = uri;\n"
                + "    el('overlay').src = uri;\n"
                + "    el('area').textContent = c[1].toFixed(4);\n"
                + "    el('p').textContent = c[2].toFixed(4);\n"
                + "    el('kept').textContent = c[3] ? 'yes' : 'no';\n"
                + "    el('loss').textContent = c[4].toPrecision(5);\n"
                + "    for (var t = 0; t < data.terms.length; t++) { el('term-' + t).textContent = c[5 + t].toPrecision(5); }\n"
                + "  }\n"
                + "  for (var k = 0; k < sliders.length; k++) { sliders[k].addEventListener('input', update); }\n"
                + "  update();\n"
                + "})();\n").replace("@ID", id);
    }
}
