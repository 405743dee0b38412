package dev.caravan.api.store;

import java.util.List;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The SHA-256 of a stored object computed where the object lives (an SSH server hashing the file with
 * {@code sha256sum}), so verifying a copy, or comparing two stores, reads nothing back over the network.
 *
 * <p>Fallback when absent, or when {@link #sha256} is empty: read the object and hash it.
 */
public interface ComputedDigest extends StoreCapability {
    /**
     * The object's SHA-256 (lower-case hex) as the store computes it now, or empty when it cannot for this object
     * (no command on the server, an object small enough that reading it is cheaper); never a stale value.
     */
    Optional<String> sha256(String key);

    /**
     * The object's SHA-256 and the SHA-256 of each consecutive {@code partSize}-byte piece of it (the last one may be
     * shorter), from one reading of the object; empty (the default) when the store cannot compute them. A multipart
     * target that checks every part against a digest given with it ({@link MultipartUpload#takesPartDigests}) then
     * needs no digest of the bytes as they are sent.
     */
    default Optional<PartDigests> sha256WithParts(String key, long partSize) {
        return Optional.empty();
    }

    /**
     * As {@link #sha256(String)}; a store that reads the object itself to hash it (a local file) reads it through
     * {@code through} (the caller's guard: a read that fails, e.g. at a deadline, stops the digest with the failure).
     * The default ignores {@code through} (a digest computed on a server cannot be stopped).
     */
    default Optional<String> sha256(String key, UnaryOperator<InputStream> through) {
        return sha256(key);
    }

    /** As {@link #sha256WithParts(String, long)}, the object read through {@code through} (see {@link #sha256}). */
    default Optional<PartDigests> sha256WithParts(String key, long partSize, UnaryOperator<InputStream> through) {
        return sha256WithParts(key, partSize);
    }

    /**
     * Digests of an object and of its parts.
     *
     * @param sha256 the whole object's SHA-256, lower-case hex
     * @param parts  the SHA-256 of each part, in order (32 bytes each; at least one, for an empty object)
     */
    record PartDigests(String sha256, List<byte[]> parts) {
        public PartDigests {
            parts = List.copyOf(parts);
        }
    }
}
