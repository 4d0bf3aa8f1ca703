package io.neuromask.data;

import io.neuromask.base.RgbImage;
import io.neuromask.io.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ImageNet validation images in the val-sample layout: a folder with {@code images/} and
 * {@code annotations.csv}, whose rows are {@code file,label,original_width,original_height,boxes}; label
 * 0–999 in sorted-synset order; boxes {@code x0 y0 x1 y1} in pixels of the original image, separated by
 * {@code ;}. {@link #get} scales the boxes onto the image file as stored (which may be resized).
 */
public final class ImageNetValSample implements LabeledImages {

    /** One annotation row. */
    public record Entry(String file, int label, int originalWidth, int originalHeight, List<Box> boxes) {}

    private final Path dir;
    private final List<Entry> entries;

    private ImageNetValSample(Path dir, List<Entry> entries) {
        this.dir = dir;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads {@code dir/annotations.csv}.
     *
     * @throws IOException naming the file and line of a missing file or malformed row
     */
    public static ImageNetValSample read(Path dir) throws IOException {
        Path csv = dir.resolve("annotations.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IOException("no annotations.csv in " + dir.toAbsolutePath()
                    + "; a val-sample folder holds images/ and annotations.csv (file,label,original_width,"
                    + "original_height,boxes)");
        }
        List<String> lines = Files.readAllLines(csv);
        List<Entry> entries = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            try {
                String[] f = line.split(",", -1);
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 fields, got " + f.length);
                }
                List<Box> boxes = new ArrayList<>();
                for (String b : f[4].split(";")) {
                    if (!b.isBlank()) {
                        boxes.add(Box.parse(b));
                    }
                }
                entries.add(new Entry(f[0], Integer.parseInt(f[1].trim()), Integer.parseInt(f[2].trim()),
                        Integer.parseInt(f[3].trim()), List.copyOf(boxes)));
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + " line " + (n + 1) + " is malformed (" + e.getMessage() + "): " + line, e);
            }
        }
        if (entries.isEmpty()) {
            throw new IOException(csv + " lists no images");
        }
        return new ImageNetValSample(dir, entries);
    }

    /** The annotation rows. */
    public List<Entry> entries() {
        return entries;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public int label(int i) {
        return entries.get(i).label();
    }

    @Override
    public String name() {
        return dir.getFileName().toString();
    }

    /** Image {@code i} with its boxes scaled from the original size onto the stored image. */
    @Override
    public LabeledImage get(int i) throws IOException {
        Entry e = entries.get(i);
        RgbImage img = ImageFiles.read(dir.resolve("images").resolve(e.file()));
        double sx = (double) img.width() / e.originalWidth();
        double sy = (double) img.height() / e.originalHeight();
        return new LabeledImage(e.file(), img, e.label(), e.boxes().stream().map(b -> b.scale(sx, sy)).toList());
    }
}
