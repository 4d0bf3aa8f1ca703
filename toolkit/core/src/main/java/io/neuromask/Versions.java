package io.neuromask;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions that produced a result: this toolkit, DJL and the libtorch under DJL's PyTorch engine. */
public final class Versions {

    private static final Properties BUILD = load();

    private Versions() {}

    /** This toolkit's version, as built by Maven ({@code project.version}). */
    public static String toolkit() {
        return BUILD.getProperty("toolkit", "unknown");
    }

    /** The DJL version on the class path. */
    public static String djl() {
        return Engine.getDjlVersion();
    }

    /** The libtorch version DJL's PyTorch engine runs on (loads the engine). */
    public static String libtorch() {
        return Engine.getEngine("PyTorch").getVersion();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
