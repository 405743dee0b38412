package dev.caravan.connector.azureblob;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flat, paged, lazy listings of a container under the store's root prefix, in {@link ObjectKeys#ORDER} (through
 * {@link CodePointOrder}; Azurite lists by UTF-16 code units). Empty folder markers (names ending in {@code /}) are
 * not objects and are skipped; every other blob is listed, also one whose name is no valid key, and one in the
 * Archive tier (noted in the store's {@link AzureBlobObjectStore#archived()}). Each blob comes with its metadata and,
 * when the store keeps tags, its blob index tags ({@code include=tags}: no request per blob). Thread-safe; each
 * stream is for one thread.
 */
final class AzureBlobLister {
    private static final Logger LOG = LoggerFactory.getLogger(AzureBlobLister.class);
    private static final String REHYDRATE_HINT = "rehydrate them to the Hot or Cool tier first (Set Blob Tier; it"
            + " takes hours) or leave them out with an exclude filter";

    private final BlobContainerClient container;
    private final String root;
    private final AzureBlobErrors errors;
    private final int pageSize;
    private final KeyNotes archived;
    private final boolean withTags;
    /** Cleared when the server rejects the startFrom parameter; the lister then skips forward by itself. */
    private final AtomicBoolean useStartFrom = new AtomicBoolean(true);

    AzureBlobLister(BlobContainerClient container, String root, AzureBlobErrors errors, int pageSize,
            KeyNotes archived, boolean withTags) {
        this.container = container;
        this.withTags = withTags;
        this.archived = archived;
        this.root = root;
        this.errors = errors;
        this.pageSize = pageSize;
    }

    /**
     * The objects whose key starts with {@code prefix}. The first page is fetched before this returns, so a missing
     * container fails here with NOT_FOUND; later pages are fetched as the stream is consumed.
     */
    Stream<ObjectInfo> list(String prefix) {
        String full = root + prefix;
        CodePointOrder.Cursor<BlobItem> main = open(full, null);
        main.hasNext();
        CodePointOrder<BlobItem> ordered = new CodePointOrder<>(main, full.length(), BlobItem::getName, this::open);
        Iterator<ObjectInfo> infos = new Iterator<>() {
            private ObjectInfo next;

            @Override
            public boolean hasNext() {
                while (next == null && ordered.hasNext()) {
                    next = toInfo(ordered.next());
                }
                return next != null;
            }

            @Override
            public ObjectInfo next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                ObjectInfo item = next;
                next = null;
                return item;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(infos,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false).onClose(ordered::close);
    }

    /**
     * The info of a listed blob, or {@code null} for an empty directory marker (a name ending in {@code /}). A name
     * that is not a valid key ({@code a//b}, {@code a/./b}, {@code a/../b}, a marker holding data) is listed as it
     * is: a copy of it then fails with the reason, object by object in the run's report, instead of being left out
     * unseen (every store refuses such a key, so nothing is written for it).
     */
    private ObjectInfo toInfo(BlobItem item) {
        String key = item.getName().substring(root.length());
        BlobItemProperties p = item.getProperties();
        if (key.isEmpty() || key.endsWith("/") && (p.getContentLength() == null || p.getContentLength() == 0)) {
            return null;
        }
        AzureMetadata.Decoded meta = AzureMetadata.decode(item.getMetadata());
        if ("true".equalsIgnoreCase(meta.user().get("hdi_isfolder"))
                && (p.getContentLength() == null || p.getContentLength() == 0)) {
            return null; // a directory of a hierarchical-namespace account (one holding data is copied: it is data)
        }
        if (AccessTier.ARCHIVE.equals(p.getAccessTier())) {
            archived.add(key, "access tier Archive" + (p.getArchiveStatus() == null ? ""
                    : ", " + p.getArchiveStatus()), REHYDRATE_HINT);
        }
        Instant modTime = meta.modTime() != null ? meta.modTime()
                : p.getLastModified() == null ? null : p.getLastModified().toInstant();
        long size = p.getContentLength() == null ? -1 : p.getContentLength();
        return new ObjectInfo(key, size, modTime, AzureMetadata.hashes(p.getContentMd5(), meta),
                p.getETag(), p.getContentType(), meta.user(), -1, new ContentHeaders(p.getCacheControl(),
                p.getContentDisposition(), p.getContentEncoding(), p.getContentLanguage()),
                withTags && item.getTags() != null ? item.getTags() : Map.of());
    }

    private CodePointOrder.Cursor<BlobItem> open(String prefix, String startFrom) {
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(pageSize)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true).setRetrieveTags(withTags));
        if (!prefix.isEmpty()) {
            options.setPrefix(prefix);
        }
        boolean withStart = startFrom != null && useStartFrom.get();
        if (withStart) {
            options.setStartFrom(startFrom);
        }
        String what = "listing '" + prefix + "'";
        try {
            Iterator<BlobItem> it = container.listBlobs(options, null, null).iterator();
            return new PagedCursor(it, what);
        } catch (RuntimeException e) {
            MigrationException failure = errors.translateListing(e, what);
            if (withStart && failure.kind() == dev.caravan.api.error.ErrorKind.FATAL) {
                LOG.debug("{} with startFrom failed ({}); listing without it", what, failure.getMessage());
                useStartFrom.set(false);
                return open(prefix, null);
            }
            throw failure;
        }
    }

    /** A cursor over the SDK's paged iterator; pages are fetched on demand and failures translated. */
    private final class PagedCursor implements CodePointOrder.Cursor<BlobItem> {
        private final Iterator<BlobItem> pages;
        private final String what;
        private BlobItem head;
        private boolean done;

        PagedCursor(Iterator<BlobItem> pages, String what) {
            this.pages = pages;
            this.what = what;
        }

        @Override
        public boolean hasNext() {
            if (head == null && !done) {
                try {
                    if (pages.hasNext()) {
                        head = pages.next();
                    } else {
                        done = true;
                    }
                } catch (RuntimeException e) {
                    throw errors.translateListing(e, what);
                }
            }
            return head != null;
        }

        @Override
        public BlobItem peek() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return head;
        }

        @Override
        public BlobItem next() {
            BlobItem item = peek();
            head = null;
            return item;
        }

        @Override
        public void close() {
            done = true;
            head = null;
        }
    }
}
