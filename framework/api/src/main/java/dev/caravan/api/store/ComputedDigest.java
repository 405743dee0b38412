package dev.caravan.api.store;

import java.util.Optional;

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
}
