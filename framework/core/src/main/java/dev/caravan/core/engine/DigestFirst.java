package dev.caravan.core.engine;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.ComputedDigest.PartDigests;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Our SHA-256 of a source object computed before it is sent, so that it goes to the target with the object's own
 * metadata. Worth it where the target could otherwise add it only by copying the finished object on the server
 * ({@link MetadataWrite#rewritesObjectsAbove}: S3's CopyObject reads and writes every byte again) and the source computes
 * it without a transfer ({@link ComputedDigest}: a local file read once more, an SSH server's {@code sha256sum}).
 * The digest of the bytes actually sent must equal it; if not, the source changed in between and the copy is
 * retried.
 */
final class DigestFirst {
    private DigestFirst() {
    }

    /**
     * The source object's SHA-256 (lower-case hex) when it is worth announcing to this target, else {@code null}.
     *
     * @param inParts whether the engine sends the object in parts itself (the target computes no digest of it,
     *                whatever its size)
     * @param cutoff  what the source is read through: it stops the digest at a hard max duration
     */
    static String of(ObjectStore source, ObjectStore target, ObjectInfo src, boolean inParts, HardCutoff cutoff) {
        if (!worthAnnouncing(target, src, inParts)) {
            return null;
        }
        return source.capability(ComputedDigest.class).flatMap(c -> c.sha256(src.key(), guard(cutoff, src)))
                .map(h -> h.toLowerCase(Locale.ROOT)).orElse(null);
    }

    /**
     * The source object's SHA-256 and those of its parts of {@code partSize}, when the digest is worth announcing
     * (as for {@link #of}, in parts) and the target checks each part against a digest given with it
     * ({@link MultipartUpload#takesPartDigests}): then the parts need no digest as they are sent. {@code null}
     * otherwise, or when the source cannot compute part digests.
     */
    static PartDigests withParts(ObjectStore source, ObjectStore target, MultipartUpload upload, ObjectInfo src,
            long partSize, HardCutoff cutoff) {
        if (!upload.takesPartDigests() || !worthAnnouncing(target, src, true)) {
            return null;
        }
        return source.capability(ComputedDigest.class)
                .flatMap(c -> c.sha256WithParts(src.key(), partSize, guard(cutoff, src)))
                .map(d -> new PartDigests(d.sha256().toLowerCase(Locale.ROOT), d.parts())).orElse(null);
    }

    /** The source read through {@code cutoff}'s guard, as the copy itself reads it: a digest stops within a read. */
    private static UnaryOperator<InputStream> guard(HardCutoff cutoff, ObjectInfo src) {
        return in -> cutoff.guard(in, src.key());
    }

    /** Whether {@code target} could add our digest to {@code src}'s copy only by copying it on the server. */
    private static boolean worthAnnouncing(ObjectStore target, ObjectInfo src, boolean inParts) {
        long above = target.capability(MetadataWrite.class).map(MetadataWrite::rewritesObjectsAbove)
                .orElse(Long.MAX_VALUE);
        return above != Long.MAX_VALUE && (inParts || src.size() > above);
    }

    /** {@code request} with {@code sha256} in its user metadata, where the copy pipeline keeps our digest. */
    static PutRequest announce(PutRequest request, String sha256) {
        Map<String, String> metadata = new HashMap<>(request.metadata());
        metadata.put(CopyPipeline.SHA256_METADATA, sha256);
        return request.withAttributes(request.contentType(), request.headers(), metadata, request.tags());
    }

    /**
     * Fails (to be retried) when the bytes sent are not those whose digest was announced, after {@code undo} has
     * taken back what carries the wrong digest (an upload to abort, an object to delete). Nothing when none was.
     */
    static void check(String key, String announced, String sent, Runnable undo) {
        if (announced != null && !announced.equals(sent)) {
            undo.run();
            throw MigrationException.transientError("source " + key + " changed while copying: SHA-256 " + announced
                    + " before sending, " + sent + " of the bytes sent", null);
        }
    }
}
