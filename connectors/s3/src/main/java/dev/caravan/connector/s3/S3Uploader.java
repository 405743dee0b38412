package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * {@link S3ObjectStore#put}: one PUT for small objects, buffered so that it carries Content-MD5 and our SHA-256;
 * parts of {@code partSize} for large objects and objects of unknown size, read one part at a time and uploaded
 * {@code uploadConcurrency} at a time, so memory stays at most a few parts per object (and within
 * {@code bufferMemory} for the store). A failed multipart put aborts its upload: nothing partial is published and
 * no parts are left behind.
 */
final class S3Uploader {
    private final S3ObjectStore store;

    S3Uploader(S3ObjectStore store) {
        this.store = store;
    }

    ObjectInfo put(String key, InputStream data, PutRequest request) {
        store.justWritten().forget(key);
        S3Settings s = store.settings();
        Map<String, String> metadata = S3Metadata.forPut(key, request);
        long size = request.size();
        long partSize = partSize(key, size, s);
        if (size >= 0 && size <= s.multipartThreshold()) {
            if (size <= partSize) {
                return single(key, new PushbackInputStream(data, 1), (int) size, request, metadata);
            }
            if (s.tls()) {
                return streamed(key, data, size, request, metadata);
            }
            // over plain HTTP, SigV4 signs a hash of the whole body before sending: a stream cannot be read twice,
            // so objects above one part go up in parts instead of being held in memory whole
        }
        return parts(key, new PushbackInputStream(data, 1), size, partSize, request, metadata);
    }

    /** The part size for an object: {@code partSize}, raised so that a known size needs at most 10,000 parts. */
    static long partSize(String key, long size, S3Settings settings) {
        long part = settings.partSize();
        if (size > part * S3Settings.MAX_PARTS) {
            long needed = (size + S3Settings.MAX_PARTS - 1) / S3Settings.MAX_PARTS;
            part = (needed + (1 << 20) - 1) >> 20 << 20;
            if (part > settings.bufferMemory() || part > S3Settings.MAX_BUFFERED_PART) {
                throw new MigrationException(ErrorKind.USER_CONFIG, "'" + key + "' (" + size + " bytes) needs parts "
                        + "of " + part + " bytes (S3 allows 10,000 parts), more than bufferMemory (or 1G) allows; "
                        + "raise bufferMemory");
            }
        }
        return part;
    }

    private ObjectInfo single(String key, PushbackInputStream in, int size, PutRequest request,
            Map<String, String> metadata) {
        PartBuffers.Buffer buffer = store.buffers().take(size);
        try {
            int n = fill(key, in, buffer.bytes, size);
            if (n < size) {
                throw sourceChanged(key, size, n);
            }
            if (peek(key, in) >= 0) {
                throw sourceChanged(key, size, size + 1L);
            }
            return putBuffer(key, buffer.bytes, n, request, metadata);
        } finally {
            buffer.release();
        }
    }

    /** One PUT from memory with Content-MD5, and our SHA-256 in metadata when it fits. */
    private ObjectInfo putBuffer(String key, byte[] bytes, int n, PutRequest request, Map<String, String> metadata) {
        byte[] md5 = digest("MD5", bytes, n);
        String sha = S3Metadata.hex(digest("SHA-256", bytes, n));
        Map<String, String> withHash = new LinkedHashMap<>(metadata);
        S3Metadata.putDigest(withHash, sha, S3Metadata.hex(md5));
        try {
            S3Metadata.checkSize(key, withHash);
        } catch (MigrationException tooLarge) {
            withHash = metadata; // the hash does not fit beside the user's metadata; the journal keeps it
        }
        PutObjectRequest put = base(key, request, withHash).contentLength((long) n)
                .contentMD5(Base64.getEncoder().encodeToString(md5)).build();
        Optional<Map<String, String>> direct = store.direct().flatMap(d -> S3Direct.headers(put));
        String etag = store.call("writing '" + key + "'", () -> direct.isPresent()
                ? store.direct().get().put(put, direct.get(), bytes, n, sha) // the digest signs the payload
                : store.client().putObject(put, RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(bytes, 0, n), n, "application/octet-stream")).eTag());
        store.justWritten().remember(key, withHash);
        Map<HashType, String> hashes = new EnumMap<>(HashType.class);
        hashes.put(HashType.SHA256, sha);
        hashes.put(HashType.MD5, S3Metadata.hex(md5));
        return new ObjectInfo(key, n, request.modTime(), hashes, etag, request.contentType(),
                request.metadata(), -1);
    }

    /** One streamed PUT (TLS only: the payload is not signed, so the stream is read once). */
    private ObjectInfo streamed(String key, InputStream data, long size, PutRequest request,
            Map<String, String> metadata) {
        InputStream unclosable = new FilterInputStream(data) {
            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        PutObjectRequest put = base(key, request, metadata).contentLength(size).build();
        PutObjectResponse response = store.call("writing '" + key + "'", () -> store.client().putObject(put,
                RequestBody.fromInputStream(unclosable, size)));
        if (peek(key, data) >= 0) {
            throw sourceChanged(key, size, size + 1);
        }
        return new ObjectInfo(key, size, request.modTime(), Map.of(), response.eTag(), request.contentType(),
                request.metadata(), -1);
    }

    private ObjectInfo parts(String key, PushbackInputStream in, long size, long partSize, PutRequest request,
            Map<String, String> metadata) {
        Upload upload = new Upload(key, in, size, partSize, request, metadata);
        ObjectInfo onePut = upload.start();
        return onePut != null ? onePut : upload.run(); // no local here pins a part buffer while the upload runs
    }

    /** One multipart put in progress: reads parts in order, uploads them in parallel, completes or aborts. */
    private final class Upload {
        private final String key;
        private final PushbackInputStream in;
        private final long size;
        private final long partSize;
        private final PutRequest request;
        private final Map<String, String> metadata;
        private final ArrayDeque<Future<Part>> inFlight = new ArrayDeque<>();
        private final Set<PartBuffers.Buffer> held = ConcurrentHashMap.newKeySet();
        private final List<Part> done = new ArrayList<>();
        /** The first part's buffer, filled by start(); run() takes it over. */
        private PartBuffers.Buffer first;
        private int firstLength;

        Upload(String key, PushbackInputStream in, long size, long partSize, PutRequest request,
                Map<String, String> metadata) {
            this.key = key;
            this.in = in;
            this.size = size;
            this.partSize = partSize;
            this.request = request;
            this.metadata = metadata;
        }

        /**
         * Reads the first part. When the data ends within it, writes it with one PUT and returns the result; else
         * keeps it for {@link #run()} and returns null.
         */
        ObjectInfo start() {
            PartBuffers.Buffer buffer = store.buffers().take((int) (size < 0 ? partSize : Math.min(size, partSize)));
            try {
                firstLength = fill(key, in, buffer.bytes, buffer.bytes.length);
                if (firstLength < buffer.bytes.length || peek(key, in) < 0) {
                    if (size >= 0 && firstLength != size) {
                        throw sourceChanged(key, size, firstLength);
                    }
                    ObjectInfo info = putBuffer(key, buffer.bytes, firstLength, request, metadata);
                    buffer.release();
                    return info;
                }
                first = buffer;
                return null;
            } catch (RuntimeException | Error e) {
                buffer.release();
                throw e;
            }
        }

        ObjectInfo run() {
            PartBuffers.Buffer buffer = first;
            first = null;
            held.add(buffer);
            S3Multipart multipart = store.multipart();
            String uploadId;
            try {
                uploadId = multipart.create(key, request, metadata);
            } catch (RuntimeException e) {
                release(buffer);
                throw e;
            }
            try {
                MessageDigest sha = newDigest("SHA-256");
                long total = 0;
                int number = 1;
                int n = firstLength;
                firstLength = 0;
                while (n > 0) {
                    if (number > S3Settings.MAX_PARTS) {
                        throw MigrationException.userData("'" + key + "' needs more than 10,000 parts of " + partSize
                                + " bytes; raise partSize for objects of unknown size this large");
                    }
                    sha.update(buffer.bytes, 0, n);
                    total += n;
                    submit(multipart, uploadId, number++, buffer, n);
                    buffer = null; // the upload owns it now; holding it here would pin its memory after release
                    if (size >= 0 && total >= size) {
                        break;
                    }
                    while (inFlight.size() >= store.settings().uploadConcurrency()) {
                        done.add(await(inFlight.poll()));
                    }
                    long want = size < 0 ? partSize : Math.min(partSize, size - total);
                    buffer = store.buffers().take((int) want);
                    held.add(buffer);
                    n = fill(key, in, buffer.bytes, buffer.bytes.length);
                }
                if (size >= 0 && (total != size || peek(key, in) >= 0)) {
                    throw sourceChanged(key, size, total == size ? size + 1 : total);
                }
                while (!inFlight.isEmpty()) {
                    done.add(await(inFlight.poll()));
                }
                String hex = S3Metadata.hex(sha.digest());
                String announced = metadata.get(S3Metadata.SHA256); // given by a caller that hashed the source first
                if (announced != null && !announced.equals(hex)) {
                    throw MigrationException.transientError("the data for '" + key + "' changed while it was sent: "
                            + "SHA-256 " + announced + " announced, " + hex + " sent", null);
                }
                String etag = multipart.completeUpload(key, uploadId, done);
                if (announced != null) {
                    store.justWritten().remember(key, metadata); // written with the object: storing it again is free
                }
                return new ObjectInfo(key, total, request.modTime(), Map.of(HashType.SHA256, hex), etag,
                        request.contentType(), request.metadata(), -1);
            } catch (RuntimeException | Error e) {
                S3Multipart.settle(inFlight); // parts still arriving after the abort would linger on the server
                multipart.abortQuietly(key, uploadId);
                throw e;
            } finally {
                held.forEach(PartBuffers.Buffer::release); // the last, empty read; or all of them after a failure
            }
        }

        private void release(PartBuffers.Buffer buffer) {
            buffer.release();
            held.remove(buffer);
        }

        private void submit(S3Multipart multipart, String uploadId, int number, PartBuffers.Buffer buffer, int n) {
            inFlight.add(store.pool().submit(() -> {
                try {
                    return multipart.uploadBytes(key, uploadId, number, buffer.bytes, n);
                } finally {
                    release(buffer);
                }
            }));
        }

        private Part await(Future<Part> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MigrationException.transientError("interrupted while uploading '" + key + "'", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof MigrationException m ? m
                        : store.fail(e.getCause(), "uploading a part of '" + key + "'");
            }
        }
    }

    private PutObjectRequest.Builder base(String key, PutRequest request, Map<String, String> metadata) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(store.bucket())
                .key(store.location().fullKey(key)).metadata(metadata);
        if (request.contentType() != null) {
            b.contentType(request.contentType());
        }
        S3Attributes.apply(request, store.keepsTags(), b::cacheControl, b::contentDisposition, b::contentEncoding,
                b::contentLanguage, b::tagging);
        if (store.settings().storageClass() != null) {
            b.storageClass(store.settings().storageClass());
        }
        S3ObjectProtection.apply(store.settings(), b);
        return S3CustomerKey.on(store.settings().customerKey(), b);
    }

    /** Reads until {@code length} bytes or the end of the stream; returns how many were read. */
    static int fill(String key, InputStream in, byte[] buffer, int length) {
        int n = 0;
        try {
            while (n < length) {
                int r = in.read(buffer, n, length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n;
        } catch (IOException e) {
            throw readingSource(key, e);
        }
    }

    private static int peek(String key, InputStream in) {
        try {
            int b = in.read();
            if (b >= 0 && in instanceof PushbackInputStream p) {
                p.unread(b);
            }
            return b;
        } catch (IOException e) {
            throw readingSource(key, e);
        }
    }

    static MigrationException readingSource(String key, IOException e) {
        return MigrationException.transientError("reading the data to write to '" + key + "' failed: "
                + e.getMessage(), e);
    }

    private static MigrationException sourceChanged(String key, long expected, long actual) {
        return MigrationException.transientError("the data for '" + key + "' should have " + expected + " bytes but "
                + (actual > expected ? "has more" : "ended after " + actual) + "; nothing was published", null);
    }

    static byte[] digest(String algorithm, byte[] bytes, int n) {
        MessageDigest d = newDigest(algorithm);
        d.update(bytes, 0, n);
        return d.digest();
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }
}
