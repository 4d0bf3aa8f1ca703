package io.neuromask.store;

import java.io.PrintStream;
import java.util.ServiceLoader;

/**
 * Receives the progress of the store's downloads: {@link #onProgress} after each received block (the
 * listener decides how often to redraw) and once with {@link DownloadProgress#finished()} true.
 *
 * <p>{@link #forEnvironment(PrintStream)} picks the listener for {@link ModelStore#fromEnvironment()}: the first
 * {@link DownloadListenerProvider} found by {@link ServiceLoader} that offers one (the toolkit's notebook
 * package offers a live bar when running in a Jupyter kernel), else a console bar on the given stream.
 */
@FunctionalInterface
public interface DownloadListener {

    /** Called from the downloading thread. */
    void onProgress(DownloadProgress progress);

    /** A listener that ignores everything. */
    DownloadListener NONE = p -> {};

    /** A provider's listener, else a {@link ConsoleDownloadListener} on {@code out}. */
    static DownloadListener forEnvironment(PrintStream out) {
        for (DownloadListenerProvider provider : ServiceLoader.load(DownloadListenerProvider.class,
                DownloadListener.class.getClassLoader())) {
            DownloadListener l = provider.listener();
            if (l != null) {
                return l;
            }
        }
        return new ConsoleDownloadListener(out);
    }
}
