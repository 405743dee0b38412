package dev.caravan.api.store;

import java.time.Instant;
import java.util.Map;

/**
 * What to write with the bytes of a {@link ObjectStore#put}.
 *
 * @param size        exact size in bytes, or {@code -1} when unknown (the store must then stream)
 * @param modTime     modification time to keep, or {@code null}
 * @param contentType MIME type, or {@code null}
 * @param metadata    user metadata to store, possibly empty
 * @param posixMode   POSIX permission bits to keep, or {@code -1}
 */
public record PutRequest(long size, Instant modTime, String contentType, Map<String, String> metadata, int posixMode) {

    public PutRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A put of known size that keeps the source's time, type, metadata and mode. */
    public static PutRequest from(ObjectInfo source) {
        return new PutRequest(source.size(), source.modTime(), source.contentType(), source.metadata(),
                source.posixMode());
    }

    public static PutRequest ofSize(long size) {
        return new PutRequest(size, null, null, Map.of(), -1);
    }
}
