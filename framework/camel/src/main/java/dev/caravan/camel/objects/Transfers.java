package dev.caravan.camel.objects;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.Rename;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.core.verify.VerifyMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Single-object transfers for the producer: server-side copy where the target store offers it, else stream
 * through a SHA-256 hasher into a deterministic temporary key, verify, and rename into place (stores without
 * atomic puts), removing the temporary object on failure. A failed verification is a
 * {@link ErrorKind#VERIFICATION_FAILED} error and leaves nothing behind under the final key.
 */
public final class Transfers {
    private static final Pattern TEMPORARY = Pattern.compile("\\.caravan-[0-9a-f]{16}\\.tmp");

    private Transfers() {
    }

    /**
     * What a transfer wrote.
     *
     * @param info   the object under its final key
     * @param method {@code server-side} or {@code stream}
     * @param sha256 hex SHA-256 of the bytes streamed, or {@code null} after a server-side copy
     */
    public record Result(ObjectInfo info, String method, String sha256) {
    }

    /** The temporary key a transfer to {@code key} writes first: same folder, hidden, derived from the key. */
    public static String temporaryKey(String key) {
        String hash = HexFormat.of().formatHex(Hashing.sha256().digest(key.getBytes(StandardCharsets.UTF_8)), 0, 8);
        String parent = ObjectKeys.parent(key);
        return (parent.isEmpty() ? "" : parent + "/") + ".caravan-" + hash + ".tmp";
    }

    /** Whether a key is a transfer's temporary object (listings skip them). */
    public static boolean isTemporary(String key) {
        return TEMPORARY.matcher(ObjectKeys.baseName(key)).matches();
    }

    /** Copies one object between stores (possibly the same store). */
    public static Result copy(ObjectStore from, ObjectInfo source, ObjectStore to, String targetKey,
            VerifyMode verify) {
        ObjectKeys.requireSafe(targetKey);
        Optional<ServerSideCopy> serverSide = to.capability(ServerSideCopy.class);
        if (serverSide.isPresent() && sameScheme(from, to)) {
            try {
                ObjectInfo copied = serverSide.get().copy(from, source, targetKey);
                checkServerSide(source, copied, verify, to, targetKey);
                return new Result(copied, "server-side", null);
            } catch (MigrationException e) {
                if (e.kind() != ErrorKind.UNSUPPORTED) {
                    throw e;
                }
                // fallback named by ServerSideCopy: stream the bytes
            }
        }
        String expectedSha = source.hash(HashType.SHA256).orElse(null);
        return write(to, targetKey, from.open(source.key(), ByteRange.ALL), PutRequest.from(source), source.size(),
                expectedSha, verify);
    }

    /** Writes a stream under a key (through a temporary key where needed) and verifies it. Closes the stream. */
    public static Result put(ObjectStore to, String key, InputStream data, PutRequest request, VerifyMode verify) {
        ObjectKeys.requireSafe(key);
        return write(to, key, data, request, request.size(), null, verify);
    }

    private static Result write(ObjectStore to, String key, InputStream data, PutRequest request, long expectedSize,
            String expectedSha, VerifyMode verify) {
        Optional<Rename> rename = to.features().atomicPut() ? Optional.empty() : to.capability(Rename.class);
        String writeKey = rename.isPresent() ? temporaryKey(key) : key;
        try {
            ObjectInfo written;
            long count;
            String sha;
            try (Hashing.HashingInputStream in = new Hashing.HashingInputStream(data)) {
                written = to.put(writeKey, in, request);
                count = in.count();
                sha = in.hex();
            }
            check(verify, to, writeKey, written, count, sha, expectedSize, expectedSha);
            if (rename.isPresent()) {
                rename.get().rename(writeKey, key);
            }
            ObjectInfo info = to.stat(key).orElse(written.withKey(key));
            Map<HashType, String> hashes = new HashMap<>(info.hashes());
            hashes.putIfAbsent(HashType.SHA256, sha);
            return new Result(info.withHashes(hashes), "stream", sha);
        } catch (IOException e) {
            discard(to, writeKey);
            throw MigrationException.transientError("writing " + to.uri() + " " + key + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(to, writeKey);
            throw e;
        }
    }

    private static void check(VerifyMode verify, ObjectStore to, String writeKey, ObjectInfo written, long count,
            String sha, long expectedSize, String expectedSha) {
        if (verify == VerifyMode.NONE) {
            return;
        }
        if (expectedSize >= 0 && count != expectedSize) {
            throw failed(to, writeKey, "read " + count + " bytes, the source has " + expectedSize);
        }
        long stored = written.size() >= 0 ? written.size() : to.stat(writeKey).map(ObjectInfo::size).orElse(-1L);
        if (stored != count) {
            throw failed(to, writeKey, "wrote " + count + " bytes, the target has " + stored);
        }
        if (verify == VerifyMode.SHA256) {
            if (expectedSha != null && !expectedSha.equalsIgnoreCase(sha)) {
                throw failed(to, writeKey, "sha256 of the bytes read " + sha + " != source's " + expectedSha);
            }
            String target = written.hash(HashType.SHA256).orElseGet(() -> Hashing.sha256Of(to, writeKey));
            if (!target.equalsIgnoreCase(sha)) {
                throw failed(to, writeKey, "sha256 " + sha + " != target's " + target);
            }
        }
    }

    private static void checkServerSide(ObjectInfo source, ObjectInfo copied, VerifyMode verify, ObjectStore to,
            String key) {
        if (verify == VerifyMode.NONE) {
            return;
        }
        if (source.size() >= 0 && copied.size() >= 0 && source.size() != copied.size()) {
            throw failed(to, key, "server-side copy has " + copied.size() + " bytes, the source " + source.size());
        }
        Optional<String> a = source.hash(HashType.SHA256);
        Optional<String> b = copied.hash(HashType.SHA256);
        if (verify == VerifyMode.SHA256 && a.isPresent() && b.isPresent() && !a.get().equalsIgnoreCase(b.get())) {
            throw failed(to, key, "sha256 " + a.get() + " != target's " + b.get());
        }
    }

    private static MigrationException failed(ObjectStore to, String key, String detail) {
        discard(to, key);
        return new MigrationException(ErrorKind.VERIFICATION_FAILED, "verification of " + to.uri() + " " + key
                + " failed: " + detail);
    }

    private static void discard(ObjectStore store, String key) {
        try {
            store.delete(key);
        } catch (RuntimeException ignored) {
            // best effort: the original failure is what the caller needs to see
        }
    }

    private static boolean sameScheme(ObjectStore a, ObjectStore b) {
        try {
            return Endpoint.parse(a.uri()).scheme().equals(Endpoint.parse(b.uri()).scheme());
        } catch (MigrationException e) {
            return false;
        }
    }
}
