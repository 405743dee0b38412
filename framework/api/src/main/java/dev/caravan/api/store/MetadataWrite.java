package dev.caravan.api.store;

import java.util.Map;

/**
 * Updates the user metadata of an existing object (used to store our SHA-256 so a later verification needs no
 * download). Fallback when absent: keep the digest in the journal only.
 */
public interface MetadataWrite extends StoreCapability {
    /** Merges {@code metadata} into the object's user metadata. */
    void putMetadata(String key, Map<String, String> metadata);

    /**
     * The size above which this store may write an object without our SHA-256 in its metadata (it streams it, or
     * sends it in parts, so it cannot compute the digest before the object's metadata is sent) and can then add it
     * only by copying the object on the server (S3's CopyObject onto itself: every byte read and written again, slow
     * and billed for large objects). Callers that can compute the digest before writing ({@link ComputedDigest}
     * sources) pass it with such writes instead, in {@link PutRequest#metadata()}, and with every multipart upload
     * they send themselves. {@link Long#MAX_VALUE} by default: metadata is changed in place (Azure's Set Blob
     * Metadata).
     */
    default long rewritesObjectsAbove() {
        return Long.MAX_VALUE;
    }
}
