package io.neuromask;

import io.neuromask.base.RgbImage;
import io.neuromask.io.ImageFiles;
import io.neuromask.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Run by {@link HostileInputsTest} in a JVM of small heap: reads one hostile file and prints what happened on one
 * line ({@code image W H r g b}, or {@code refused <message>}). An {@link OutOfMemoryError} ends the JVM with a
 * non-zero status.
 */
public final class HostileInputsMain {

    private HostileInputsMain() {}

    /** {@code towards <png> <width> <height>}, {@code full <png>} or {@code checkpoint <file>}. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "towards" -> {
                    RgbImage img = ImageFiles.read(file, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                    System.out.println("image " + img.width() + " " + img.height() + " "
                            + Math.round(255 * img.get(0, img.height() / 2, img.width() / 2)) + " "
                            + Math.round(255 * img.get(1, img.height() / 2, img.width() / 2)) + " "
                            + Math.round(255 * img.get(2, img.height() / 2, img.width() / 2)));
                }
                case "full" -> {
                    RgbImage img = ImageFiles.read(file);
                    System.out.println("image " + img.width() + " " + img.height());
                }
                case "checkpoint" -> System.out.println("read " + TorchCheckpoint.read(file).stateDict().keySet());
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (IOException e) {
            System.out.println("refused " + e.getMessage());
        }
    }
}
