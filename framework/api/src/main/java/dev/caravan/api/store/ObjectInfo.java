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
 */
public record ObjectInfo(
        String key,
        long size,
        Instant modTime,
        Map<HashType, String> hashes,
        String etag,
        String contentType,
        Map<String, String> metadata,
        int posixMode) {

    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        hashes = hashes == null ? Map.of() : Map.copyOf(hashes);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** An object known by key, size and modification time only. */
    public static ObjectInfo of(String key, long size, Instant modTime) {
        return new ObjectInfo(key, size, modTime, Map.of(), null, null, Map.of(), -1);
    }

    public Optional<String> hash(HashType type) {
        return Optional.ofNullable(hashes.get(type));
    }

    public ObjectInfo withKey(String newKey) {
        return new ObjectInfo(newKey, size, modTime, hashes, etag, contentType, metadata, posixMode);
    }

    public ObjectInfo withHashes(Map<HashType, String> newHashes) {
        return new ObjectInfo(key, size, modTime, newHashes, etag, contentType, metadata, posixMode);
    }
}
