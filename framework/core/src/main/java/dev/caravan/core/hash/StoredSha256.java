package dev.caravan.core.hash;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Caravan takes an object's SHA-256 from: what the store has stored (a native SHA-256, else the
 * {@value #METADATA} user metadata a verified copy wrote), or, failing that, a digest of the object's bytes as they are
 * now (computed where the object lives when the store can, else read and hashed here).
 */
public final class StoredSha256 {
    /** The user metadata entry in which a copy stores the SHA-256 of the bytes it wrote (lower-case hex). */
    public static final String METADATA = "caravan-sha256";

    private StoredSha256() {
    }

    /** The SHA-256 the store reports for the object without reading it, or empty; lower-case hex. */
    public static Optional<String> of(ObjectInfo object) {
        Optional<String> stored = object.hash(HashType.SHA256);
        if (stored.isEmpty()) {
            stored = Optional.ofNullable(object.metadata().get(METADATA));
        }
        return stored.map(s -> s.toLowerCase(Locale.ROOT));
    }

    /**
     * The SHA-256 of the object's bytes as they are now: the store's {@link ComputedDigest} when it has one for this
     * object (never a stale value), else the bytes read and hashed with a fixed-size buffer.
     */
    public static String ofBytes(ObjectStore store, String key) throws IOException {
        Optional<String> computed = store.capability(ComputedDigest.class).flatMap(c -> c.sha256(key));
        if (computed.isPresent()) {
            return computed.get().toLowerCase(Locale.ROOT);
        }
        try (InputStream in = store.open(key, ByteRange.ALL)) {
            return HashingInputStream.sha256Of(in);
        }
    }
}
