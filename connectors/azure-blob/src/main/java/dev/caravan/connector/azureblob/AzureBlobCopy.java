package dev.caravan.connector.azureblob;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.RequestConditions;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.DateTimeRfc1123;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobBeginCopySourceRequestConditions;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.options.BlobBeginCopyOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@link ServerSideCopy} within one storage account (any containers): the bytes never leave Azure. Blobs under
 * 256 MiB are copied with the synchronous Copy Blob From URL; larger ones with Copy Blob, polled until done. The
 * source is authorised by a short-lived read-only SAS (generated from the account key) or by the configured SAS.
 * The copy gets the source's content type and Content-MD5 from the service and, as metadata, the source's user
 * metadata, modification time and SHA-256 (so the next plan sees it unchanged). The copy is pinned to the source's
 * ETag ({@code x-ms-source-if-match}): a source changed since it was listed fails with TRANSIENT (412), and a
 * successful copy is known to hold exactly the described bytes, so no extra request reads the copy back. Another
 * account, endpoint or connector, and a large blob into a store with an encryption scope (Copy Blob takes none),
 * throws {@link ErrorKind#UNSUPPORTED}: the engine then streams. Thread-safe.
 */
final class AzureBlobCopy implements ServerSideCopy {
    /** Copy Blob From URL accepts sources up to this size. */
    static final long SYNC_COPY_LIMIT = 256L << 20;
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final AzureBlobObjectStore target;
    private final long syncLimit;

    /**
     * @param target    the store copied into
     * @param syncLimit sources smaller than this use the synchronous copy ({@link #SYNC_COPY_LIMIT}; tests lower it)
     */
    AzureBlobCopy(AzureBlobObjectStore target, long syncLimit) {
        this.target = target;
        this.syncLimit = syncLimit;
    }

    @Override
    public ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey) {
        return copy(from, source, targetKey, null);
    }

    /**
     * A copy with the content type, content headers, user metadata and tags of {@code attributes}: the metadata and
     * tags go with the copy, the type and headers (and the source's Content-MD5) are set on the copy right after
     * (Copy Blob takes the source's; the second request is pinned to the copy's ETag).
     */
    @Override
    public ObjectInfo copyWithAttributes(ObjectStore from, ObjectInfo source, String targetKey,
            PutRequest attributes) {
        return copy(from, source, targetKey, attributes);
    }

    private ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey, PutRequest replaced) {
        if (!(from instanceof AzureBlobObjectStore src)) {
            throw MigrationException.unsupported("server-side copy into " + target.uri() + " needs an Azure Blob "
                    + "source; " + from.uri() + " is not one");
        }
        if (!src.account().sameAs(target.account())) {
            throw MigrationException.unsupported("server-side copy needs both ends in one storage account: "
                    + src.account() + " and " + target.account() + " differ");
        }
        boolean polled = source.size() < 0 || source.size() >= syncLimit;
        if (polled && target.settings().encryptionScope() != null) {
            // Copy Blob, the polled copy of large blobs, takes no encryption scope (only Copy Blob From URL does)
            throw MigrationException.unsupported("a server-side copy of " + source.size() + " bytes into "
                    + target.uri() + " cannot name the encryption scope " + target.settings().encryptionScope());
        }
        BlobClient sourceBlob = src.blob(source.key());
        BlobClient targetBlob = target.blob(targetKey);
        String url = src.account().readUrl(sourceBlob);
        Map<String, String> metadata = AzureMetadata.encode(replaced == null ? source.metadata()
                : replaced.metadata(), source.modTime(), source.hash(HashType.SHA256).orElse(null),
                source.hash(HashType.MD5).orElse(null));
        // Copy Blob takes the source's properties (content type and headers) but not its tags: they go explicitly
        Map<String, String> tags = AzureAttributes.tags(replaced == null ? PutRequest.from(source) : replaced,
                target.settings().tags());
        String what = "copying '" + source.key() + "' of " + src.uri() + " to '" + targetKey + "'";
        target.ensureContainer();
        target.forget(targetKey);
        String etag;
        OffsetDateTime lastModified;
        if (!polled) {
            RequestConditions pinned = source.etag() == null ? null : new RequestConditions().setIfMatch(source.etag());
            Response<String> response = target.call(what, () -> targetBlob.copyFromUrlWithResponse(
                    new BlobCopyFromUrlOptions(url).setMetadata(metadata).setTier(target.settings().tier())
                            .setTags(tags)
                            .setSourceRequestConditions(pinned), null, null));
            etag = response.getHeaders().getValue(HttpHeaderName.ETAG);
            String modified = response.getHeaders().getValue(HttpHeaderName.LAST_MODIFIED);
            lastModified = modified == null ? null : new DateTimeRfc1123(modified).getDateTime();
        } else {
            BlobCopyInfo info = copyAndPoll(targetBlob, url, metadata, tags, source.etag(), what);
            etag = info.getETag();
            lastModified = info.getLastModified();
        }
        BlobHttpHeaders headers = replaced == null ? null : AzureAttributes.headers(replaced);
        if (headers != null) { // all of them are set: one left out would be cleared, Content-MD5 too
            source.hash(HashType.MD5).ifPresent(md5 -> headers.setContentMd5(HexFormat.of().parseHex(md5)));
            String copied = etag;
            etag = target.call(what, () -> targetBlob.setHttpHeadersWithResponse(headers,
                    new BlobRequestConditions().setIfMatch(copied), null, Context.NONE))
                    .getHeaders().getValue(HttpHeaderName.ETAG);
        }
        // the copy is pinned to the source's ETag, so it holds exactly the bytes and properties described by source
        Instant modTime = source.modTime() != null ? source.modTime()
                : lastModified == null ? null : lastModified.toInstant();
        ObjectInfo copy = new ObjectInfo(targetKey, source.size(), modTime, source.hashes(), etag,
                source.contentType(), source.metadata(), -1, source.headers(), tags == null ? Map.of() : tags);
        return replaced == null ? copy : copy.withAttributes(headers.getContentType(), replaced.headers(),
                replaced.metadata(), copy.tags());
    }

    private BlobCopyInfo copyAndPoll(BlobClient targetBlob, String url, Map<String, String> metadata,
            Map<String, String> tags, String etag, String what) {
        BlobBeginCopySourceRequestConditions pinned = etag == null ? null
                : new BlobBeginCopySourceRequestConditions().setIfMatch(etag);
        SyncPoller<BlobCopyInfo, Void> poller = target.call(what, () -> targetBlob.beginCopy(
                new BlobBeginCopyOptions(url).setMetadata(metadata).setTier(target.settings().tier()).setTags(tags)
                        .setSourceRequestConditions(pinned).setPollInterval(POLL_INTERVAL)));
        PollResponse<BlobCopyInfo> done = target.call(what,
                () -> poller.waitForCompletion(AzureBlobSettings.copyTimeout()));
        BlobCopyInfo info = done.getValue();
        if (done.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED
                || info == null || info.getCopyStatus() != CopyStatusType.SUCCESS) {
            String status = info == null ? String.valueOf(done.getStatus()) : info.getCopyStatus() + " "
                    + info.getError();
            throw new MigrationException(ErrorKind.TRANSIENT, what + " did not succeed: " + status);
        }
        return info;
    }
}
