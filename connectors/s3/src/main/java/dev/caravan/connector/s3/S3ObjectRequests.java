package dev.caravan.connector.s3;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The requests of one store on an existing object by its key, and what each makes of a missing object:
 * {@link S3ObjectStore#stat} (HEAD: empty), {@link S3ObjectStore#open} (GET of a byte range: {@code NOT_FOUND}) and
 * {@link S3ObjectStore#delete} (DELETE: nothing to do), and {@link S3ObjectStore#replaceTags} (PutObjectTagging or
 * DeleteObjectTagging: {@code NOT_FOUND}). HEAD and GET go directly ({@link S3Direct}) where they can.
 * S3Proxy answers 500 to these requests for {@code a/b} when {@code a} is an object; the listing then decides.
 * Keys come store-relative and already checked ({@link S3Location#requireKey}).
 */
final class S3ObjectRequests {
    private final S3ObjectStore store;

    S3ObjectRequests(S3ObjectStore store) {
        this.store = store;
    }

    /**
     * One HEAD, plus one GetObjectTagging with {@code withTags} when HEAD's tag count says the object has some (or
     * always, on a server that sends no count: {@link S3Attributes#mayHaveTags}).
     */
    Optional<ObjectInfo> stat(String key, boolean withTags) {
        String full = store.location().fullKey(key);
        HeadObjectResponse head;
        try {
            HeadObjectRequest request = S3CustomerKey.on(store.settings().customerKey(),
                    HeadObjectRequest.builder().bucket(store.bucket()).key(full)).build();
            head = store.direct().isPresent() ? store.direct().get().head(request)
                    : store.client().headObject(request);
        } catch (SdkException | UncheckedIOException e) {
            MigrationException m = store.fail(e, "stat of '" + key + "'");
            if (isMissing(m, e, full)) {
                return Optional.empty();
            }
            throw m;
        }
        if (S3Metadata.isDirectoryMarker(head)) {
            return Optional.empty();
        }
        ObjectInfo info = S3Metadata.fromHead(key, head);
        if (withTags && S3Attributes.mayHaveTags(store.settings(), head.tagCount())) {
            Map<String, String> tags = S3Attributes.read(store, store.bucket(), full,
                    "reading the tags of '" + key + "'");
            info = info.withAttributes(info.contentType(), info.headers(), info.metadata(), tags);
        }
        return Optional.of(info);
    }

    /** One GET of {@code range}; an empty range costs a {@link S3ObjectStore#stat} instead. */
    InputStream open(String key, ByteRange range) {
        if (range.length() == 0) {
            if (store.stat(key).isEmpty()) {
                throw MigrationException.notFound("no object '" + key + "' in " + store.uri());
            }
            return InputStream.nullInputStream();
        }
        String bytes = range.offset() > 0 || range.length() > 0 ? "bytes=" + range.offset() + "-"
                + (range.length() < 0 ? "" : Long.toString(range.offset() + range.length() - 1)) : null;
        String full = store.location().fullKey(key);
        GetObjectRequest get = S3CustomerKey.on(store.settings().customerKey(),
                GetObjectRequest.builder().bucket(store.bucket()).key(full).range(bytes)).build();
        try {
            ResponseInputStream<GetObjectResponse> in = store.direct().isPresent() ? store.direct().get().get(get)
                    : store.client().getObject(get);
            return new S3InputStream(in);
        } catch (SdkException | UncheckedIOException e) {
            if (e instanceof SdkServiceException s && s.statusCode() == 416) {
                return InputStream.nullInputStream(); // the range starts at or after the end of the object
            }
            MigrationException m = store.fail(e, "reading '" + key + "'");
            if (m.kind() != ErrorKind.NOT_FOUND && isMissing(m, e, full)) { // S3Proxy's 500: a missing object
                throw new MigrationException(ErrorKind.NOT_FOUND, "no object '" + key + "' in " + store.uri(), e);
            }
            throw m;
        }
    }

    /** One DELETE; a missing object is not an error. */
    void delete(String key) {
        String full = store.location().fullKey(key);
        try {
            store.client().deleteObject(r -> r.bucket(store.bucket()).key(full));
        } catch (SdkException | UncheckedIOException e) {
            String what = "deleting '" + key + "'";
            MigrationException m = store.fail(e, what);
            if (isMissing(m, e, full)) {
                return;
            }
            throw S3Errors.needing(m, store.bucket(), store.settings().endpointName(), what, "s3:DeleteObject");
        }
    }

    /**
     * PutObjectTagging with {@code tags}, or DeleteObjectTagging when there are none: the object's bytes, metadata,
     * ETag and LastModified stay.
     */
    void replaceTags(String key, Map<String, String> tags) {
        String full = store.location().fullKey(key);
        String what = "setting the tags of '" + key + "'";
        if (tags.isEmpty()) {
            store.call(what, () -> store.client().deleteObjectTagging(r -> r.bucket(store.bucket()).key(full)));
            return;
        }
        List<Tag> set = new ArrayList<>();
        tags.forEach((k, v) -> set.add(Tag.builder().key(k).value(v == null ? "" : v).build()));
        store.call(what, () -> store.client().putObjectTagging(r -> r.bucket(store.bucket()).key(full)
                .tagging(t -> t.tagSet(set))));
    }

    /** Whether a failed request says there is no object {@code fullKey}: S3's 404, or a 500 and no such key listed. */
    private boolean isMissing(MigrationException failure, Exception e, String fullKey) {
        return failure.kind() == ErrorKind.NOT_FOUND || isServerError(e) && !store.lister().exists(fullKey);
    }

    private static boolean isServerError(Exception e) {
        return e instanceof SdkServiceException s && s.statusCode() == 500;
    }
}
