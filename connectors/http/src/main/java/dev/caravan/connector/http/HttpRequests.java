package dev.caravan.connector.http;

import dev.caravan.api.store.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The HTTP side of the store: one {@link HttpClient} (connection reuse, HTTP/2 where the server offers it,
 * redirects followed on the same site only), requests with the configured User-Agent and Authorization, the
 * mapping of response headers to {@link ObjectInfo}, and a small cache of validators (ETag, Last-Modified) per
 * key so repeated HEADs are conditional and a server answers 304 without resending headers it sent before.
 * Thread-safe.
 */
final class HttpRequests {
    /** Validators remembered at most (least recently used go first). */
    private static final int VALIDATORS = 10_000;

    private final HttpSettings settings;
    private final HttpClient client;
    private final Map<String, ObjectInfo> validators = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectInfo> eldest) {
            return size() > VALIDATORS;
        }
    };
    private volatile boolean answered;

    HttpRequests(HttpSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // followed here: on the same site only (see redirect)
                .build();
    }

    /** Redirects followed for one request at most (the JDK's own limit). */
    private static final int MAX_REDIRECTS = 5;

    /**
     * The request again at the location a redirect of the same site (scheme, host and port) names, or {@code null}:
     * no redirect, or one to another site, which is not followed (its 3xx is the answer, an error of the item): the
     * content would be stored under this site's key, a crawl "never follows a link to another host", and the
     * Authorization header went along (the JDK keeps it on every redirect of the same scheme).
     */
    static HttpRequest redirect(HttpRequest request, HttpResponse<?> response) {
        int status = response.statusCode();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return null;
        }
        URI target;
        try {
            target = response.headers().firstValue("Location").map(l -> request.uri().resolve(l.trim())).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (target == null || !sameSite(request.uri(), target)) {
            return null;
        }
        String method = status == 303 && !"HEAD".equals(request.method()) ? "GET" : request.method();
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(target)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    static boolean sameSite(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** {@code client.send} following same-site redirects (see {@link #redirect}). */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        HttpRequest current = request;
        for (int hop = 0; ; hop++) {
            HttpResponse<T> response;
            try {
                response = client.send(current, body);
            } catch (IOException e) {
                throw hop == 0 ? e : new HttpErrors.RedirectFailed(request.uri(), current.uri(), e);
            }
            answered = true;
            HttpRequest next = hop < MAX_REDIRECTS ? redirect(current, response) : null;
            if (next == null) {
                return response;
            }
            if (response.body() instanceof InputStream in) {
                in.close();
            }
            current = next;
        }
    }

    /**
     * {@code client.sendAsync} following same-site redirects (see {@link #redirect}); {@code from} is the URL first
     * asked for, {@code null} before any redirect.
     */
    private <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> body,
            int hop, URI from) {
        CompletableFuture<HttpResponse<T>> sent = client.sendAsync(request, body);
        if (from != null) {
            sent = sent.handle((response, failure) -> {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof IOException e) {
                    throw new CompletionException(new HttpErrors.RedirectFailed(from, request.uri(), e));
                }
                if (failure != null) {
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                }
                return response;
            });
        }
        return sent.thenCompose(response -> {
            answered = true;
            HttpRequest next = hop < MAX_REDIRECTS ? redirect(request, response) : null;
            return next == null ? CompletableFuture.completedFuture(response)
                    : sendAsync(next, body, hop + 1, from == null ? request.uri() : from);
        });
    }

    /** A request with the common headers. */
    HttpRequest.Builder request(URI url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(settings.requestTimeout())
                .header("User-Agent", settings.userAgent());
        if (settings.authorization() != null) {
            builder.header("Authorization", settings.authorization());
        }
        return builder;
    }

    /** A HEAD, conditional when validators of {@code key} are known. */
    CompletableFuture<HttpResponse<Void>> headAsync(String key, URI url) {
        HttpRequest.Builder builder = request(url).method("HEAD", HttpRequest.BodyPublishers.noBody());
        ObjectInfo known = validator(key);
        if (known != null) {
            if (known.etag() != null) {
                builder.header("If-None-Match", known.etag());
            } else if (known.modTime() != null) {
                builder.header("If-Modified-Since", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        known.modTime().atZone(java.time.ZoneOffset.UTC)));
            }
        }
        return sendAsync(builder.build(), HttpResponse.BodyHandlers.discarding(), 0, null)
                .whenComplete((response, failure) -> {
                    if (response != null) {
                        answered = true;
                        HttpErrors.outage(response.uri()).answered();
                    }
                });
    }

    /** A GET whose body is read as a stream; the caller closes it. */
    HttpResponse<InputStream> get(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        answered = true;
        HttpErrors.outage(request.uri()).answered();
        return response;
    }

    /** A response body that fails once no byte has come for the request timeout ({@link IdleTimeoutStream}). */
    InputStream watched(InputStream body, URI url) {
        return new IdleTimeoutStream(body, settings.requestTimeout(), url.toString());
    }

    /** A GET of a small text (page, sitemap), at most {@code maxBytes}. */
    HttpResponse<byte[]> getBytes(URI url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send(request(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        answered = true;
        HttpErrors.outage(url).answered();
        return response;
    }

    /** Whether any request got an answer (so a refused connection later is a restart, not a typo). */
    boolean answeredBefore() {
        return answered;
    }

    /** What the headers of a 200 (HEAD or GET) say about the object. */
    static ObjectInfo info(String key, HttpHeaders headers, long size) {
        String etag = headers.firstValue("ETag").orElse(null);
        String type = headers.firstValue("Content-Type").orElse(null);
        Instant modTime = headers.firstValue("Last-Modified").map(HttpRequests::parseDate).orElse(null);
        return new ObjectInfo(key, size, modTime, Map.of(), etag, type, Map.of(), -1);
    }

    /** The size a 200 announces, or -1 when it does not (chunked responses). */
    static long contentLength(HttpHeaders headers) {
        return headers.firstValueAsLong("Content-Length").orElse(-1L);
    }

    /**
     * Remembers what a response said: its validators for conditional requests, its size for the check of the GET
     * that follows (a response without validators is remembered too, and sends no condition).
     */
    void remember(ObjectInfo info) {
        synchronized (validators) {
            validators.put(info.key(), info);
        }
    }

    /** The remembered info of a key, or {@code null}. */
    ObjectInfo validator(String key) {
        synchronized (validators) {
            return validators.get(key);
        }
    }

    private static Instant parseDate(String value) {
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null; // an unparseable date is no date
        }
    }
}
