package io.neuromask.store;

/**
 * A source of download listeners found with {@link java.util.ServiceLoader} (register an implementation in
 * {@code META-INF/services/io.neuromask.store.DownloadListenerProvider}); lets an environment such as a
 * notebook kernel show downloads its own way without the store depending on it.
 */
public interface DownloadListenerProvider {

    /** A listener for a new store, or {@code null} when this provider does not apply here. */
    DownloadListener listener();
}
