package dev.caravan.api.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Uploads a large object in parts that can be sent in parallel and resumed after a crash: the upload id and the
 * finished parts go into the journal checkpoint (keys owned by the connector, e.g. {@code s3.uploadId}).
 * Fallback when absent: a single streaming {@link ObjectStore#put}.
 */
public interface MultipartUpload extends StoreCapability {

    /** A finished part: its number (from 1), size and the store's tag for it. */
    record Part(int number, long size, String tag) {
    }

    /** Smallest allowed part size in bytes (except for the last part). */
    long minPartSize();

    /**
     * The part size this store is configured with (S3's {@code partSize}), which the engine's resumable uploads
     * use, raised where an object would need too many parts; 0 or less: the engine's own (16 MiB).
     */
    default long preferredPartSize() {
        return -1;
    }

    /**
     * The largest object this store's {@link ObjectStore#put} of a known size sends in one request. A larger put is
     * uploaded in parts by the store on its own, which no journal records: a killed run would send it again in full
     * and leave its unfinished upload on the server. The engine sends such objects through this capability instead,
     * so their upload id and finished parts are checkpointed. Default: no limit (only objects of at least the
     * engine's own threshold, 64 MiB, go through this capability).
     */
    default long largestSingleRequest() {
        return Long.MAX_VALUE;
    }

    /** Starts an upload and returns its id. */
    String begin(String key, PutRequest request);

    /** The parts the store already holds for an upload, so a resumed upload sends only the rest. */
    List<Part> listParts(String key, String uploadId);

    /** Uploads one part of exactly {@code size} bytes; safe to repeat. */
    Part uploadPart(String key, String uploadId, int number, InputStream data, long size);

    /**
     * Uploads one part held in memory: the first {@code length} bytes of {@code data}, which the caller leaves
     * unchanged until this returns and the store does not keep. Safe to repeat. The default streams them through
     * {@link #uploadPart(String, String, int, InputStream, long)}; a store that needs a part in memory anyway (to
     * send its digest ahead of its bytes) overrides this to use the caller's buffer instead of copying it.
     */
    default Part uploadPart(String key, String uploadId, int number, byte[] data, int length) {
        return uploadPart(key, uploadId, number, new ByteArrayInputStream(data, 0, length), length);
    }

    /**
     * Uploads one part held in memory together with its SHA-256 computed earlier ({@code sha256}, 32 bytes). A store
     * that {@link #takesPartDigests} sends that digest with the part and refuses the part (a {@code TRANSIENT}
     * failure) when the bytes it receives do not match it; the default ignores the digest.
     */
    default Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256) {
        return uploadPart(key, uploadId, number, data, length);
    }

    /**
     * Uploads one part held in memory, as {@link #uploadPart(String, String, int, byte[], int)} does, or with its
     * SHA-256 as {@link #uploadPart(String, String, int, byte[], int, byte[])} does when {@code sha256} is not
     * {@code null}, reading its bytes through {@code through} as it sends them: the caller's guard, whose failing read
     * (at a deadline) stops the part within one read with that failure. The default sends a part with a digest as that
     * method does (not through {@code through}), and one without through
     * {@link #uploadPart(String, String, int, InputStream, long)}; a store that sends parts from memory overrides it.
     */
    default Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256,
            UnaryOperator<InputStream> through) {
        return sha256 != null ? uploadPart(key, uploadId, number, data, length, sha256)
                : uploadPart(key, uploadId, number, through.apply(new ByteArrayInputStream(data, 0, length)), length);
    }

    /**
     * Whether {@link #uploadPart(String, String, int, byte[], int, byte[])} has the store check each part against the
     * digest given with it (S3: the part's signed payload hash, checked by the server), so a caller that took the
     * part digests from the source in one earlier pass need not hash the bytes again as it sends them. Default: no.
     */
    default boolean takesPartDigests() {
        return false;
    }

    /** Publishes the object from its parts, in order. */
    ObjectInfo complete(String key, String uploadId, List<Part> parts);

    /**
     * Whether the store itself checks each part against a digest of the bytes it was given (S3's Content-MD5),
     * so a completed upload is known to hold exactly the bytes sent without reading it back. Default: no.
     */
    default boolean verifiesParts() {
        return false;
    }

    /** Discards an upload and its parts; a no-op if it is already gone. */
    void abort(String key, String uploadId);
}
