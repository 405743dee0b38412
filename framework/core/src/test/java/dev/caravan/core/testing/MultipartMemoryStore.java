package dev.caravan.core.testing;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An object-store-like memory store with atomic puts, multipart uploads (whose objects get the metadata the upload
 * began with) and {@link MetadataWrite}, for framework tests only.
 */
public final class MultipartMemoryStore implements ObjectStore, MultipartUpload, MetadataWrite,
        dev.caravan.api.store.UnfinishedUploads {
    private final MemoryStore objects = new MemoryStore("mpu");
    private final Map<String, ConcurrentSkipListMap<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    private final Map<String, PutRequest> begun = new ConcurrentHashMap<>();
    /** The key of each upload begun. */
    private final Map<String, String> uploadKeys = new ConcurrentHashMap<>();
    /** When true, aborting an upload fails (a store that refuses, or cannot be reached). */
    public volatile boolean refusesAborts;
    /** The requests multipart uploads began with, in order. */
    public final List<PutRequest> begins = new CopyOnWriteArrayList<>();
    /** The keys deleted, in order. */
    public final List<String> deleted = new CopyOnWriteArrayList<>();
    /** Calls of {@link #putMetadata}. */
    public final AtomicInteger metadataWrites = new AtomicInteger();
    /** What {@link #rewritesObjectsAbove} answers (S3: its part size). */
    public volatile long rewritesObjectsAbove = Long.MAX_VALUE;
    public final AtomicLong partBytes = new AtomicLong();
    /** What {@link #largestSingleRequest} answers (S3: its multipartThreshold, or partSize over plain HTTP). */
    public volatile long largestSingleRequest = Long.MAX_VALUE;
    /** What {@link #preferredPartSize} answers; 0: the engine's own. */
    public volatile long preferredPartSize;
    /** What the bytes of each part are read through as they arrive (a slow or counting link). */
    public volatile java.util.function.UnaryOperator<InputStream> partReads = java.util.function.UnaryOperator.identity();
    public final AtomicInteger partsUploaded = new AtomicInteger();
    /** When positive, the upload of part number N or later fails (a lost connection mid-object). */
    public volatile int failFromPart;
    /** The kind of the failure at {@link #failFromPart}: FATAL leaves the run unfinished, as a kill does. */
    public volatile ErrorKind failFromPartKind = ErrorKind.TRANSIENT;
    /** The keys of the uploads aborted, in order. */
    public final List<String> abortedKeys = new CopyOnWriteArrayList<>();
    /** The part whose upload fails while {@link #failuresLeft} is positive (each failure counts it down). */
    public volatile int failingPart;
    public final AtomicInteger failuresLeft = new AtomicInteger();

    /** What {@link #uri} answers. */
    private final String uri;

    /** A store whose uri is {@code mpu:test}. */
    public MultipartMemoryStore() {
        this("mpu:test");
    }

    /** A store whose uri is {@code uri}: two of them, apart, for one run (a target and its backup dir). */
    public MultipartMemoryStore(String uri) {
        this.uri = uri;
    }

    public MemoryStore memory() {
        return objects;
    }

    public int openUploads() {
        return (int) uploads.keySet().stream().filter(id -> !aborted.contains(id)).count();
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), Duration.ofMillis(1), true, false, true, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        return objects.list(prefix);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return objects.stat(key);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        return objects.open(key, range);
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        return objects.put(key, data, request);
    }

    @Override
    public void delete(String key) {
        deleted.add(key);
        objects.delete(key);
    }

    @Override
    public long minPartSize() {
        return 1 << 20;
    }

    @Override
    public long largestSingleRequest() {
        return largestSingleRequest;
    }

    @Override
    public long preferredPartSize() {
        return preferredPartSize;
    }

    @Override
    public String begin(String key, PutRequest request) {
        String id = UUID.randomUUID().toString();
        uploads.put(id, new ConcurrentSkipListMap<>());
        uploadKeys.put(id, key);
        begun.put(id, request);
        begins.add(request);
        return id;
    }

    @Override
    public List<Part> listParts(String key, String uploadId) {
        var parts = uploads.get(uploadId);
        if (parts == null || !key.equals(uploadKeys.get(uploadId))) { // as S3: an upload is found by key and id
            throw MigrationException.notFound("no upload " + uploadId + " of " + key);
        }
        List<Part> out = new ArrayList<>();
        parts.forEach((n, b) -> out.add(new Part(n, b.length, "t" + n)));
        return out;
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, InputStream data, long size) {
        if (number == failingPart && failuresLeft.getAndDecrement() > 0) {
            throw new MigrationException(ErrorKind.TRANSIENT, "injected failure of part " + number);
        }
        if (failFromPart > 0 && number >= failFromPart) {
            // fail only once the parts before have arrived, so the test knows exactly what the store holds
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (partsUploaded.get() < failFromPart - 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            throw new MigrationException(failFromPartKind, "injected failure at part " + number);
        }
        try {
            byte[] b = partReads.apply(data).readAllBytes();
            uploads.get(uploadId).put(number, b);
            partBytes.addAndGet(b.length);
            partsUploaded.incrementAndGet();
            return new Part(number, b.length, "t" + number);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether parts are taken with their digests, each checked like S3 checks a signed payload hash. */
    public volatile boolean takesPartDigests;
    /** Parts that came with a digest (all checked). */
    public final AtomicInteger partsWithDigest = new AtomicInteger();

    @Override
    public boolean takesPartDigests() {
        return takesPartDigests;
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(data, 0, length); // no copy: parts of 16 MiB add up in a test JVM's 512 MiB
            byte[] actual = digest.digest();
            if (!java.util.Arrays.equals(actual, sha256)) {
                throw new MigrationException(ErrorKind.TRANSIENT, "part " + number + " does not match its digest");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        partsWithDigest.incrementAndGet();
        return uploadPart(key, uploadId, number, data, length);
    }

    @Override
    public ObjectInfo complete(String key, String uploadId, List<Part> parts) {
        if (aborted.contains(uploadId)) {
            throw MigrationException.notFound("upload " + uploadId + " was aborted");
        }
        var stored = uploads.remove(uploadId);
        long total = parts.stream().mapToLong(Part::size).sum();
        byte[] all = new byte[(int) total];
        int at = 0;
        for (Part p : parts) {
            byte[] b = stored.remove(p.number()); // each part let go once copied: the whole object is held once
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        PutRequest request = begun.remove(uploadId);
        if (request == null) {
            objects.add(key, all, java.time.Instant.now());
        } else {
            objects.add(key, all, java.time.Instant.now(), request);
        }
        return objects.stat(key).orElseThrow();
    }

    /** Like S3Proxy's file backend: an aborted upload's parts are still listed (and taken), only not completed. */
    public volatile boolean listsAbortedUploads;
    private final java.util.Set<String> aborted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void abort(String key, String uploadId) {
        if (refusesAborts) {
            throw new MigrationException(ErrorKind.TRANSIENT, "injected failure aborting " + uploadId);
        }
        abortedKeys.add(key);
        if (listsAbortedUploads) {
            aborted.add(uploadId);
            return;
        }
        uploads.remove(uploadId);
        begun.remove(uploadId);
    }

    @Override
    public List<Upload> unfinished() {
        return uploads.keySet().stream().filter(id -> !aborted.contains(id))
                .map(id -> new Upload(uploadKeys.get(id), id, java.time.Instant.now())).toList();
    }

    @Override
    public void abort(Upload upload) {
        abort(upload.key(), upload.id());
    }

    @Override
    public void putMetadata(String key, Map<String, String> metadata) {
        metadataWrites.incrementAndGet();
        PutRequest now = objects.attributes.getOrDefault(key, PutRequest.ofSize(-1));
        Map<String, String> merged = new java.util.HashMap<>(now.metadata());
        merged.putAll(metadata);
        objects.attributes.put(key, now.withAttributes(now.contentType(), now.headers(), merged, now.tags()));
    }

    @Override
    public long rewritesObjectsAbove() {
        return rewritesObjectsAbove;
    }
}
