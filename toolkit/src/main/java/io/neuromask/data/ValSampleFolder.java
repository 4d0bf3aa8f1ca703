package io.neuromask.data;

import io.neuromask.RgbImage;
import io.neuromask.io.ImageFiles;
import io.neuromask.metrics.Box;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder in the ImageNet val-sample layout: {@code images/<file>} plus {@code annotations.csv} with
 * the header {@code file,label,original_width,original_height,boxes}; {@code label} is a class index;
 * {@code boxes} is {@code x0 y0 x1 y1} in pixels of the <em>original</em> image, boxes separated by
 * {@code ;} (may be empty). Boxes are scaled to the stored image file's size when it is read.
 */
public final class ValSampleFolder implements LabeledImages {

    private record Row(String file, int label, int originalWidth, int originalHeight, List<Box> boxes) {}

    private final Path dir;
    private final List<Row> rows;

    private ValSampleFolder(Path dir, List<Row> rows) {
        this.dir = dir;
        this.rows = rows;
    }

    /**
     * Opens a folder and parses its annotations.
     *
     * @throws IOException when {@code annotations.csv} is missing or malformed (naming the line)
     */
    public static ValSampleFolder open(Path dir) throws IOException {
        Path csv = dir.resolve("annotations.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IOException("no annotations.csv in " + dir.toAbsolutePath()
                    + "; a data folder needs images/ and annotations.csv (file,label,original_width,original_height,boxes)");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals("file,label,original_width,original_height,boxes")) {
            throw new IOException(csv + ": the first line must be file,label,original_width,original_height,boxes");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 5) {
                throw new IOException(csv + " line " + (i + 1) + ": expected 5 comma-separated fields, got " + f.length);
            }
            try {
                List<Box> boxes = new ArrayList<>();
                for (String b : f[4].split(";")) {
                    if (b.isBlank()) {
                        continue;
                    }
                    String[] c = b.trim().split("\\s+");
                    if (c.length != 4) {
                        throw new IOException(csv + " line " + (i + 1) + ": a box needs 4 numbers 'x0 y0 x1 y1', got '" + b + "'");
                    }
                    boxes.add(new Box(Double.parseDouble(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2]),
                            Double.parseDouble(c[3])));
                }
                rows.add(new Row(f[0].trim(), Integer.parseInt(f[1].trim()), Integer.parseInt(f[2].trim()),
                        Integer.parseInt(f[3].trim()), boxes));
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new ValSampleFolder(dir, rows);
    }

    @Override
    public String name() {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public LabeledImage get(int index) throws IOException {
        Row r = rows.get(index);
        RgbImage img = ImageFiles.read(dir.resolve("images").resolve(r.file()));
        double sx = (double) img.width() / r.originalWidth();
        double sy = (double) img.height() / r.originalHeight();
        List<Box> boxes = new ArrayList<>();
        for (Box b : r.boxes()) {
            boxes.add(b.scale(sx, sy));
        }
        return new LabeledImage(r.file(), img, r.label(), boxes);
    }
}
