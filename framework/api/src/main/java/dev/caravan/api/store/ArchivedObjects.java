package dev.caravan.api.store;

/**
 * A store whose listings see objects kept in an archive tier, which cannot be read until they are restored: S3's
 * GLACIER and DEEP_ARCHIVE storage classes (readable while a restored copy exists), Azure's Archive access tier
 * (readable after rehydration to an online tier). Such objects are listed and planned like any other, and a plan
 * names them, since their copy fails until they are restored. Fallback: nothing is said before the copies fail.
 */
public interface ArchivedObjects extends StoreCapability {

    /** The archived objects this store's listings have seen so far. */
    KeyNotes archived();
}
