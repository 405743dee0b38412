package dev.caravan.core.manifest;

import java.time.Instant;
import java.util.Objects;

/**
 * One object as a manifest records it.
 *
 * @param key     the object's key, relative to the manifest's location
 * @param size    size in bytes
 * @param sha256  SHA-256 of the bytes, lower-case hex
 * @param modTime modification time, or {@code null} when the store has none
 * @param etag    the store's version tag, or {@code null} when it has none
 */
public record ManifestEntry(String key, long size, String sha256, Instant modTime, String etag) {
    public ManifestEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
    }
}
