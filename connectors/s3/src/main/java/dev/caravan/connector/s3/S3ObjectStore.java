package dev.caravan.connector.s3;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.AttributeWrite;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PartCopyJournal;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.QuickListing;
import dev.caravan.api.store.ServerIdentity;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.api.store.TagWrite;
import dev.caravan.api.store.UnfinishedUploads;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket, or a key prefix in it, as an {@link ObjectStore}, with the capabilities {@link ServerSideCopy}
 * (CopyObject, UploadPartCopy above {@code multipartCopyThreshold}), {@link MultipartUpload} (every part checked by
 * the server with Content-MD5), {@link MetadataWrite} and {@link AttributeWrite} (CopyObject onto itself),
 * {@link TagWrite} (PutObjectTagging, where the store keeps tags) and
 * {@link QuickListing} (ListObjectsV2 alone, whatever {@code listMetadata} says). Puts are atomic: S3 publishes an
 * object only when it is complete, so the copy pipeline needs no temporary key. HEAD, GET and DELETE of one object
 * are {@link S3ObjectRequests}.
 *
 * <p>Keys are relative to the prefix. Listings are lazy (ListObjectsV2, 1,000 keys per request) and sorted by
 * {@link ObjectKeys#ORDER}; empty keys ending in {@code /} are directory markers of other tools and are not listed.
 * Thread-safe: one SDK client with a connection pool serves all calls; every request passes the endpoint's
 * {@link EndpointGate} (throttling backoff shared by the process, optional request-rate limit).
 */
public final class S3ObjectStore implements ObjectStore, ServerSideCopy, MultipartUpload, MetadataWrite,
        AttributeWrite, TagWrite, MetadataCheck, QuickListing, ArchivedObjects, UnfinishedUploads {

    private static final StoreFeatures FEATURES = new StoreFeatures(Set.of(HashType.SHA256), Duration.ofMillis(1),
            true, false, true, false, Set.of(MetadataKind.CONTENT_TYPE, MetadataKind.CONTENT_HEADERS,
                    MetadataKind.USER_METADATA));

    private final S3Location location;
    private final S3Settings settings;
    private final S3ClientPool.Lease lease;
    private final S3Clients.Handle handle;
    private final PartBuffers buffers;
    private final ExecutorService pool;
    private final S3Lister lister;
    private final S3ObjectRequests objectRequests;
    private final S3Uploader uploader;
    private final S3Multipart multipart;
    private final S3Copier copier;
    private final ListedObjects listed = new ListedObjects();
    private final KeyNotes archived = new KeyNotes();
    /** Metadata of objects this store has just written with one PUT, so a MetadataWrite of the same values is free. */
    private final JustWritten justWritten = new JustWritten();
    /**
     * Whether this store reads and writes object tags: the option {@code tags} and a server that has them. The server
     * is asked (one request) on a thread of its own while the caller goes on with the store, and answers long before
     * the first use here (the planner's {@link #features}): about 40 ms off every S3 command's start.
     */
    private volatile CompletableFuture<Boolean> tagging = CompletableFuture.completedFuture(false);
    /** Whether the bucket is still to be created (missing at open with {@code createBucket=true}). */
    private volatile BucketOnFirstWrite bucketCreation = BucketOnFirstWrite.EXISTING;
    /** An object's PUT, HEAD and GET without the SDK client's pipeline, where they can be sent that way. */
    private final Optional<S3Direct> direct;
    /** This store's mark on its endpoint's outage watch: answers after it make a refused connection an outage. */
    private final long openedAt;

    private S3ObjectStore(S3Location location, S3Settings settings, S3ClientPool.Lease lease) {
        this.location = location;
        this.settings = settings;
        this.lease = lease;
        this.handle = lease.handle();
        this.openedAt = handle.gate().outage().mark();
        this.buffers = new PartBuffers(settings.bufferMemory());
        this.pool = S3Clients.newPool();
        this.lister = new S3Lister(this);
        this.objectRequests = new S3ObjectRequests(this);
        this.uploader = new S3Uploader(this);
        this.multipart = new S3Multipart(this);
        this.copier = new S3Copier(this);
        this.direct = S3Direct.forStore(handle.client(), location.bucket(), settings, handle.provider(),
                handle.gate());
    }

    /** Opens a store on a client of {@link S3ClientPool} and checks the bucket (creating it when asked to). */
    static S3ObjectStore open(S3Location location, S3Settings settings) {
        S3ClientPool.Lease lease = S3ClientPool.acquire(settings);
        S3ObjectStore store;
        try {
            store = new S3ObjectStore(location, settings, lease);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        try {
            if (!S3Clients.checkBucket(store)) {
                store.bucketCreation = new BucketOnFirstWrite(store);
            }
            if (settings.tags()) {
                store.tagging = S3Clients.taggingProbe(store, lease);
            }
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public String uri() {
        return "s3:" + location.display() + (settings.endpoint() == null ? "" : "?endpoint=" + settings.endpoint());
    }

    /**
     * {@code s3:BUCKET/PREFIX?endpoint=ID}, where ID is {@code aws} for Amazon S3 whichever of its endpoints is named
     * (bucket names are global there), else the endpoint's {@link ServerIdentity}: {@code localhost} and
     * {@code 127.0.0.1}, or {@code HTTP://host} and {@code http://host:80}, are one server.
     */
    @Override
    public String rootLocation() {
        return "s3:" + location.display() + "?endpoint=" + settings.endpointIdentity();
    }

    /** Whether the prefix, without its slash, is the key of an object (one listing request). */
    @Override
    public boolean rootIsAnObject() {
        String prefix = location.prefix();
        return !prefix.isEmpty() && !bucketCreation.stillMissing()
                && lister.exists(prefix.substring(0, prefix.length() - 1));
    }

    /** See {@link S3Location#keyProblem}: every operation refuses the same keys. */
    @Override
    public String keyProblem(String key) {
        return location.keyProblem(key);
    }

    @Override
    public StoreFeatures features() {
        return keepsTags() ? FEATURES.keeping(StoreFeatures.ALL_METADATA) : FEATURES;
    }

    /** What S3 would not hold of a put: see {@link S3Attributes#refusals}. */
    @Override
    public List<Refusal> refusals(String key, PutRequest request) {
        return S3Attributes.refusals(request, keepsTags());
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        if (bucketCreation.stillMissing()) {
            return Stream.empty();
        }
        return lister.list(prefix == null ? "" : prefix).peek(listed::remember);
    }

    /**
     * ListObjectsV2 alone, one request per 1,000 objects: key, size, ETag and S3's LastModified (in whole seconds)
     * as the modification time; no kept time, hashes or metadata ({@link #stat} reads those with a HEAD).
     */
    @Override
    public Stream<ObjectInfo> listQuick(String prefix) {
        if (bucketCreation.stillMissing()) {
            return Stream.empty();
        }
        return lister.listPlain(prefix == null ? "" : prefix).peek(listed::remember);
    }

    /**
     * One HEAD, plus one GetObjectTagging when the store reads tags and HEAD's {@code x-amz-tagging-count} says the
     * object has some (so untagged objects cost nothing more).
     */
    @Override
    public Optional<ObjectInfo> stat(String key) {
        return stat(key, keepsTags());
    }

    /** The facts of one HEAD, without tags: what listings with {@code listMetadata} use. */
    Optional<ObjectInfo> head(String key) {
        return stat(key, false);
    }

    private Optional<ObjectInfo> stat(String key, boolean withTags) {
        String k = location.requireKey(key);
        return bucketCreation.stillMissing() ? Optional.empty() : objectRequests.stat(k, withTags);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        String k = location.requireKey(key);
        if (bucketCreation.stillMissing()) {
            throw MigrationException.notFound("no object '" + k + "' in " + uri() + " (its bucket is not made yet)");
        }
        return objectRequests.open(k, range);
    }

    /**
     * Writes an object. Known sizes up to {@code partSize} are sent with one PUT carrying Content-MD5 (the server
     * checks the bytes) and our SHA-256 in metadata; larger objects and objects of unknown size go up in parts of
     * {@code partSize}, {@code uploadConcurrency} at a time, each checked by the server (Content-MD5 over TLS, the
     * signed payload SHA-256 over plain HTTP; over TLS, known sizes up to {@code multipartThreshold} stream with one
     * PUT instead). The returned info carries the SHA-256 of the bytes the server verified (none for a streamed PUT).
     */
    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        bucketCreation.ensure();
        try {
            return uploader.put(location.requireKey(key), data, request);
        } catch (MigrationException e) {
            throw S3Errors.forUpload(e, key, request.contentType());
        }
    }

    /**
     * Starts a multipart upload and aborts it ({@link S3Multipart#probe}): no object written, none deleted; an abort
     * refused leaves the empty upload, which the returned note names.
     */
    @Override
    public Optional<String> probeWrite(String key) {
        bucketCreation.ensure();
        return multipart.probe(location.requireKey(key));
    }

    @Override
    public void delete(String key) {
        String k = location.requireKey(key);
        justWritten.forget(k);
        objectRequests.delete(k);
    }

    /**
     * Copies server-side when {@code from} is an S3 store of the same endpoint and credentials (CopyObject, or
     * UploadPartCopy in parallel above {@code multipartCopyThreshold}); metadata, content type and the kept time
     * travel with the object. Otherwise fails with {@link ErrorKind#UNSUPPORTED} so the caller streams.
     */
    @Override
    public ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey) {
        return copyResumably(from, source, targetKey, null, PartCopyJournal.NONE);
    }

    @Override
    public ObjectInfo copyWithAttributes(ObjectStore from, ObjectInfo source, String targetKey, PutRequest attributes) {
        return copyResumably(from, source, targetKey, attributes, PartCopyJournal.NONE);
    }

    @Override
    public ObjectInfo copyResumably(ObjectStore from, ObjectInfo source, String targetKey, PutRequest attributes,
            PartCopyJournal journal) {
        bucketCreation.ensure();
        return copier.copy(from, source, location.requireKey(targetKey), attributes, journal);
    }

    @Override
    public Optional<Copied> copyListed(ObjectStore from, String sourceKey, String targetKey) {
        bucketCreation.ensure();
        return copier.copyListed(from, sourceKey, location.requireKey(targetKey));
    }

    /** What this store's latest listings said of its objects. */
    ListedObjects listed() {
        return listed;
    }

    /** Merges user metadata into an object by copying it onto itself (keeping type and existing metadata). */
    @Override
    public void putMetadata(String key, Map<String, String> metadata) {
        copier.putMetadata(location.requireKey(key), metadata);
    }

    /** Replaces an object's attributes by copying it onto itself on the server ({@link S3Copier#replaceAttributes}). */
    @Override
    public void replaceAttributes(String key, PutRequest attributes) {
        copier.replaceAttributes(location.requireKey(key), attributes);
    }

    @Override
    public void replaceTags(String key, Map<String, String> tags) {
        objectRequests.replaceTags(location.requireKey(key), tags);
    }

    /**
     * {@code partSize}: smaller objects are sent from memory with our SHA-256 computed there; S3 changes metadata only
     * by copying the object ({@link S3Copier#putMetadata}).
     */
    @Override
    public long rewritesObjectsAbove() {
        return settings.partSize();
    }

    @Override
    public long minPartSize() {
        return S3Settings.MIN_PART;
    }

    @Override
    public long preferredPartSize() {
        return settings.partSize();
    }

    /** {@link S3Settings#largestSingleRequest}: larger objects are sent in parts by {@link S3Uploader}. */
    @Override
    public long largestSingleRequest() {
        return settings.largestSingleRequest();
    }

    @Override
    public String begin(String key, PutRequest request) {
        bucketCreation.ensure();
        return multipart.begin(location.requireKey(key), request);
    }

    @Override
    public List<Part> listParts(String key, String uploadId) {
        return multipart.listParts(location.requireKey(key), uploadId);
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, InputStream data, long size) {
        return multipart.uploadPart(location.requireKey(key), uploadId, number, data, size);
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, byte[] data, int length) {
        return multipart.uploadPart(location.requireKey(key), uploadId, number, data, length);
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256) {
        return multipart.uploadPart(location.requireKey(key), uploadId, number, data, length, sha256);
    }

    @Override
    public Part uploadPart(String key, String uploadId, int number, byte[] data, int length, byte[] sha256,
            UnaryOperator<InputStream> through) {
        return multipart.uploadPart(location.requireKey(key), uploadId, number, data, length, sha256, through);
    }

    /** True where requests go directly ({@link S3Direct}): a part is then signed with the digest given. */
    @Override
    public boolean takesPartDigests() {
        return direct.isPresent();
    }

    @Override
    public ObjectInfo complete(String key, String uploadId, List<Part> parts) {
        return multipart.complete(location.requireKey(key), uploadId, parts);
    }

    /**
     * True: S3 refuses a part whose bytes were damaged on the way, by its Content-MD5 over TLS and by the signed
     * SHA-256 of its payload over plain HTTP.
     */
    @Override
    public boolean verifiesParts() {
        return true;
    }

    @Override
    public void abort(String key, String uploadId) {
        multipart.abort(location.requireKey(key), uploadId);
    }

    /** The multipart uploads under this store's prefix that were neither completed nor aborted. */
    @Override
    public List<Upload> unfinished() {
        return bucketCreation.stillMissing() ? List.of() : multipart.unfinished();
    }

    /**
     * Aborts an upload {@link #unfinished} found, whatever its key: another tool may have started one for a key Caravan
     * would not write (a folder marker {@code dir/}), and aborting writes nothing.
     */
    @Override
    public void abort(Upload upload) {
        multipart.abort(upload.key(), upload.id());
    }

    @Override
    public void close() {
        pool.shutdownNow();
        lease.close();
    }

    @Override
    public String toString() {
        return uri();
    }

    // --- shared with the helpers of this package ------------------------------------------------------------

    S3Client client() {
        return handle.client();
    }

    String bucket() {
        return location.bucket();
    }

    S3Location location() {
        return location;
    }

    S3Settings settings() {
        return settings;
    }

    PartBuffers buffers() {
        return buffers;
    }

    ExecutorService pool() {
        return pool;
    }

    EndpointGate gate() {
        return handle.gate();
    }

    /** Objects the listings saw in the GLACIER or DEEP_ARCHIVE storage class (see {@link S3Lister}). */
    @Override
    public KeyNotes archived() {
        return archived;
    }

    S3Lister lister() {
        return lister;
    }

    S3Multipart multipart() {
        return multipart;
    }

    /** The direct requests of this store, or empty when every request goes through the SDK client. */
    Optional<S3Direct> direct() {
        return direct;
    }

    /** Whether writes carry tags ({@code x-amz-tagging}) and reads fetch them (the probe's answer, waited for). */
    boolean keepsTags() {
        try {
            return tagging.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The metadata this store's PUTs have just given their objects. */
    JustWritten justWritten() {
        return justWritten;
    }

    /**
     * Translates a failure of this store (names bucket and endpoint); a refused connection of an endpoint that has
     * answered since this store was opened is an outage, ridden out for a while ({@link EndpointOutage}), and so is a
     * request left without an answer for the read timeout while no other request was answered either.
     */
    MigrationException fail(Throwable e, String what) {
        MigrationException m = S3Errors.translate(e, bucket(), settings.endpointName(), what);
        EndpointOutage outage = handle.gate().outage();
        if (m.kind() == ErrorKind.USER_CONFIG && EndpointOutage.isRefusal(e)) {
            return outage.refused(m, what, openedAt);
        }
        return m.kind() == ErrorKind.TRANSIENT && S3Errors.timedOut(e)
                ? outage.unanswered(m, what, openedAt, settings.readTimeout()) : m;
    }

    /** Whether the endpoint has answered since this store was opened. */
    boolean answeredSinceOpened() {
        return handle.gate().outage().answeredSince(openedAt);
    }

    /** Runs one SDK call and translates its failure. */
    <T> T call(String what, Supplier<T> op) {
        try {
            return op.get();
        } catch (SdkException | UncheckedIOException e) {
            throw fail(e, what);
        }
    }
}
