package dev.caravan.api.store;

/**
 * A store whose listings leave out entries that are not objects (a file system's symbolic links, pipes, sockets and
 * devices) and say which, so that a plan names them instead of leaving them out in silence. Fallback: nothing is
 * said about what a listing left out.
 */
public interface SkippedEntries extends StoreCapability {

    /** What this store's listings have left out so far. */
    KeyNotes skipped();

    /**
     * Directories below the listed root that this store's listings could not read so far (permission denied, a path
     * longer than the system allows), each under its key prefix ({@code a/b/}): what they hold is unknown. A run
     * copies the rest, then fails (exit 1) naming them, and deletes nothing, since a sync would otherwise delete the
     * target's copies of what they hold. An unreadable root still fails the listing. Default: none.
     */
    default KeyNotes unlisted() {
        return new KeyNotes();
    }
}
