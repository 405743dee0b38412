package dev.caravan.connector.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How an HTTP store finds and reads its objects; see the options of {@link HttpStoreProvider}. Immutable;
 * {@link #toString()} masks the authorization.
 *
 * @param base           base URL, ending with {@code /}
 * @param urls           listed URLs (absolute or relative to the base), possibly empty
 * @param urlsFile       file of URLs, one per line, or {@code null}
 * @param sitemap        sitemap URL, or {@code null}
 * @param crawlDepth     link depth of a crawl from the base page, or -1 for no crawl
 * @param keepQueries    whether URLs with query strings become keys ({@code path?query})
 * @param indexName      key name of a directory URL's page
 * @param maxObjects     most URLs a listing may hold
 * @param keysInMemory   keys kept in memory while sorting before sorted runs spill to disk
 * @param parallelHeads  HEAD requests in flight while a listing is read
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time until response headers arrive
 * @param authorization  value of the Authorization header, or {@code null}
 * @param userAgent      User-Agent header
 */
record HttpSettings(
        URI base,
        List<String> urls,
        Path urlsFile,
        String sitemap,
        int crawlDepth,
        boolean keepQueries,
        String indexName,
        long maxObjects,
        int keysInMemory,
        int parallelHeads,
        Duration connectTimeout,
        Duration requestTimeout,
        String authorization,
        String userAgent) {

    HttpSettings {
        urls = List.copyOf(urls);
    }

    @Override
    public String toString() {
        return "HttpSettings[base=" + base + ", urls=" + urls.size() + ", urlsFile=" + urlsFile + ", sitemap="
                + sitemap + ", crawlDepth=" + crawlDepth + ", keepQueries=" + keepQueries + ", authorization="
                + (authorization == null ? "none" : "****") + "]";
    }
}
