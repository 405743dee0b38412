package dev.caravan.connector.http;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A breadth-first crawl from the base page, bounded to the base's scheme, host, port and path and to
 * {@code crawlDepth} links: the base page is depth 0, pages it links to depth 1, and so on. Pages up to depth
 * {@code crawlDepth - 1} are fetched (GET) and, when they are HTML (at most 10 MiB), their links are read with
 * jsoup ({@code a}, {@code link}, {@code area} href; {@code img}, {@code script}, {@code source}, {@code iframe},
 * {@code video}, {@code audio}, {@code embed}, {@code track} src); URLs at depth {@code crawlDepth} are listed
 * without being fetched. Links to other hosts, schemes or ports, or above the base path, are never followed.
 * Fragments are dropped. A page that answers 4xx is a broken link and is left out; a missing base page is
 * NOT_FOUND; 5xx and I/O failures end the crawl with their kind.
 *
 * <p>Memory: a 64-bit hash per URL seen (a few tens of bytes each in a HashSet) and the URLs of the current and
 * next depth; the keys themselves go to the caller ({@link KeySorter}, which spills to disk). Pages are fetched
 * one at a time. Not thread-safe: one crawl per instance.
 */
final class HttpCrawler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpCrawler.class);
    private static final int MAX_PAGE_BYTES = 10 << 20;
    private static final String LINKS = "a[href], link[href], area[href], img[src], script[src], source[src], "
            + "iframe[src], video[src], audio[src], embed[src], track[src]";

    private final HttpSettings settings;
    private final HttpKeys keys;
    private final HttpRequests http;
    private final Set<Long> seen = new HashSet<>();

    HttpCrawler(HttpSettings settings, HttpKeys keys, HttpRequests http) {
        this.settings = settings;
        this.keys = keys;
        this.http = http;
    }

    /** Crawls and hands every key found to {@code found} (in crawl order, possibly many). */
    void crawl(Consumer<String> found) {
        List<URI> level = List.of(keys.base());
        seen.add(hash(keys.base()));
        for (int depth = 0; depth <= settings.crawlDepth() && !level.isEmpty(); depth++) {
            List<URI> next = new ArrayList<>();
            for (URI url : level) {
                String key = keys.keyOf(url);
                if (key == null) {
                    continue;
                }
                if (depth == settings.crawlDepth()) {
                    found.accept(key); // the listing's HEAD tells whether it exists
                    continue;
                }
                if (visit(url, depth, next)) {
                    found.accept(key);
                }
            }
            level = next;
        }
    }

    /** Fetches a page; adds its new links to {@code next}. False when the page is a broken link. */
    private boolean visit(URI url, int depth, List<URI> next) {
        HttpResponse<InputStream> response;
        try {
            response = http.get(http.request(url).GET().build());
        } catch (IOException e) {
            throw HttpErrors.io(e, url, http.answeredBefore());
        } catch (InterruptedException e) {
            throw HttpErrors.interrupted(url, e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status != 200) {
                MigrationException failure = HttpErrors.status(response, url);
                if (depth == 0 && failure.kind() == ErrorKind.NOT_FOUND) {
                    throw MigrationException.notFound("the base page " + url + " does not exist: nothing to crawl");
                }
                if (failure.kind() == ErrorKind.TRANSIENT || depth == 0) {
                    throw failure;
                }
                LOG.debug("broken link left out of the crawl: {}", failure.getMessage());
                return false;
            }
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.startsWith("text/html") && !type.startsWith("application/xhtml")) {
                return true; // not a page: listed, not parsed (closing the body stops the download)
            }
            byte[] html = body.readNBytes(MAX_PAGE_BYTES);
            Document page = Jsoup.parse(new String(html, charset(type)), response.uri().toString());
            for (Element link : page.select(LINKS)) {
                String target = link.hasAttr("href") ? link.absUrl("href") : link.absUrl("src");
                URI resolved = normalize(target);
                if (resolved != null && keys.isUnderBase(resolved) && seen.add(hash(resolved))) {
                    next.add(resolved);
                }
            }
            return true;
        } catch (IOException e) {
            throw HttpErrors.io(e, url, http.answeredBefore());
        }
    }

    private static Charset charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at >= 0) {
            try {
                return Charset.forName(contentType.substring(at + 8).replace("\"", "").trim());
            } catch (RuntimeException ignored) {
                // fall through to UTF-8
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * The URL without its fragment, or null when it is not an http(s) URL. Characters that HTML allows but URIs
     * do not (spaces, non-ASCII) are percent-encoded as UTF-8; existing escapes are kept.
     */
    static URI normalize(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        int fragment = url.indexOf('#');
        String text = fragment >= 0 ? url.substring(0, fragment) : url;
        StringBuilder safe = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
                safe.append('%').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                safe.append((char) c);
            }
        }
        try {
            URI uri = new URI(safe.toString()).normalize();
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static long hash(URI url) {
        String text = url.toString();
        long h = 1125899906842597L;
        for (int i = 0; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ ((long) text.hashCode() << 32);
    }
}
