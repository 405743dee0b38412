package dev.caravan.api.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store knows about one object. Immutable.
 *
 * @param key         path relative to the store root, {@code /}-separated, never starting with {@code /}
 * @param size        size in bytes, or {@code -1} when unknown
 * @param modTime     modification time, or {@code null} when the store has none
 * @param hashes      digests the store already knows (no download needed), hex, possibly empty
 * @param etag        opaque version tag, or {@code null}; never to be compared as an MD5
 * @param contentType MIME type, or {@code null}
 * @param metadata    user metadata, possibly empty
 * @param posixMode   POSIX permission bits (e.g. {@code 0644}), or {@code -1} when the store has none
 * @param headers     content headers (cache control, disposition, encoding, language), {@link ContentHeaders#EMPTY}
 *                    when none or unknown
 * @param tags        object tags, possibly empty (also when a store does not read them, e.g. in listings)
 */
public record ObjectInfo(
        String key,
        long size,
        Instant modTime,
        Map<HashType, String> hashes,
        String etag,
        String contentType,
        Map<String, String> metadata,
        int posixMode,
        ContentHeaders headers,
        Map<String, String> tags) {

    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        hashes = hashes == null ? Map.of() : Map.copyOf(hashes);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        headers = ContentHeaders.orEmpty(headers);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** An object without content headers and tags. */
    public ObjectInfo(String key, long size, Instant modTime, Map<HashType, String> hashes, String etag,
            String contentType, Map<String, String> metadata, int posixMode) {
        this(key, size, modTime, hashes, etag, contentType, metadata, posixMode, ContentHeaders.EMPTY, Map.of());
    }

    /** An object known by key, size and modification time only. */
    public static ObjectInfo of(String key, long size, Instant modTime) {
        return new ObjectInfo(key, size, modTime, Map.of(), null, null, Map.of(), -1);
    }

    public Optional<String> hash(HashType type) {
        return Optional.ofNullable(hashes.get(type));
    }

    public ObjectInfo withKey(String newKey) {
        return new ObjectInfo(newKey, size, modTime, hashes, etag, contentType, metadata, posixMode, headers, tags);
    }

    public ObjectInfo withHashes(Map<HashType, String> newHashes) {
        return new ObjectInfo(key, size, modTime, newHashes, etag, contentType, metadata, posixMode, headers, tags);
    }

    /** This object with other descriptive attributes (content type, headers, user metadata, tags). */
    public ObjectInfo withAttributes(String newContentType, ContentHeaders newHeaders,
            Map<String, String> newMetadata, Map<String, String> newTags) {
        return new ObjectInfo(key, size, modTime, hashes, etag, newContentType, newMetadata, posixMode, newHeaders,
                newTags);
    }
}
