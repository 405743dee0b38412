package dev.caravan.api.store;

/**
 * A store whose listings leave out entries that are not objects (a file system's symbolic links, pipes, sockets and
 * devices) and say which, so that a plan names them instead of leaving them out in silence. Fallback: nothing is
 * said about what a listing left out.
 */
public interface SkippedEntries extends StoreCapability {

    /** What this store's listings have left out so far. */
    KeyNotes skipped();
}
