package dev.caravan.core.engine;

import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.hash.StoredSha256;
import java.io.IOException;
import java.util.Optional;

/**
 * Compares one object on two stores: size first, then the stores' own digests of a kind both report (an MD5), then
 * SHA-256, taken from what each store has stored (our {@code caravan-sha256} metadata or a native digest) and
 * computed by reading only where it is missing.
 */
final class ObjectComparer {
    private ObjectComparer() {
    }

    static VerificationItem compare(String key, ObjectStore source, ObjectInfo s, ObjectStore target, ObjectInfo t) {
        if (s.size() >= 0 && t.size() >= 0 && s.size() != t.size()) {
            return new VerificationItem(key, VerificationOutcome.DIFFER, "size",
                    "size " + s.size() + " on source, " + t.size() + " on target");
        }
        VerificationItem contradicted = ownDigestsDiffer(key, s, t);
        if (contradicted != null) {
            return contradicted;
        }
        try {
            Optional<String> storedS = StoredSha256.of(s);
            Optional<String> storedT = StoredSha256.of(t);
            String a = storedS.isPresent() ? storedS.get() : StoredSha256.ofBytes(source, s.key());
            String b = storedT.isPresent() ? storedT.get() : StoredSha256.ofBytes(target, t.key());
            String method = storedS.isPresent() && storedT.isPresent() ? "sha256-stored" : "sha256";
            return a.equals(b) ? new VerificationItem(key, VerificationOutcome.MATCH, method, "")
                    : new VerificationItem(key, VerificationOutcome.DIFFER, method,
                            "sha256 " + a + " on source, " + b + " on target");
        } catch (IOException | RuntimeException e) {
            return new VerificationItem(key, VerificationOutcome.ERROR, "sha256", String.valueOf(e.getMessage()));
        }
    }

    /**
     * DIFFER when both objects carry a digest of one kind other than SHA-256 (S3's MD5 ETag, Azure's Content-MD5) and
     * the two differ: the bytes differ, whatever a stored SHA-256 says (metadata kept by a tool that rewrote the
     * object's bytes; a move trusting it would delete the only good copy). {@code null} otherwise.
     */
    private static VerificationItem ownDigestsDiffer(String key, ObjectInfo s, ObjectInfo t) {
        for (HashType type : HashType.values()) {
            if (type == HashType.SHA256) {
                continue;
            }
            Optional<String> a = s.hash(type);
            Optional<String> b = t.hash(type);
            if (a.isPresent() && b.isPresent() && !a.get().equalsIgnoreCase(b.get())) {
                String name = type.name().toLowerCase(java.util.Locale.ROOT);
                return new VerificationItem(key, VerificationOutcome.DIFFER, name, name + " " + a.get()
                        + " on source, " + b.get() + " on target (the stores' own digests)");
            }
        }
        return null;
    }
}
