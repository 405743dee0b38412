package dev.caravan.connector.http;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.KeyNotes;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.SkippedEntries;
import dev.caravan.api.store.StoreFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * A read-only {@link ObjectStore} over a web site: its objects are the URLs below a base URL, found through a
 * list of URLs, a sitemap or a bounded crawl ({@link HttpDiscovery}); keys are their paths below the base
 * ({@link HttpKeys}). A listing discovers and sorts the keys (bounded memory, {@link KeySorter}), then HEADs them
 * lazily, several at a time, for size, Last-Modified, ETag and Content-Type; URLs that are gone are left out.
 * {@link #open} sends Range requests and, for a resumed read (offset above zero) of an object whose ETag or
 * Last-Modified it saw, {@code If-Range}: a changed object fails with TRANSIENT instead of splicing two versions.
 * HEADs are conditional ({@code If-None-Match}/{@code If-Modified-Since}) once a key's validators are known, so
 * re-listing and re-stating cost 304s. put and delete fail with UNSUPPORTED. Thread-safe.
 */
final class HttpObjectStore implements ObjectStore, SkippedEntries {
    /** HTTP dates carry whole seconds; nothing is written, so nothing is kept. */
    private static final StoreFeatures FEATURES = new StoreFeatures(Set.of(), Duration.ofSeconds(1), false, false,
            false, false);

    private final HttpSettings settings;
    private final HttpKeys keys;
    private final HttpRequests http;
    private final HttpDiscovery discovery;
    /** URLs the listing left out as not found (404, 410): named by the plan and the run, not left out unseen. */
    private final KeyNotes gone = new KeyNotes();

    HttpObjectStore(HttpSettings settings) {
        this.settings = settings;
        this.keys = new HttpKeys(settings.base(), settings.keepQueries(), settings.indexName());
        this.http = new HttpRequests(settings);
        this.discovery = new HttpDiscovery(settings, keys, http);
    }

    @Override
    public String uri() {
        return settings.base().toString();
    }

    @Override
    public StoreFeatures features() {
        return FEATURES;
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        String safePrefix = prefix == null ? "" : prefix;
        KeySorter sorter = discovery.discover(safePrefix);
        Iterator<ObjectInfo> infos;
        try {
            infos = new HeadPipeline(sorter.sorted(), key -> statMapped(key).handle((found, failure) -> {
                if (failure != null) {
                    return unknown(key, failure);
                }
                if (found.isEmpty()) {
                    gone.add(key, "not found on the site (404 or 410)");
                }
                return found;
            }), settings.parallelHeads());
        } catch (RuntimeException e) {
            sorter.close();
            throw e;
        }
        HeadPipeline pipeline = (HeadPipeline) infos;
        return HeadPipeline.stream(pipeline).onClose(() -> {
            pipeline.cancel();
            sorter.close();
        });
    }

    /**
     * A listed URL whose HEAD failed with an error of that URL (a 500, another 4xx, a timeout): listed with nothing
     * known but its key, so that its copy is tried (and retried) and fails as its own item, instead of one URL ending
     * the whole listing (and run) before anything is copied. Credentials refused and a server that is unreachable or
     * gone still end it.
     */
    private Optional<ObjectInfo> unknown(String key, Throwable failure) {
        MigrationException e = unwrap(failure, keys.urlOf(key));
        if (e.kind() != ErrorKind.TRANSIENT && e.kind() != ErrorKind.USER_DATA
                || dev.caravan.api.error.OutageException.in(e).isPresent()) {
            throw e;
        }
        return Optional.of(new ObjectInfo(key, -1, null, java.util.Map.of(), null, null, java.util.Map.of(), -1));
    }

    /** The listed URLs that answered 404 or 410 (a list's or sitemap's, or a broken link of a crawl). */
    @Override
    public KeyNotes skipped() {
        return gone;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return join(statAsync(key), keys.urlOf(key));
    }

    /** HEADs a key (and, for an index page that is not found, its directory URL). */
    CompletableFuture<Optional<ObjectInfo>> statAsync(String key) {
        URI url = keys.urlOf(key);
        return headAsync(key, url).thenCompose(found -> {
            URI directory = keys.directoryUrlOf(key);
            return found.isPresent() || directory == null ? CompletableFuture.completedFuture(found)
                    : headAsync(key, directory);
        });
    }

    /** {@link #statAsync} whose failures are MigrationExceptions. */
    private CompletableFuture<Optional<ObjectInfo>> statMapped(String key) {
        URI url = keys.urlOf(key);
        return statAsync(key).handle((found, failure) -> {
            if (failure != null) {
                throw unwrap(failure, url);
            }
            return found;
        });
    }

    private CompletableFuture<Optional<ObjectInfo>> headAsync(String key, URI url) {
        return http.headAsync(key, url).thenApply(response -> {
            int status = response.statusCode();
            if (status == 304) {
                ObjectInfo known = http.validator(key);
                if (known != null) {
                    return Optional.of(known);
                }
            }
            if (status == 404 || status == 410 || redirectedToDirectory(url, response.uri())) {
                return Optional.<ObjectInfo>empty();
            }
            if (status != 200) {
                throw HttpErrors.status(response, url);
            }
            ObjectInfo info = HttpRequests.info(key, response.headers(),
                    HttpRequests.contentLength(response.headers()));
            http.remember(info);
            return Optional.of(info);
        });
    }

    /** A request for {@code a/b} that ended at {@code a/b/}: a directory, not an object. */
    private static boolean redirectedToDirectory(URI requested, URI answered) {
        String path = answered.getRawPath();
        return path != null && path.endsWith("/") && !requested.getRawPath().endsWith("/");
    }

    private Optional<ObjectInfo> join(CompletableFuture<Optional<ObjectInfo>> future, URI url) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw HttpErrors.interrupted(url, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause(), url);
        }
    }

    /** The failure inside a future, as a MigrationException. */
    MigrationException unwrap(Throwable failure, URI url) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof MigrationException m) {
            return m;
        }
        if (cause instanceof IOException io) {
            return HttpErrors.io(io, url, http.answeredBefore());
        }
        if (cause instanceof UncheckedIOException io) {
            return HttpErrors.io(io.getCause(), url, http.answeredBefore());
        }
        return new MigrationException(ErrorKind.TRANSIENT, "request for " + url + " failed: " + cause, cause);
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        URI url = keys.urlOf(key);
        if (range.length() == 0) {
            if (stat(key).isEmpty()) {
                throw MigrationException.notFound("no object '" + key + "' at " + url);
            }
            return InputStream.nullInputStream();
        }
        InputStream in = get(key, url, range);
        if (in == null) {
            URI directory = keys.directoryUrlOf(key);
            in = directory == null ? null : get(key, directory, range);
        }
        if (in == null) {
            throw MigrationException.notFound("no object '" + key + "' at " + url);
        }
        return in;
    }

    /** The body of a (ranged) GET, or {@code null} when the URL is not found. */
    private InputStream get(String key, URI url, ByteRange range) {
        HttpRequest.Builder request = http.request(url).GET();
        boolean ranged = !range.equals(ByteRange.ALL);
        boolean ifRange = false;
        if (ranged) {
            request.header("Range", "bytes=" + range.offset() + "-"
                    + (range.length() < 0 ? "" : String.valueOf(range.offset() + range.length() - 1)));
            ObjectInfo known = http.validator(key);
            if (range.offset() > 0 && known != null) {
                String validator = known.etag() != null && !known.etag().startsWith("W/") ? known.etag()
                        : known.modTime() == null ? null : java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                                .format(known.modTime().atZone(java.time.ZoneOffset.UTC));
                if (validator != null) {
                    request.header("If-Range", validator);
                    ifRange = true;
                }
            }
        }
        HttpResponse<InputStream> response;
        try {
            response = http.get(request.build());
        } catch (IOException e) {
            throw HttpErrors.io(e, url, http.answeredBefore());
        } catch (InterruptedException e) {
            throw HttpErrors.interrupted(url, e);
        }
        int status = response.statusCode();
        InputStream body = http.watched(response.body(), url);
        if (status == 206) {
            return range.length() < 0 ? body : new BoundedStream(body, range.length());
        }
        if (status == 200 && !redirectedToDirectory(url, response.uri())) {
            if (ranged && range.offset() > 0 && ifRange) {
                closeQuietly(body);
                throw MigrationException.transientError("'" + key + "' changed on the server since it was listed "
                        + "(If-Range answered with the whole new version): read it again from the start", null);
            }
            if (ranged) { // the server ignores ranges: skip and cut here
                return new BoundedStream(body, range.length() < 0 ? Long.MAX_VALUE : range.length(), range.offset());
            }
            return withAnnouncedLength(key, url, response, body);
        }
        closeQuietly(body);
        if (status == 416) {
            return InputStream.nullInputStream(); // the range starts at or after the end: nothing to read
        }
        if (status == 404 || status == 410 || status == 200) {
            return null;
        }
        throw HttpErrors.status(response, url);
    }

    /**
     * The body of a whole GET, held to the size the HEAD just before it announced (the stat the copy is made from):
     * a GET that announces another length fails at once (TRANSIENT), before a byte is read; a body of unknown length
     * (chunked) fails while it is read once it runs past that size or ends short ({@link AnnouncedLengthStream}). The
     * object changed in between, or the server's HEAD and GET disagree; either way no target completes a copy known
     * to be wrong (before, it was written whole, then failed the engine's size check, and its temporary file stayed
     * for a resume that could never use it).
     */
    private InputStream withAnnouncedLength(String key, URI url, HttpResponse<InputStream> response,
            InputStream body) {
        ObjectInfo known = http.validator(key);
        if (known == null || known.size() < 0) {
            return body;
        }
        long announced = HttpRequests.contentLength(response.headers());
        if (announced < 0) {
            return new AnnouncedLengthStream(body, known.size(), "'" + key + "' (" + url + ")");
        }
        if (announced != known.size()) {
            closeQuietly(body);
            throw MigrationException.transientError("'" + key + "' changed on the server, or its HEAD and GET"
                    + " disagree: the HEAD announced " + known.size() + " bytes, the GET " + announced + " (nothing"
                    + " was read; read again from the start)", null);
        }
        return body;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the status is what matters
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        throw MigrationException.unsupported("the http connector is read-only: cannot write '" + key + "' to "
                + uri() + " (use it as a source)");
    }

    @Override
    public void delete(String key) {
        throw MigrationException.unsupported("the http connector is read-only: cannot delete '" + key + "' from "
                + uri());
    }

    @Override
    public java.util.Optional<String> probeWrite(String key) {
        throw MigrationException.unsupported("the http connector is read-only: " + uri() + " cannot be a target");
    }

    @Override
    public String toString() {
        return uri();
    }
}
