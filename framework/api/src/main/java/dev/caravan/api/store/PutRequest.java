package dev.caravan.api.store;

import java.time.Instant;
import java.util.Map;

/**
 * What to write with the bytes of a {@link ObjectStore#put}. A store keeps the attributes of the kinds in its
 * {@link StoreFeatures#keeps()} and ignores the others (callers that must not lose them silently check first, see
 * {@link MetadataCheck}).
 *
 * @param size        exact size in bytes, or {@code -1} when unknown (the store must then stream)
 * @param modTime     modification time to keep, or {@code null}
 * @param contentType MIME type, or {@code null}
 * @param metadata    user metadata to store, possibly empty
 * @param posixMode   POSIX permission bits to keep, or {@code -1}
 * @param headers     content headers to store, {@link ContentHeaders#EMPTY} for none
 * @param tags        object tags to store, possibly empty
 */
public record PutRequest(long size, Instant modTime, String contentType, Map<String, String> metadata, int posixMode,
        ContentHeaders headers, Map<String, String> tags) {

    public PutRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        headers = ContentHeaders.orEmpty(headers);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A put without content headers and tags. */
    public PutRequest(long size, Instant modTime, String contentType, Map<String, String> metadata, int posixMode) {
        this(size, modTime, contentType, metadata, posixMode, ContentHeaders.EMPTY, Map.of());
    }

    /** A put of known size that keeps the source's time, type, headers, metadata, tags and mode. */
    public static PutRequest from(ObjectInfo source) {
        return new PutRequest(source.size(), source.modTime(), source.contentType(), source.metadata(),
                source.posixMode(), source.headers(), source.tags());
    }

    public static PutRequest ofSize(long size) {
        return new PutRequest(size, null, null, Map.of(), -1);
    }

    /** This request with other descriptive attributes (content type, headers, user metadata, tags). */
    public PutRequest withAttributes(String newContentType, ContentHeaders newHeaders,
            Map<String, String> newMetadata, Map<String, String> newTags) {
        return new PutRequest(size, modTime, newContentType, newMetadata, posixMode, newHeaders, newTags);
    }
}
