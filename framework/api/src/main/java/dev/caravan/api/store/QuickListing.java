package dev.caravan.api.store;

import java.util.stream.Stream;

/**
 * A listing that makes no request per object, for a store whose full {@link ObjectStore#list} completes each listed
 * object with one (S3 keeps the modification time and SHA-256 in user metadata, which ListObjectsV2 does not
 * return, so its full listing sends a HEAD per object). Objects of a quick listing carry the key, the exact size
 * and the etag; their modification time is the store's own time of the last write (not a kept one), and they
 * carry no hashes, content type or metadata. {@link ObjectStore#stat} gives the full info of one object.
 *
 * <p>Order, laziness, closing and errors are those of {@link ObjectStore#list}. Thread-safe like the store.
 * Fallback when absent: {@link ObjectStore#list}, whose objects are complete.
 */
public interface QuickListing extends StoreCapability {

    /**
     * Lists every object whose key starts with {@code prefix} (empty for all), sorted by {@link ObjectKeys#ORDER},
     * lazily, with the facts of the store's plain listing only (see the class comment). The stream must be closed.
     */
    Stream<ObjectInfo> listQuick(String prefix);
}
