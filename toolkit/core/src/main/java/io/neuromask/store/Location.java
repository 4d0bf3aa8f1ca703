package io.neuromask.store;

/** Where the model store found, or would fetch, a file. */
public enum Location {
    /** In the local cache. */
    CACHE,
    /** In the mirror folder ({@code NEUROMASK_MIRROR}). */
    MIRROR,
    /** Nowhere locally; it would be downloaded from its canonical URL. */
    DOWNLOAD,
    /** Nowhere locally, and its URL does not serve the file itself. */
    MISSING
}
