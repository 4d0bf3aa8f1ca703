package io.neuromask.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a val-sample {@code annotations.csv} ({@link Manifest.Derive#VAL_SAMPLE_ANNOTATIONS}) from public
 * metadata: header {@code file,label,original_width,original_height,boxes}, then one row per image, in the
 * order of the labels file ({@code ./data/FILE, LABEL} lines); sizes from {@code val/FILE,W,H} lines; boxes
 * from {@code val/FILE,x0,y0,x1,y1} lines, in file order, written {@code x0 y0 x1 y1} and joined with
 * {@code ;}. Every line ends with CR LF; nothing is quoted. Lines for other images are ignored.
 */
final class ValSampleAnnotations {

    static final String HEADER = "file,label,original_width,original_height,boxes";

    private ValSampleAnnotations() {}

    /** Downloads the three metadata files and returns the CSV bytes (checked later against the manifest). */
    static byte[] build(ModelStore store, Manifest.FileEntry f) throws IOException {
        Manifest.Derive d = f.derive();
        Set<String> images = new LinkedHashSet<>();
        for (Manifest.FileEntry g : store.manifest().files()) {
            if (g.path().startsWith(d.images())) {
                images.add(g.path().substring(g.path().lastIndexOf('/') + 1));
            }
        }
        if (images.isEmpty()) {
            throw new IOException("the manifest lists no images under " + d.images() + " to annotate");
        }
        Map<String, List<String>> sources = new HashMap<>();
        for (String key : List.of("labels", "sizes", "boxes")) {
            String url = store.urlRewrite().apply(d.urls().get(key));
            Path tmp = store.download(url, url.substring(url.lastIndexOf('/') + 1), -1);
            try {
                sources.put(key, Files.readAllLines(tmp, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return build(images, sources.get("labels"), sources.get("sizes"), sources.get("boxes"), d.urls());
    }

    /**
     * The CSV for {@code images} from the lines of the three metadata files.
     *
     * @param urls named source URLs, for messages
     * @throws IOException naming the source and line of a malformed line, or the images a source lacks
     */
    static byte[] build(Set<String> images, List<String> labelLines, List<String> sizeLines, List<String> boxLines,
            Map<String, String> urls) throws IOException {
        List<String> order = new ArrayList<>();
        Map<String, String> labels = new HashMap<>();
        for (int n = 0; n < labelLines.size(); n++) {
            String[] p = fields(labelLines.get(n), 2, urls.get("labels"), n);
            if (p != null && images.contains(p[0]) && labels.putIfAbsent(p[0], p[1]) == null) {
                order.add(p[0]);
            }
        }
        Map<String, String> sizes = new HashMap<>();
        for (int n = 0; n < sizeLines.size(); n++) {
            String[] p = fields(sizeLines.get(n), 3, urls.get("sizes"), n);
            if (p != null && images.contains(p[0])) {
                sizes.putIfAbsent(p[0], p[1] + "," + p[2]);
            }
        }
        Map<String, List<String>> boxes = new HashMap<>();
        for (int n = 0; n < boxLines.size(); n++) {
            String[] p = fields(boxLines.get(n), 5, urls.get("boxes"), n);
            if (p != null && images.contains(p[0])) {
                boxes.computeIfAbsent(p[0], k -> new ArrayList<>()).add(p[1] + " " + p[2] + " " + p[3] + " " + p[4]);
            }
        }
        missing(images, labels.keySet(), urls.get("labels"));
        missing(images, sizes.keySet(), urls.get("sizes"));
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (String file : order) {
            csv.append(file).append(',').append(labels.get(file)).append(',').append(sizes.get(file)).append(',')
                    .append(String.join(";", boxes.getOrDefault(file, List.of()))).append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A metadata line as the image's file name (path and leading {@code ./} dropped) then its integer fields;
     * {@code null} for a blank line.
     */
    private static String[] fields(String line, int count, String url, int n) throws IOException {
        if (line.isBlank()) {
            return null;
        }
        String[] p = line.split(",", -1);
        if (p.length != count) {
            throw new IOException(url + " line " + (n + 1) + " has " + p.length + " comma-separated fields, expected "
                    + count + ": " + line);
        }
        String file = p[0].trim();
        p[0] = file.substring(file.lastIndexOf('/') + 1);
        for (int i = 1; i < count; i++) {
            p[i] = p[i].trim();
            try {
                Integer.parseInt(p[i]);
            } catch (NumberFormatException e) {
                throw new IOException(url + " line " + (n + 1) + " field " + (i + 1) + " is not an integer: " + line, e);
            }
        }
        return p;
    }

    private static void missing(Set<String> images, Set<String> found, String url) throws IOException {
        List<String> lacking = images.stream().filter(i -> !found.contains(i)).toList();
        if (!lacking.isEmpty()) {
            throw new IOException(url + " lists no line for " + lacking.size() + " of the " + images.size()
                    + " images, e.g. " + lacking.subList(0, Math.min(3, lacking.size())));
        }
    }
}
