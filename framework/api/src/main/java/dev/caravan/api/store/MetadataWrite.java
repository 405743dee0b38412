package dev.caravan.api.store;

import java.util.Map;

/**
 * Updates the user metadata of an existing object without rewriting its bytes (used to store our SHA-256 so a
 * later verification needs no download). Fallback when absent: keep the digest in the journal only.
 */
public interface MetadataWrite extends StoreCapability {
    /** Merges {@code metadata} into the object's user metadata. */
    void putMetadata(String key, Map<String, String> metadata);
}
