package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.UnfinishedUploads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Multipart uploads of one store: the {@link dev.caravan.api.store.MultipartUpload} capability (whose upload id
 * and parts the engine keeps in its journal to resume), the parts of {@link S3Uploader}'s large puts, and the
 * clean-up of orphaned uploads. The server refuses a damaged part, which is retried as TRANSIENT: over TLS every part
 * carries Content-MD5 (BadDigest); over plain HTTP the SDK signs each part's SHA-256 ({@code x-amz-content-sha256},
 * which S3 and S3Proxy check: XAmzContentSHA256Mismatch), so a Content-MD5 would only hash every byte a third time
 * (with our SHA-256 and the signature's): about 1.2 CPU seconds per GiB on this project's 2-core machine. A part
 * given with its SHA-256 (taken when the source was read before the upload) is signed with it as it is
 * ({@link S3Direct#uploadPart}), over either scheme, and not hashed here at all.
 */
final class S3Multipart {
    private static final Logger LOG = LoggerFactory.getLogger(S3Multipart.class);

    private final S3ObjectStore store;

    S3Multipart(S3ObjectStore store) {
        this.store = store;
    }

    String begin(String key, PutRequest request) {
        return create(key, request, S3Metadata.forPut(key, request));
    }

    String create(String key, PutRequest request, Map<String, String> metadata) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(store.bucket())
                .key(store.location().fullKey(key)).metadata(metadata);
        if (request.contentType() != null) {
            create.contentType(request.contentType());
        }
        S3Attributes.apply(request, store.keepsTags(), create::cacheControl, create::contentDisposition,
                create::contentEncoding, create::contentLanguage, create::tagging);
        if (store.settings().storageClass() != null) {
            create.storageClass(store.settings().storageClass());
        }
        S3ObjectProtection.apply(store.settings(), create);
        S3CustomerKey.on(store.settings().customerKey(), create);
        return store.call("starting a multipart upload of '" + key + "'",
                () -> store.client().createMultipartUpload(create.build())).uploadId();
    }

    List<Part> listParts(String key, String uploadId) {
        List<Part> parts = new ArrayList<>();
        String full = store.location().fullKey(key);
        Integer marker = null;
        while (true) {
            Integer from = marker;
            ListPartsResponse page = store.call("listing the parts of '" + key + "'", () -> store.client()
                    .listParts(r -> S3CustomerKey.on(store.settings().customerKey(),
                            r.bucket(store.bucket()).key(full).uploadId(uploadId).partNumberMarker(from))));
            page.parts().forEach(p -> parts.add(new Part(p.partNumber(), p.size(), p.eTag())));
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null) {
                return parts;
            }
            marker = page.nextPartNumberMarker();
        }
    }

    Part uploadPart(String key, String uploadId, int number, InputStream data, long size) {
        checkPart(key, number, size);
        if (size <= store.settings().partSize()) {
            PartBuffers.Buffer buffer = store.buffers().take((int) size);
            try {
                int n = S3Uploader.fill(key, data, buffer.bytes, (int) size);
                if (n < size) {
                    throw MigrationException.transientError("part " + number + " of '" + key + "' ended after " + n
                            + " of " + size + " bytes", null);
                }
                return uploadBytes(key, uploadId, number, buffer.bytes, n);
            } finally {
                buffer.release();
            }
        }
        return uploadSpooled(key, uploadId, number, data, size);
    }

    /** A part the caller holds in memory: sent from its buffer (no copy into one of this store's). */
    Part uploadPart(String key, String uploadId, int number, byte[] data, int length) {
        checkPart(key, number, length);
        return uploadBytes(key, uploadId, number, data, length);
    }

    /**
     * A part from memory with its SHA-256 taken before: signed with it through {@link S3Direct#uploadPart} (the
     * server checks it; no Content-MD5, no hashing here), or, where requests go through the SDK client, as
     * {@link #uploadPart(String, String, int, byte[], int)}.
     */
    Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256) {
        return uploadPart(key, uploadId, number, data, length, sha256, UnaryOperator.identity());
    }

    /**
     * A part from memory, with its SHA-256 taken before ({@code sha256}, or {@code null}), its bytes read through
     * {@code through} as they are sent (the caller's guard stops the part within one read).
     */
    Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256,
            UnaryOperator<InputStream> through) {
        checkPart(key, number, length);
        Optional<S3Direct> direct = store.direct();
        if (direct.isEmpty() || sha256 == null) {
            return uploadBytes(key, uploadId, number, data, length, through);
        }
        UploadPartRequest part = UploadPartRequest.builder().bucket(store.bucket())
                .key(store.location().fullKey(key)).uploadId(uploadId).partNumber(number).contentLength((long) length)
                .build();
        String etag = store.call("uploading part " + number + " of '" + key + "'",
                () -> direct.get().uploadPart(part, data, length, sha256, through));
        return new Part(number, length, etag);
    }

    private static void checkPart(String key, int number, long size) {
        if (number < 1 || number > S3Settings.MAX_PARTS) {
            throw new MigrationException(ErrorKind.FATAL, "part number " + number + " of '" + key + "' is outside "
                    + "1..10000");
        }
        if (size < 0 || size > S3Settings.MAX_PART) {
            throw new MigrationException(ErrorKind.FATAL, "part " + number + " of '" + key + "' has " + size
                    + " bytes; S3 parts have 0 to 5G");
        }
    }

    /** Whether parts carry Content-MD5: over TLS, where the SDK leaves the payload unsigned (see the class comment). */
    private boolean partMd5() {
        return store.settings().tls();
    }

    /** Uploads one part from memory, with its Content-MD5 over TLS. */
    Part uploadBytes(String key, String uploadId, int number, byte[] bytes, int n) {
        return uploadBytes(key, uploadId, number, bytes, n, UnaryOperator.identity());
    }

    /** Uploads one part from memory, read through {@code through} as it is sent. */
    private Part uploadBytes(String key, String uploadId, int number, byte[] bytes, int n,
            UnaryOperator<InputStream> through) {
        String md5 = partMd5() ? Base64.getEncoder().encodeToString(S3Uploader.digest("MD5", bytes, n)) : null;
        UploadPartRequest part = S3CustomerKey.on(store.settings().customerKey(), UploadPartRequest.builder()
                .bucket(store.bucket()).key(store.location().fullKey(key)).uploadId(uploadId).partNumber(number)
                .contentLength((long) n).contentMD5(md5)).build();
        String etag = store.call("uploading part " + number + " of '" + key + "'", () -> store.client()
                .uploadPart(part, RequestBody.fromContentProvider(() -> through.apply(new ByteArrayInputStream(bytes, 0, n)), n,
                        "application/octet-stream"))).eTag();
        return new Part(number, n, etag);
    }

    /**
     * A part larger than partSize goes through a temporary file, so that its length (and over TLS its MD5) is known
     * before it is sent.
     */
    private Part uploadSpooled(String key, String uploadId, int number, InputStream data, long size) {
        Path spool = null;
        try {
            spool = Files.createTempFile("caravan-s3-part-", ".bin");
            MessageDigest md5 = partMd5() ? S3Uploader.newDigest("MD5") : null;
            long n;
            try (OutputStream out = Files.newOutputStream(spool)) {
                InputStream part = new BoundedStream(data, size);
                n = (md5 == null ? part : new DigestInputStream(part, md5)).transferTo(out);
            }
            if (n < size) {
                throw MigrationException.transientError("part " + number + " of '" + key + "' ended after " + n
                        + " of " + size + " bytes", null);
            }
            UploadPartRequest part = S3CustomerKey.on(store.settings().customerKey(), UploadPartRequest.builder()
                    .bucket(store.bucket()).key(store.location().fullKey(key)).uploadId(uploadId).partNumber(number)
                    .contentLength(size).contentMD5(md5 == null ? null
                            : Base64.getEncoder().encodeToString(md5.digest()))).build();
            Path file = spool;
            String etag = store.call("uploading part " + number + " of '" + key + "'",
                    () -> store.client().uploadPart(part, RequestBody.fromFile(file))).eTag();
            return new Part(number, size, etag);
        } catch (IOException e) {
            throw S3Uploader.readingSource(key, e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    LOG.warn("could not delete the temporary part file {}: {}", spool, e.toString());
                }
            }
        }
    }

    /**
     * Completes an upload. Repeating a completion whose answer was lost is safe: when the upload is gone but the
     * object carries exactly the ETag these parts make, or (a server such as S3Proxy gives a completed upload the MD5
     * of the whole) has their size in all, the object is returned; the caller's verification of its SHA-256 then
     * tells whether it is this upload's.
     */
    ObjectInfo complete(String key, String uploadId, List<Part> parts) {
        try {
            completeUpload(key, uploadId, parts);
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                Optional<ObjectInfo> now = store.stat(key);
                long size = parts.stream().mapToLong(Part::size).sum();
                if (now.isPresent() && (multipartEtag(parts).equals(strip(now.get().etag()))
                        || now.get().size() == size && parts.stream().allMatch(p -> p.size() >= 0))) {
                    LOG.info("the upload {} of '{}' was completed already (its answer was lost): taking the object",
                            uploadId, key);
                    return now.get();
                }
            }
            throw e;
        }
        return store.stat(key).orElseThrow(() -> MigrationException.transientError("'" + key + "' was completed "
                + "but is not visible yet", null));
    }

    /** Completes an upload from its parts (in part-number order) and returns the new object's ETag. */
    String completeUpload(String key, String uploadId, List<Part> parts) {
        List<CompletedPart> completed = parts.stream().sorted(Comparator.comparingInt(Part::number))
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.tag()).build()).toList();
        String full = store.location().fullKey(key);
        return store.call("completing the multipart upload of '" + key + "'", () -> store.client()
                .completeMultipartUpload(r -> S3CustomerKey.on(store.settings().customerKey(), r.bucket(store.bucket())
                        .key(full).uploadId(uploadId).multipartUpload(m -> m.parts(completed))))).eTag();
    }

    void abort(String key, String uploadId) {
        String full = store.location().fullKey(key);
        String what = "aborting the multipart upload of '" + key + "'";
        try {
            store.call(what, () -> store.client()
                    .abortMultipartUpload(r -> r.bucket(store.bucket()).key(full).uploadId(uploadId)));
        } catch (MigrationException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw S3Errors.needing(e, store.bucket(), store.settings().endpointName(), what,
                        "s3:AbortMultipartUpload");
            }
        }
    }

    /**
     * The write probe ({@link S3ObjectStore#probeWrite}): starts a multipart upload of {@code key} with the headers
     * every upload of this store sends (encryption, ACL, storage class, customer key), which needs s3:PutObject as a
     * PUT does, and aborts it at once. No object appears and none is deleted, so credentials that may write but not
     * delete pass. An abort refused (no s3:AbortMultipartUpload) or failing does not fail the probe, whose write
     * succeeded: the returned note names the upload, which holds no part, the permission, and how to remove it
     * ({@code caravan cleanup} lists it, and aborts it with credentials that may; a lifecycle rule); else empty.
     */
    java.util.Optional<String> probe(String key) {
        String what = "starting a multipart upload of '" + key + "' (the write probe)";
        String uploadId;
        try {
            uploadId = begin(key, PutRequest.ofSize(0));
        } catch (MigrationException e) {
            throw S3Errors.needing(e, store.bucket(), store.settings().endpointName(), what, "s3:PutObject");
        }
        try {
            abort(key, uploadId);
            return java.util.Optional.empty();
        } catch (MigrationException e) {
            return java.util.Optional.of("the write probe's multipart upload of '" + key + "' in " + store.uri()
                    + " (upload id " + uploadId + ") could not be aborted and stays unfinished, holding no part: the"
                    + " credentials lack s3:AbortMultipartUpload, or the abort failed (" + e.getMessage() + "); remove"
                    + " it with caravan cleanup and credentials that have s3:AbortMultipartUpload, or a lifecycle rule"
                    + " AbortIncompleteMultipartUpload");
        }
    }

    /** Aborts after a failure; a failure to abort is logged (the orphan clean-up finds the upload later). */
    void abortQuietly(String key, String uploadId) {
        try {
            abort(key, uploadId);
        } catch (RuntimeException e) {
            LOG.warn("could not abort the multipart upload {} of '{}' in {}: {}", uploadId, key, store.uri(),
                    e.getMessage());
        }
    }

    /** The unfinished multipart uploads under the store's prefix (ListMultipartUploads, every page). */
    List<UnfinishedUploads.Upload> unfinished() {
        String root = store.location().prefix();
        List<UnfinishedUploads.Upload> found = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String k = keyMarker;
            String id = idMarker;
            ListMultipartUploadsResponse page = store.call("listing unfinished uploads of " + store.uri(), () -> store
                    .client().listMultipartUploads(r -> r.bucket(store.bucket()).prefix(root).keyMarker(k)
                            .uploadIdMarker(id).encodingType(EncodingType.URL)));
            for (MultipartUpload u : page.uploads()) {
                if (u.key().startsWith(root)) {
                    found.add(new UnfinishedUploads.Upload(u.key().substring(root.length()), u.uploadId(),
                            u.initiated()));
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return found;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
    }

    /**
     * Waits until the part requests of a failed upload have ended, whatever their outcome, so that the abort that
     * follows frees every part (S3: a part still in flight during an abort may survive it).
     */
    static void settle(Collection<? extends Future<?>> inFlight) {
        boolean interrupted = false;
        for (Future<?> f : inFlight) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ETag S3 gives an object completed from these parts: MD5 of the parts' MD5s, dash, part count. */
    static String multipartEtag(List<Part> parts) {
        MessageDigest md5 = S3Uploader.newDigest("MD5");
        for (Part p : parts.stream().sorted(Comparator.comparingInt(Part::number)).toList()) {
            String hex = S3Metadata.md5OfEtag(p.tag());
            if (hex == null) {
                return "(part " + p.number() + " has no MD5 tag)"; // matches no ETag
            }
            md5.update(HexFormat.of().parseHex(hex));
        }
        return S3Metadata.hex(md5.digest()) + "-" + parts.size();
    }

    private static String strip(String etag) {
        return etag == null ? "" : etag.replace("\"", "").trim();
    }

    /** Reads at most {@code limit} bytes of a stream and never closes it. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}
