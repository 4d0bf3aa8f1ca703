package io.neuromask.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads class-name files: one label per line, index = line number − 1. */
public final class LabelFiles {

    private static final Pattern WORDNET_ID = Pattern.compile("^n\\d{8}\\s+");

    private LabelFiles() {}

    /**
     * Reads labels. A leading WordNet id (as in {@code synset_words.txt}: {@code n01440764 tench, Tinca tinca})
     * is dropped; trailing blank lines are ignored.
     *
     * @throws IOException naming the file when it is missing, empty, or has a blank line among the labels
     */
    public static List<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("labels file not found: " + file.toAbsolutePath());
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new IOException("labels file " + file + " is empty; give one class name per line");
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String label = WORDNET_ID.matcher(lines.get(i).trim()).replaceFirst("");
            if (label.isEmpty()) {
                throw new IOException("labels file " + file + " line " + (i + 1) + " is blank; give one class name per line");
            }
            labels.add(label);
        }
        return List.copyOf(labels);
    }
}
