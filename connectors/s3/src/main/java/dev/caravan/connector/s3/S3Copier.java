package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MultipartUpload.Part;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PartCopyJournal;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Server-side copies of one store: {@link dev.caravan.api.store.ServerSideCopy} (CopyObject up to
 * {@code multipartCopyThreshold}, else UploadPartCopy of {@code copyPartSize} parts, {@code uploadConcurrency} at
 * a time) and {@link dev.caravan.api.store.MetadataWrite} (the object copied onto itself with new metadata).
 * Copies are conditional on the source's ETag, so an object that changes meanwhile is not copied half old, half
 * new (412, retried as TRANSIENT). No bytes pass through Caravan. A CopyObject whose answer proves the copy (see
 * {@link #provenCopy}) costs one request; otherwise a HEAD of the copy tells its facts.
 */
final class S3Copier {
    private final S3ObjectStore store;

    S3Copier(S3ObjectStore store) {
        this.store = store;
    }

    /**
     * A server-side copy of {@code source}; with {@code replaced}, its descriptive attributes in place of the
     * source's ({@code MetadataDirective} and {@code TaggingDirective} REPLACE, or the attributes of the multipart
     * upload), keeping the source's modification time and stored SHA-256. An UploadPartCopy records its upload and
     * parts in {@code journal}, continues the one it holds for this source version, and stops before its next part
     * when it says so, leaving the upload open; a CopyObject cannot be stopped.
     */
    ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey, PutRequest replaced,
            PartCopyJournal journal) {
        store.justWritten().forget(targetKey);
        if (!(from instanceof S3ObjectStore src) || !src.settings().sameAccountAs(store.settings())) {
            throw MigrationException.unsupported("server-side copy into " + store.uri() + " needs a source in S3 at "
                    + "the same endpoint with the same credentials, and " + from.uri() + " is not; streaming instead");
        }
        String sourceKey = ObjectKeys.requireSafe(source.key());
        String srcBucket = src.bucket();
        String srcFull = src.location().fullKey(sourceKey);
        String dstFull = store.location().fullKey(targetKey);
        if (srcBucket.equals(store.bucket()) && srcFull.equals(dstFull)) {
            return store.stat(targetKey).orElseThrow(() -> MigrationException.notFound("no object '" + sourceKey
                    + "' in " + from.uri()));
        }
        String what = "copying '" + sourceKey + "' of " + from.uri() + " to '" + targetKey + "'";
        S3CustomerKey srcKey = src.settings().customerKey();
        if (source.size() >= 0 && source.size() <= store.settings().multipartCopyThreshold()
                && source.etag() != null) {
            // the caller has just looked at the source: its ETag makes the copy conditional, no HEAD needed
            String copiedEtag = copyObject(srcKey, srcBucket, srcFull, dstFull, source.etag(), what,
                    replacing(source, targetKey, replaced));
            ObjectInfo proven = provenCopy(source, targetKey, copiedEtag);
            if (proven != null) {
                return replaced == null ? proven : proven.withAttributes(replaced.contentType(), replaced.headers(),
                        replaced.metadata(), store.keepsTags() ? replaced.tags() : Map.of());
            }
        } else {
            HeadObjectResponse head = head(srcKey, srcBucket, srcFull, what);
            if (head.contentLength() <= store.settings().multipartCopyThreshold()) {
                copyObject(srcKey, srcBucket, srcFull, dstFull, head.eTag(), what,
                        replacing(source, targetKey, replaced));
            } else if (replaced == null) {
                copyInParts(srcKey, srcBucket, srcFull, head, targetKey, head.metadata(), null, what, journal);
            } else {
                copyInParts(srcKey, srcBucket, srcFull, head, targetKey, withDigest(source, targetKey, replaced),
                        replaced, what, journal);
            }
        }
        return store.stat(targetKey).orElseThrow(() -> MigrationException.transientError("'" + targetKey
                + "' was copied but is not visible yet", null));
    }

    /**
     * A CopyObject from what {@code from}'s latest listing said of the object, with no HEAD of the source: conditional
     * on the listed ETag (an object changed since fails with 412 and its retry looks at the source), and proven when
     * the copy's ETag is the listed one, a plain MD5 (same digest, same bytes; a copy that is not proven so, e.g. into
     * a bucket that encrypts with KMS, is looked at with a HEAD). Empty when the listing is not remembered, the object
     * needs UploadPartCopy or its listed ETag is no MD5 (multipart; either store has an SSE-C key), or the stores do
     * not share an endpoint. Its metadata, type and kept time travel with {@code MetadataDirective.COPY}; the facts
     * returned carry none of them.
     */
    Optional<ServerSideCopy.Copied> copyListed(ObjectStore from, String sourceKey, String targetKey) {
        if (!(from instanceof S3ObjectStore src) || !src.settings().sameAccountAs(store.settings())
                || src.settings().customerKey() != null || store.settings().customerKey() != null) {
            return Optional.empty(); // the listed ETag of an object encrypted with a customer key is no MD5
        }
        ObjectInfo listed = src.listed().take(sourceKey);
        String md5 = listed == null ? null : S3Metadata.md5OfEtag(listed.etag());
        String srcFull = src.location().fullKey(ObjectKeys.requireSafe(sourceKey));
        String dstFull = store.location().fullKey(targetKey);
        if (md5 == null || listed.size() < 0 || listed.size() > store.settings().multipartCopyThreshold()
                || src.bucket().equals(store.bucket()) && srcFull.equals(dstFull)) {
            return Optional.empty();
        }
        store.justWritten().forget(targetKey);
        String what = "copying '" + sourceKey + "' of " + from.uri() + " to '" + targetKey + "'";
        String copiedEtag = copyObject(src.settings().customerKey(), src.bucket(), srcFull, dstFull, listed.etag(),
                what, b -> { });
        return Optional.of(listedCopy(listed, targetKey, copiedEtag, () -> store.stat(targetKey).orElseThrow(
                () -> MigrationException.transientError("'" + targetKey + "' was copied but is not visible yet",
                        null))));
    }

    /**
     * The facts of a copy made on a listing's word: when the copy's ETag is the listed one, a plain MD5, both have
     * that MD5 and the copy needs no HEAD; otherwise the copy is looked at ({@code stat}) and the listed ETag is not
     * taken for the source's MD5, which it is not for an object encrypted with SSE-KMS (a listing does not say so):
     * claimed, it would fail the verification against the copy's real MD5.
     */
    static ServerSideCopy.Copied listedCopy(ObjectInfo listed, String targetKey, String copiedEtag,
            java.util.function.Supplier<ObjectInfo> stat) {
        String md5 = S3Metadata.md5OfEtag(listed.etag());
        if (md5 != null && md5.equals(S3Metadata.md5OfEtag(copiedEtag))) {
            return new ServerSideCopy.Copied(listed.withHashes(Map.of(HashType.MD5, md5)), new ObjectInfo(targetKey,
                    listed.size(), listed.modTime(), Map.of(HashType.MD5, md5), copiedEtag, null, Map.of(), -1));
        }
        return new ServerSideCopy.Copied(listed, stat.get());
    }

    /**
     * The copy's facts without a HEAD, when the server has proven them: the copy's ETag is a plain MD5 equal to the
     * source's MD5 (which {@link S3Metadata#fromHead} reports only where the ETag is the digest of the bytes), so the
     * copy holds the source's bytes, and its metadata, type and kept time travelled with {@code
     * MetadataDirective.COPY}. {@code null} (look with a HEAD) when the source has no MD5 (listing facts, multipart
     * objects, SSE-KMS or SSE-C), the copy's ETag is not a plain MD5 (e.g. the target bucket encrypts with KMS), or
     * they differ.
     */
    static ObjectInfo provenCopy(ObjectInfo source, String targetKey, String copiedEtag) {
        String md5 = S3Metadata.md5OfEtag(copiedEtag);
        if (md5 == null || !md5.equals(source.hash(HashType.MD5).orElse(null)) || source.size() < 0) {
            return null;
        }
        return new ObjectInfo(targetKey, source.size(), source.modTime(), source.hashes(), copiedEtag,
                source.contentType(), source.metadata(), -1, source.headers(), source.tags());
    }

    /**
     * CopyObject conditional on the source's ETag, with what {@code attributes} sets on the request (nothing for the
     * source's metadata), reading the source with {@code srcKey} (SSE-C, or {@code null}); returns the copy's ETag
     * ({@code null} when not answered).
     */
    private String copyObject(S3CustomerKey srcKey, String srcBucket, String srcFull, String dstFull, String etag,
            String what, Consumer<CopyObjectRequest.Builder> attributes) {
        CopyObjectRequest.Builder copy = CopyObjectRequest.builder().sourceBucket(srcBucket).sourceKey(srcFull)
                .destinationBucket(store.bucket()).destinationKey(dstFull).metadataDirective(MetadataDirective.COPY)
                .copySourceIfMatch(etag);
        if (store.settings().storageClass() != null) {
            copy.storageClass(store.settings().storageClass());
        }
        S3ObjectProtection.apply(store.settings(), copy);
        S3CustomerKey.onCopy(store.settings().customerKey(), srcKey, copy);
        attributes.accept(copy);
        CopyObjectRequest request = copy.build();
        Optional<Map<String, String>> direct = store.direct().flatMap(d -> S3Direct.copyHeaders(request));
        if (direct.isPresent()) {
            return store.call(what, () -> store.direct().orElseThrow().copyObject(request, direct.get()));
        }
        CopyObjectResponse response = store.call(what, () -> store.client().copyObject(request));
        return response.copyObjectResult() == null ? null : response.copyObjectResult().eTag();
    }

    /** What a CopyObject sets for {@code replaced} attributes: nothing (the source's metadata) when {@code null}. */
    private Consumer<CopyObjectRequest.Builder> replacing(ObjectInfo source, String targetKey, PutRequest replaced) {
        if (replaced == null) {
            return b -> { };
        }
        Map<String, String> metadata = withDigest(source, targetKey, replaced);
        return b -> {
            b.metadataDirective(MetadataDirective.REPLACE).metadata(metadata).contentType(replaced.contentType());
            S3Attributes.apply(replaced, store.keepsTags(), b::cacheControl, b::contentDisposition,
                    b::contentEncoding, b::contentLanguage, b::tagging);
            if (store.keepsTags()) {
                b.taggingDirective(TaggingDirective.REPLACE);
            }
        };
    }

    /** The user metadata of a copy with {@code replaced} attributes: theirs, the kept time and the stored SHA-256. */
    private static Map<String, String> withDigest(ObjectInfo source, String targetKey, PutRequest replaced) {
        Map<String, String> metadata = S3Metadata.forPut(targetKey, new PutRequest(-1, source.modTime(), null,
                replaced.metadata(), -1));
        source.hash(HashType.SHA256).ifPresent(sha -> S3Metadata.putDigest(metadata, sha,
                source.hash(HashType.MD5).orElse(null)));
        S3Metadata.checkSize(targetKey, metadata);
        return metadata;
    }

    void putMetadata(String key, Map<String, String> metadata) {
        String full = store.location().fullKey(key);
        String what = "updating the metadata of '" + key + "'";
        Map<String, String> encoded = S3Metadata.encode(key, metadata);
        Map<String, String> written = store.justWritten().forget(key);
        if (written != null && contains(written, encoded)) {
            return; // this store has just written the object with these values (e.g. our SHA-256): nothing to do
        }
        S3CustomerKey ownKey = store.settings().customerKey();
        HeadObjectResponse head = head(ownKey, store.bucket(), full, what);
        if (contains(head.metadata(), encoded)) {
            return; // already there (e.g. our SHA-256, written with the object)
        }
        Map<String, String> merged = new LinkedHashMap<>(head.metadata());
        merged.putAll(encoded);
        if (encoded.containsKey(S3Metadata.SHA256)) { // the MD5 of the bytes it describes, which the copy keeps
            S3Metadata.putDigest(merged, encoded.get(S3Metadata.SHA256), S3Metadata.contentMd5(head));
        }
        S3Metadata.checkSize(key, merged);
        if (head.contentLength() > S3Settings.MAX_PART) {
            copyInParts(ownKey, store.bucket(), full, head, key, merged, null, what, PartCopyJournal.NONE);
            return;
        }
        copyOntoItself(ownKey, full, head, merged, c -> c.contentType(head.contentType())
                .cacheControl(head.cacheControl()).contentDisposition(head.contentDisposition())
                .contentEncoding(head.contentEncoding()).contentLanguage(head.contentLanguage()), what);
    }

    /**
     * Replaces the content type, headers, user metadata and kept time of {@code key} by copying the object onto
     * itself with {@code REPLACE} (on the server, no byte through Caravan), or with UploadPartCopy above 5 GiB; the
     * stored SHA-256, tags, encryption and storage class stay. Fails with TRANSIENT (412) when the object changed.
     */
    void replaceAttributes(String key, PutRequest attributes) {
        String full = store.location().fullKey(key);
        String what = "updating the attributes of '" + key + "'";
        store.justWritten().forget(key);
        S3CustomerKey ownKey = store.settings().customerKey();
        HeadObjectResponse head = head(ownKey, store.bucket(), full, what);
        Map<String, String> metadata = S3Metadata.forPut(key, attributes);
        for (String own : List.of(S3Metadata.SHA256, S3Metadata.SHA256_MD5, S3Metadata.MTIME)) {
            if (head.metadata().containsKey(own) && !metadata.containsKey(own)) {
                metadata.put(own, head.metadata().get(own)); // it describes the same bytes
            }
        }
        S3Metadata.checkSize(key, metadata);
        String type = attributes.contentType() != null ? attributes.contentType() : head.contentType();
        if (head.contentLength() > S3Settings.MAX_PART) {
            Map<String, String> tags = store.keepsTags() && S3Attributes.mayHaveTags(store.settings(), head.tagCount())
                    ? S3Attributes.read(store, store.bucket(), full, what) : Map.of();
            copyInParts(ownKey, store.bucket(), full, head, key, metadata, attributes.withAttributes(type,
                    attributes.headers(), attributes.metadata(), tags), what, PartCopyJournal.NONE);
            return;
        }
        copyOntoItself(ownKey, full, head, metadata, c -> c.contentType(type)
                .cacheControl(attributes.headers().cacheControl())
                .contentDisposition(attributes.headers().contentDisposition())
                .contentEncoding(attributes.headers().contentEncoding())
                .contentLanguage(attributes.headers().contentLanguage()), what);
    }

    /**
     * Copies the object {@code full} onto itself on the server with {@code REPLACE}, {@code metadata} and the content
     * type and headers {@code headers} sets, if it is still the version {@code head} saw; its storage class,
     * encryption, expiry, redirect and protection stay.
     */
    private void copyOntoItself(S3CustomerKey ownKey, String full, HeadObjectResponse head,
            Map<String, String> metadata, UnaryOperator<CopyObjectRequest.Builder> headers, String what) {
        CopyObjectRequest.Builder copy = headers.apply(CopyObjectRequest.builder().sourceBucket(store.bucket())
                .sourceKey(full).destinationBucket(store.bucket()).destinationKey(full)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata).copySourceIfMatch(head.eTag())
                .expires(head.expires()).websiteRedirectLocation(head.websiteRedirectLocation()));
        if (head.storageClassAsString() != null) {
            copy.storageClass(head.storageClassAsString());
        }
        if (head.serverSideEncryptionAsString() != null) {
            copy.serverSideEncryption(head.serverSideEncryptionAsString()).ssekmsKeyId(head.ssekmsKeyId());
        }
        S3ObjectProtection.apply(store.settings(), copy);
        S3CustomerKey.onCopy(ownKey, ownKey, copy);
        store.call(what, () -> store.client().copyObject(copy.build()));
    }

    private static boolean contains(Map<String, String> all, Map<String, String> some) {
        return some.entrySet().stream().allMatch(e -> e.getValue().equals(all.get(e.getKey())));
    }

    /** A HEAD of an object read with {@code key} (SSE-C, or {@code null}), through this store's client. */
    private HeadObjectResponse head(S3CustomerKey key, String bucket, String fullKey, String what) {
        return store.call(what, () -> store.client().headObject(r -> S3CustomerKey.on(key, r.bucket(bucket)
                .key(fullKey))));
    }

    /**
     * UploadPartCopy of {@code copyPartSize} ranges in parallel, completed in order. The new object gets
     * {@code metadata} and the source's content type, headers and tags, or those of {@code replaced}. The upload and
     * its finished parts are recorded in {@code journal}; the upload it holds for this source version (ETag) is
     * continued, its parts not copied again. When the journal says to stop, no part begins and the upload is left
     * open; on any other failure it is aborted.
     */
    private void copyInParts(S3CustomerKey srcKey, String srcBucket, String srcFull, HeadObjectResponse head,
            String targetKey, Map<String, String> metadata, PutRequest replaced, String what,
            PartCopyJournal journal) {
        long size = head.contentLength();
        long part = Math.max(store.settings().copyPartSize(), (size + S3Settings.MAX_PARTS - 1) / S3Settings.MAX_PARTS);
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(store.bucket())
                .key(store.location().fullKey(targetKey)).metadata(metadata);
        if (replaced == null) {
            create.contentType(head.contentType()).cacheControl(head.cacheControl())
                    .contentDisposition(head.contentDisposition()).contentEncoding(head.contentEncoding())
                    .contentLanguage(head.contentLanguage()).expires(head.expires());
        } else {
            create.contentType(replaced.contentType());
            S3Attributes.apply(replaced, store.keepsTags(), create::cacheControl, create::contentDisposition,
                    create::contentEncoding, create::contentLanguage, create::tagging);
        }
        String storageClass = store.settings().storageClass() != null ? store.settings().storageClass()
                : head.storageClassAsString();
        if (storageClass != null) {
            create.storageClass(storageClass);
        }
        if (replaced == null && store.keepsTags() && S3Attributes.mayHaveTags(store.settings(), head.tagCount())) {
            // UploadPartCopy does not carry tags as CopyObject does: read them and start the upload with them
            create.tagging(S3Attributes.tagging(S3Attributes.read(store, srcBucket, srcFull, what)));
        }
        boolean ontoItself = srcBucket.equals(store.bucket()) && srcFull.equals(store.location().fullKey(targetKey));
        if (ontoItself && head.serverSideEncryptionAsString() != null) {
            // a metadata rewrite keeps the object's encryption; a copy elsewhere gets the target bucket's default
            create.serverSideEncryption(head.serverSideEncryptionAsString()).ssekmsKeyId(head.ssekmsKeyId());
        }
        S3ObjectProtection.apply(store.settings(), create);
        S3CustomerKey.on(store.settings().customerKey(), create);
        S3Multipart multipart = store.multipart();
        Optional<PartCopyJournal.Resumed> resumed = journal.resume(part, head.eTag());
        String uploadId = resumed.isPresent() ? resumed.get().uploadId()
                : store.call(what, () -> store.client().createMultipartUpload(create.build())).uploadId();
        Map<Integer, Part> held = resumed.map(PartCopyJournal.Resumed::parts).orElse(Map.of());
        journal.begun(uploadId, part, head.eTag());
        ArrayDeque<Future<Part>> inFlight = new ArrayDeque<>();
        List<Part> done = new ArrayList<>();
        try {
            int number = 1;
            for (long offset = 0; offset < size; offset += part) {
                String range = "bytes=" + offset + "-" + (Math.min(size, offset + part) - 1);
                int n = number++;
                long length = Math.min(size, offset + part) - offset;
                Part kept = held.get(n);
                if (kept != null && kept.size() == length) {
                    done.add(kept); // copied by an earlier attempt
                    continue;
                }
                while (inFlight.size() >= store.settings().uploadConcurrency()) {
                    done.add(await(inFlight.poll(), what));
                }
                stopIfDue(journal, what, n);
                inFlight.add(store.pool().submit(() -> {
                    stopIfDue(journal, what, n); // a part queued behind others does not begin past the deadline
                    String tag = store.call(what + " (part " + n + ")", () -> store.client().uploadPartCopy(r ->
                            S3CustomerKey.onCopy(store.settings().customerKey(), srcKey, r
                            .sourceBucket(srcBucket).sourceKey(srcFull).destinationBucket(store.bucket())
                            .destinationKey(store.location().fullKey(targetKey)).uploadId(uploadId).partNumber(n)
                            .copySourceRange(range).copySourceIfMatch(head.eTag())))).copyPartResult().eTag();
                    Part copied = new Part(n, length, tag);
                    journal.partDone(copied);
                    return copied;
                }));
            }
            while (!inFlight.isEmpty()) {
                done.add(await(inFlight.poll(), what));
            }
            done.sort(java.util.Comparator.comparingInt(Part::number));
            multipart.completeUpload(targetKey, uploadId, done);
        } catch (RuntimeException | Error e) {
            S3Multipart.settle(inFlight);
            if (!journal.stopping()) { // a copy stopped at the deadline keeps its upload for the next attempt
                multipart.abortQuietly(targetKey, uploadId);
                journal.abandoned();
            }
            throw e;
        }
    }

    /** Fails the copy before part {@code n} when {@code journal} says to stop (the max duration is up). */
    private static void stopIfDue(PartCopyJournal journal, String what, int n) {
        if (journal.stopping()) {
            throw new MigrationException(ErrorKind.FATAL, what + ": stopped before part " + n
                    + " at the max duration; the upload is left open for the next run to continue");
        }
    }

    private Part await(Future<Part> f, String what) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.TRANSIENT, what + " was interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof MigrationException m ? m : store.fail(e.getCause(), what);
        }
    }
}
