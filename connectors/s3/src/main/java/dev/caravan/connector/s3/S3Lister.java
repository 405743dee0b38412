package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists a store lazily with ListObjectsV2, one page of up to 1,000 keys at a time, with URL-encoded keys (so any
 * key survives the XML response). S3 lists in UTF-8 byte order, which is {@link ObjectKeys#ORDER}; each page is
 * sorted again because some S3-compatible servers (S3Proxy) sort by UTF-16 code units, which differs for keys
 * outside the Basic Multilingual Plane. Should the order still break across pages, the listing fails (FATAL)
 * instead of producing a wrong diff. With {@code listMetadata}, each listed object is completed by a HEAD (32 in
 * flight, in order) so the listing carries the kept time and stored SHA-256. Objects in an archive storage class
 * are listed, and noted in the store's {@link S3ObjectStore#archived()}.
 */
final class S3Lister {
    static final int HEAD_WINDOW = 32;
    /** Storage classes whose objects a GET refuses (InvalidObjectState) unless a restored copy exists. */
    static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");
    private static final String RESTORE_HINT = "restore them first (S3 RestoreObject, e.g. aws s3api restore-object)"
            + " or leave them out with an exclude filter";
    private static final Comparator<ObjectInfo> BY_KEY = Comparator.comparing(ObjectInfo::key, ObjectKeys.ORDER);

    private final S3ObjectStore store;

    S3Lister(S3ObjectStore store) {
        this.store = store;
    }

    Stream<ObjectInfo> list(String prefix) {
        Pages pages = new Pages(prefix);
        if (!store.settings().listMetadata()) {
            return stream(pages);
        }
        WithMetadata enriched = new WithMetadata(pages);
        return stream(enriched).onClose(enriched::cancel);
    }

    /** The listing without HEADs: size, ETag and S3's LastModified (see {@link S3ObjectStore#listQuick}). */
    Stream<ObjectInfo> listPlain(String prefix) {
        return stream(new Pages(prefix));
    }

    /** Whether an object with exactly this full key exists, according to the listing (the authority). */
    boolean exists(String fullKey) {
        ListObjectsV2Response page = store.call("checking whether '" + fullKey + "' exists", () -> store.client()
                .listObjectsV2(r -> r.bucket(store.bucket()).prefix(fullKey).maxKeys(1)
                        .encodingType(EncodingType.URL)));
        return page.contents().stream().anyMatch(o -> o.key().equals(fullKey));
    }

    /** Notes an object of an archive storage class, which cannot be read unless restored. */
    private void noteIfArchived(String key, String storageClass) {
        if (storageClass != null && ARCHIVE_CLASSES.contains(storageClass)) {
            store.archived().add(key, "storage class " + storageClass, RESTORE_HINT);
        }
    }

    private static Stream<ObjectInfo> stream(Iterator<ObjectInfo> it) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED
                | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    /**
     * The plain listing, page by page; the first page is fetched at once so that errors show at list(). While a page
     * is being read, the next one is already being fetched on the store's pool (at most one page ahead, so memory
     * stays bounded), as rclone lists: the reader rarely waits for the server. A page the reader gives up on (the
     * stream closed early) is simply dropped.
     */
    private final class Pages implements Iterator<ObjectInfo> {
        private final String prefix;
        private final String root;
        private List<ObjectInfo> page = List.of();
        private int index;
        private boolean more = true;
        private String last;
        /** The next page, being fetched; {@code null} when none is. */
        private Future<Page> ahead;

        Pages(String prefix) {
            this.prefix = prefix;
            this.root = store.location().prefix();
            take(fetch(null));
        }

        /** One page's objects and where the listing goes on ({@code null}: it ends there). */
        private record Page(List<ObjectInfo> objects, String token) {
        }

        private Page fetch(String continuation) {
            String fullPrefix = root + prefix;
            ListObjectsV2Response response = store.call("listing '" + prefix + "' in " + store.uri(), () -> store
                    .client().listObjectsV2(r -> r.bucket(store.bucket()).prefix(fullPrefix)
                            .encodingType(EncodingType.URL).continuationToken(continuation)));
            List<ObjectInfo> infos = new ArrayList<>(response.contents().size());
            for (S3Object o : response.contents()) {
                String key = o.key();
                if (!key.startsWith(root) || key.length() == root.length()
                        || key.endsWith("/") && (o.size() == null || o.size() == 0)) {
                    continue; // directory markers of other tools are not objects; one holding data is listed
                }
                noteIfArchived(key.substring(root.length()), o.storageClassAsString());
                infos.add(S3Metadata.fromListing(key.substring(root.length()), o));
            }
            infos.sort(BY_KEY);
            String next = response.nextContinuationToken();
            return new Page(infos, Boolean.TRUE.equals(response.isTruncated()) ? next : null);
        }

        /** Makes {@code p} the page being read, and starts fetching the one after it. */
        private void take(Page p) {
            page = p.objects();
            index = 0;
            String continuation = p.token();
            more = continuation != null;
            ahead = more ? store.pool().submit(() -> fetch(continuation)) : null;
        }

        @Override
        public boolean hasNext() {
            while (index >= page.size() && more) {
                take(await(ahead, () -> ahead.cancel(true), "listing " + store.uri()));
            }
            return index < page.size();
        }

        @Override
        public ObjectInfo next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectInfo info = page.get(index++);
            if (last != null && ObjectKeys.ORDER.compare(last, info.key()) >= 0) {
                throw new MigrationException(ErrorKind.FATAL, "the S3 server at " + store.settings().endpointName()
                        + " listed '" + info.key() + "' after '" + last + "' on the next page: it does not list in "
                        + "UTF-8 byte order as S3 does, so no reliable diff can be made of " + store.uri());
            }
            last = info.key();
            return info;
        }
    }

    /** The listing with each object completed by a HEAD, a sliding window of them running in parallel. */
    private final class WithMetadata implements Iterator<ObjectInfo> {
        private final Pages pages;
        private final ArrayDeque<Future<Optional<ObjectInfo>>> window = new ArrayDeque<>();
        private ObjectInfo next;
        private volatile boolean cancelled;

        WithMetadata(Pages pages) {
            this.pages = pages;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                while (window.size() < HEAD_WINDOW && !cancelled && pages.hasNext()) {
                    ObjectInfo listed = pages.next();
                    window.add(store.pool().submit(() -> head(listed)));
                }
                Future<Optional<ObjectInfo>> head = window.poll();
                if (head == null) {
                    return false;
                }
                next = await(head, this::cancel, "reading metadata while listing " + store.uri()).orElse(null);
            }
            return true;
        }

        @Override
        public ObjectInfo next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectInfo info = next;
            next = null;
            return info;
        }

        void cancel() {
            cancelled = true;
            Future<?> f;
            while ((f = window.poll()) != null) {
                f.cancel(true);
            }
        }

        /** The object's full info; empty when it was deleted since it was listed. */
        private Optional<ObjectInfo> head(ObjectInfo listed) {
            if (ObjectKeys.problem(listed.key()) != null) {
                return Optional.of(listed); // refused by stat/open later, item by item
            }
            return store.head(listed.key());
        }
    }

    /**
     * The result of {@code f}, computed on the store's pool; on failure {@code stop} runs first and the failure is
     * raised as it would have been on this thread.
     */
    private <T> T await(Future<T> f, Runnable stop, String what) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.run();
            throw MigrationException.transientError("interrupted while listing " + store.uri(), e);
        } catch (ExecutionException e) {
            stop.run();
            if (e.getCause() instanceof MigrationException m) {
                throw m;
            }
            throw store.fail(e.getCause(), what);
        }
    }
}
