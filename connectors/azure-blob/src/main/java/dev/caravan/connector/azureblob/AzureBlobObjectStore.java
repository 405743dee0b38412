package dev.caravan.connector.azureblob;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ArchivedObjects;
import dev.caravan.api.store.AttributeWrite;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.GrantedAccess;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.api.store.StoreCapability;
import dev.caravan.api.store.StoreFeatures;
import dev.caravan.api.store.TagWrite;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} over a container of an Azure storage account, optionally under a prefix: key {@code k} is
 * the block blob {@code prefix + k}. Puts are atomic (a single Put Blob or a block-list commit), so no temporary
 * names are needed. Keeps our modification time and SHA-256 in blob metadata (see {@link AzureMetadata}) and
 * reports the service's Content-MD5. Capabilities: {@link ServerSideCopy} within the account
 * ({@link AzureBlobCopy}), {@link MultipartUpload} on staged blocks ({@link AzureBlobMultipart}) and
 * {@link MetadataWrite}, {@link AttributeWrite} and {@link TagWrite}. Thread-safe; {@link #close()} stops the block-staging threads.
 */
public final class AzureBlobObjectStore implements ObjectStore, MetadataWrite, AttributeWrite, TagWrite,
        MetadataCheck, ArchivedObjects {
    /** Azure's limit on the length of a blob name. */
    static final int MAX_NAME_LENGTH = 1024;
    private static final int DIGEST_CACHE = 4096;
    private static final StoreFeatures FEATURES = new StoreFeatures(Set.of(HashType.MD5, HashType.SHA256),
            Duration.ofNanos(1), true, false, true, false, StoreFeatures.ALL_METADATA);
    private static final StoreFeatures FEATURES_WITHOUT_TAGS = FEATURES.keeping(Set.of(MetadataKind.CONTENT_TYPE,
            MetadataKind.CONTENT_HEADERS, MetadataKind.USER_METADATA));

    private final AzureBlobAccount account;
    private final BlobContainerClient container;
    private final String root;
    private final AzureBlobSettings settings;
    private final AzureBlobErrors errors;
    private final AzureBlobLister lister;
    private final boolean listsTags;
    private final KeyNotes archived = new KeyNotes();
    private final AzureBlobUploader uploader;
    private final AzureBlobMultipart multipart;
    private final AzureBlobCopy copy;
    private final ExecutorService stagers;
    private final Object containerLock = new Object();
    private volatile boolean containerReady;
    /** SHA-256 this store wrote with recent puts, so the engine's putMetadata of the same digest costs nothing. */
    private final Map<String, String> writtenDigests = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > DIGEST_CACHE;
        }
    };

    AzureBlobObjectStore(AzureBlobAccount account, String containerName, String root, AzureBlobSettings settings) {
        this.account = account;
        this.container = account.service().getBlobContainerClient(containerName);
        this.root = root;
        this.settings = settings;
        SasFacts sas = SasFacts.of(account.sasToken());
        this.errors = new AzureBlobErrors(new AzureBlobErrors.Where(account.name(), account.endpoint(),
                containerName, sas, account.connectionString()), account.requestTimeout());
        this.listsTags = settings.tags() && (sas == null || sas.grantsTags());
        this.lister = new AzureBlobLister(container, root, errors, settings.listPageSize(), archived, listsTags);
        this.stagers = Executors.newCachedThreadPool(daemonThreads(containerName));
        this.uploader = new AzureBlobUploader(this, settings, stagers);
        this.multipart = new AzureBlobMultipart(this);
        this.copy = new AzureBlobCopy(this, AzureBlobCopy.SYNC_COPY_LIMIT);
    }

    @Override
    public String uri() {
        return AzureBlobStoreProvider.SCHEME + "://" + account.name() + "/" + container.getBlobContainerName()
                + (root.isEmpty() ? "" : "/" + root.substring(0, root.length() - 1));
    }

    /** Its listings carry content type, headers and user metadata (List Blobs with metadata). */
    @Override
    public boolean listsAttributes() {
        return true;
    }

    /**
     * Its listings carry the blob index tags (List Blobs with {@code include=tags}) where the store keeps them and
     * the credentials may read them: an account key, or a SAS with {@code t} (a least-privilege {@code sp=rl} source
     * lists without tags, and a rerun then does not compare them).
     */
    @Override
    public boolean listsTags() {
        return listsTags;
    }

    @Override
    public StoreFeatures features() {
        return settings.tags() ? FEATURES : FEATURES_WITHOUT_TAGS;
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        try {
            return lister.list(prefix == null ? "" : prefix);
        } catch (MigrationException e) {
            // a missing container is an empty target only when this store will create it on the first write;
            // otherwise it is a configuration error that a plan must report before anything is written
            if (e.kind() == ErrorKind.NOT_FOUND && !settings.createContainer()
                    && AzureBlobErrors.isContainerNotFound(e.getCause())) {
                throw new MigrationException(ErrorKind.USER_CONFIG, e.getMessage(), e.getCause());
            }
            throw e;
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        BlobClient blob = blob(key);
        try {
            BlobProperties p = blob.getProperties();
            ObjectInfo info = info(key, p);
            if (settings.tags() && p.getTagCount() != null && p.getTagCount() > 0) {
                Map<String, String> tags = blob.getTags(); // one more request, only for blobs that have tags
                info = info.withAttributes(info.contentType(), info.headers(), info.metadata(), tags);
            }
            return Optional.of(info);
        } catch (RuntimeException e) {
            if (AzureBlobErrors.isBlobNotFound(e) || createsContainer(e)) {
                return Optional.empty();
            }
            throw errors.translate(e, "reading the properties of '" + key + "'");
        }
    }

    /** Whether the root prefix, without its slash, is the name of a blob. */
    @Override
    public boolean rootIsAnObject() {
        if (root.isEmpty()) {
            return false;
        }
        try {
            return container.getBlobClient(root.substring(0, root.length() - 1)).exists();
        } catch (RuntimeException e) {
            if (createsContainer(e)) {
                return false;
            }
            throw errors.translate(e, "checking whether " + uri() + " is a blob");
        }
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        return AzureBlobInputStream.open(this, blob(key), key, range == null ? ByteRange.ALL : range,
                settings.readChunkSize());
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        PutRequest put = request == null ? PutRequest.ofSize(-1) : request;
        blob(key);
        ensureContainer();
        return uploader.put(key, data, put);
    }

    /**
     * Stages a block under {@code key} and never commits it ({@link AzureBlobUploader#probe}): proves write access
     * without a blob appearing and without needing a delete, so a SAS without {@code d} passes. The uncommitted block
     * is then discarded where the credentials may delete (else Azure drops it after 7 days); that discard failing
     * does not fail the probe, whose write succeeded, and leaves nothing a user need remove.
     */
    @Override
    public Optional<String> probeWrite(String key) {
        blob(key);
        ensureContainer();
        uploader.probe(key);
        try {
            delete(key);
        } catch (MigrationException e) {
            // no d, or another refusal: the block, never visible to readers, expires
        }
        return Optional.empty();
    }

    @Override
    public void delete(String key) {
        BlobClient blob = blob(key);
        forget(key);
        try {
            blob.deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, null);
        } catch (RuntimeException e) {
            if (!createsContainer(e)) {
                throw errors.translate(e, "deleting '" + key + "'");
            }
        }
    }

    @Override
    public void putMetadata(String key, Map<String, String> metadata) {
        BlobClient blob = blob(key);
        String sha = metadata.get(AzureMetadata.ENGINE_SHA256);
        if (metadata.size() == 1 && sha != null && sha.equalsIgnoreCase(remembered(key))) {
            return; // stored by our own put a moment ago
        }
        Map<String, String> wanted = AzureMetadata.encode(metadata, null, null);
        for (int attempt = 1; ; attempt++) {
            BlobProperties p;
            try {
                p = blob.getProperties();
            } catch (RuntimeException e) {
                throw errors.translate(e, "reading the metadata of '" + key + "'");
            }
            Map<String, String> merged = new HashMap<>(p.getMetadata() == null ? Map.of() : p.getMetadata());
            if (wanted.entrySet().stream().allMatch(e -> e.getValue().equals(merged.get(e.getKey())))) {
                return;
            }
            merged.putAll(wanted);
            if (wanted.containsKey(AzureMetadata.SHA256)) { // with the Content-MD5 of the bytes it describes
                merged.keySet().removeIf(AzureMetadata.SHA256_MD5::equalsIgnoreCase);
                String md5 = AzureMetadata.md5Hex(p.getContentMd5());
                if (md5 != null) {
                    merged.put(AzureMetadata.SHA256_MD5, md5);
                }
            }
            try {
                blob.setMetadataWithResponse(merged, new BlobRequestConditions().setIfMatch(p.getETag()), null, null);
                return;
            } catch (RuntimeException e) {
                MigrationException failure = errors.translate(e, "writing the metadata of '" + key + "'");
                if (failure.kind() != ErrorKind.TRANSIENT || attempt == 3) {
                    throw failure;
                }
            }
        }
    }

    /**
     * Replaces a blob's content type, headers, user metadata and kept time in place: Set Blob Metadata, then Set Blob
     * HTTP Headers (with its Content-MD5, which that call would clear), each on the ETag the call before left; no
     * byte is sent. Our stored SHA-256 stays (the bytes are the same).
     */
    @Override
    public void replaceAttributes(String key, PutRequest attributes) {
        BlobClient blob = blob(key);
        forget(key);
        String what = "updating the attributes of '" + key + "'";
        try {
            BlobProperties p = blob.getProperties();
            Map<String, String> raw = AzureMetadata.encode(attributes.metadata(), attributes.modTime(), null);
            Map<String, String> old = p.getMetadata() == null ? Map.of() : p.getMetadata();
            old.forEach((name, value) -> {
                String n = name.toLowerCase(java.util.Locale.ROOT);
                boolean digest = n.equals(AzureMetadata.SHA256) || n.equals(AzureMetadata.SHA256_MD5);
                if (digest || n.equals(AzureMetadata.MTIME) && attributes.modTime() == null) {
                    raw.put(n, value); // describes the same bytes
                }
            });
            String etag = blob.setMetadataWithResponse(raw, new BlobRequestConditions().setIfMatch(p.getETag()), null,
                    null).getHeaders().getValue(com.azure.core.http.HttpHeaderName.ETAG);
            PutRequest typed = attributes.contentType() != null ? attributes : attributes.withAttributes(
                    p.getContentType(), attributes.headers(), attributes.metadata(), attributes.tags());
            blob.setHttpHeadersWithResponse(AzureAttributes.headers(typed).setContentMd5(p.getContentMd5()),
                    new BlobRequestConditions().setIfMatch(etag), null, null);
        } catch (RuntimeException e) {
            throw errors.translate(e, what);
        }
    }

    /** Blobs the listings saw in the Archive access tier (see {@link AzureBlobLister}). */
    @Override
    public KeyNotes archived() {
        return archived;
    }

    /** Set Blob Tags: neither the blob's ETag nor its Last-Modified changes. */
    @Override
    public void replaceTags(String key, Map<String, String> tags) {
        BlobClient blob = blob(key);
        try {
            blob.setTags(new HashMap<>(tags));
        } catch (RuntimeException e) {
            throw errors.translate(e, "setting the tags of '" + key + "'");
        }
    }

    @Override
    public <C extends StoreCapability> Optional<C> capability(Class<C> type) {
        if (type == MultipartUpload.class) {
            return Optional.of(type.cast(multipart));
        }
        if (type == ServerSideCopy.class) {
            return Optional.of(type.cast(copy));
        }
        if (type == GrantedAccess.class) { // what the SAS says of itself; other credentials do not tell
            SasFacts sas = SasFacts.of(account.sasToken());
            return Optional.of(type.cast((GrantedAccess) needs -> Optional.ofNullable(sas == null ? null
                    : sas.lacking(needs))));
        }
        return ObjectStore.super.capability(type);
    }

    @Override
    public void close() {
        stagers.shutdownNow();
    }

    @Override
    public String toString() {
        return uri();
    }

    // ----- shared with the helpers of this package -----

    AzureBlobAccount account() {
        return account;
    }

    AzureBlobErrors errors() {
        return errors;
    }

    AzureBlobSettings settings() {
        return settings;
    }

    /**
     * The key checks of the SPI, Azure's limits (1,024 characters, 254 path segments), the names it changes (see
     * {@link AzureBlobNames#changed}), which would be stored under another name and could overwrite another blob, and
     * the characters it does not take ({@link AzureBlobNames#unsupported}).
     */
    @Override
    public String keyProblem(String key) {
        String problem = ObjectKeys.problem(key);
        if (problem == null) {
            problem = AzureBlobNames.changed(key, true);
        }
        if (problem == null) {
            problem = AzureBlobNames.unsupported(key, true);
        }
        if (problem != null) {
            return problem;
        }
        int length = root.length() + key.length();
        if (length > MAX_NAME_LENGTH) {
            return "the blob name would have " + length + " characters, Azure allows " + MAX_NAME_LENGTH;
        }
        return AzureBlobNames.tooDeep(root + key);
    }

    /** The blob name of a key, after {@link #keyProblem}. */
    String blobName(String key) {
        return root + ObjectKeys.require(key, keyProblem(key));
    }

    BlobClient blob(String key) {
        return container.getBlobClient(blobName(key));
    }

    /**
     * Whether a failure is a missing container that {@code createContainer} will create on the first write: until
     * then the store reads as empty.
     */
    boolean createsContainer(Throwable e) {
        return settings.createContainer() && AzureBlobErrors.isContainerNotFound(e);
    }

    /** Runs an SDK call, translating its failures; a missing container is created first when allowed. */
    <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            if (settings.createContainer() && AzureBlobErrors.isContainerNotFound(e)) {
                containerReady = false;
                ensureContainer();
                try {
                    return action.get();
                } catch (RuntimeException again) {
                    throw errors.translate(again, what);
                }
            }
            throw errors.translate(e, what);
        }
    }

    /** Creates the container once per store when {@code createContainer} is set (first write only). */
    void ensureContainer() {
        if (!settings.createContainer() || containerReady) {
            return;
        }
        synchronized (containerLock) {
            if (!containerReady) {
                try {
                    container.createIfNotExists();
                } catch (RuntimeException e) {
                    throw errors.translate(e, "creating container '" + container.getBlobContainerName() + "'");
                }
                containerReady = true;
            }
        }
    }

    /** What a put or commit wrote, from the request and the service's answer. */
    ObjectInfo written(String key, long size, BlockBlobItem item, PutRequest request, byte[] md5, String sha256,
            String contentType) {
        if (sha256 != null) {
            remember(key, sha256);
        } else {
            forget(key);
        }
        Instant modTime = request.modTime() != null ? request.modTime()
                : item.getLastModified() == null ? null : item.getLastModified().toInstant();
        Map<String, String> user = new HashMap<>(request.metadata());
        user.remove(AzureMetadata.ENGINE_SHA256);
        Map<HashType, String> hashes = AzureMetadata.hashes(md5, new AzureMetadata.Decoded(Map.of(), null, sha256,
                null));
        return new ObjectInfo(key, size, modTime, hashes, item.getETag(), contentType, user, -1, request.headers(),
                settings.tags() ? request.tags() : Map.of());
    }

    /** What Azure would not hold of a put: see {@link AzureAttributes#refusals}. */
    @Override
    public List<Refusal> refusals(String key, PutRequest request) {
        return AzureAttributes.refusals(request, settings.tags());
    }

    /** The info of a blob from its properties. */
    static ObjectInfo info(String key, BlobProperties p) {
        AzureMetadata.Decoded meta = AzureMetadata.decode(p.getMetadata());
        Instant modTime = meta.modTime() != null ? meta.modTime()
                : p.getLastModified() == null ? null : p.getLastModified().toInstant();
        return new ObjectInfo(key, p.getBlobSize(), modTime, AzureMetadata.hashes(p.getContentMd5(), meta),
                p.getETag(), p.getContentType(), meta.user(), -1, AzureAttributes.headers(p), Map.of());
    }

    void forget(String key) {
        synchronized (writtenDigests) {
            writtenDigests.remove(key);
        }
    }

    private void remember(String key, String sha256) {
        synchronized (writtenDigests) {
            writtenDigests.put(key, sha256);
        }
    }

    private String remembered(String key) {
        synchronized (writtenDigests) {
            return writtenDigests.get(key);
        }
    }

    private static ThreadFactory daemonThreads(String container) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "caravan-azblob-" + container + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
