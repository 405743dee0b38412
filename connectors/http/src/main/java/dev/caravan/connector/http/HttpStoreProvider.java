package dev.caravan.connector.http;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code http} scheme (and {@code https}, {@link HttpsStoreProvider}): a read-only store over the URLs below
 * a base URL, e.g. {@code https://www.example.com/docs/} with {@code sitemap=sitemap.xml}. The location is the
 * part after the scheme ({@code //host[:port]/path}); the base path always ends with {@code /}. Its objects come
 * from exactly one source option: {@code urls}, {@code urlsFile}, {@code sitemap} or {@code crawlDepth}.
 * Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public class HttpStoreProvider implements StoreProvider {

    /** URLs to list. */
    public static final OptionDef URLS = OptionDef.of("urls", OptionType.LIST,
            "Comma-separated URLs to copy, absolute or relative to the base URL (e.g. 'a.html,img/logo.png'). "
                    + "URLs outside the base are left out. One of urls, urlsFile, sitemap, crawlDepth.");

    /** File of URLs to list. */
    public static final OptionDef URLS_FILE = OptionDef.of("urlsFile", OptionType.STRING,
            "Local file with one URL per line (absolute or relative to the base; '#' starts a comment line). "
                    + "Any number of URLs: they are sorted with a bounded memory (keysInMemory).");

    /** Sitemap to list. */
    public static final OptionDef SITEMAP = OptionDef.of("sitemap", OptionType.STRING,
            "URL of a sitemap.xml (absolute or relative to the base, e.g. 'sitemap.xml'); sitemap indexes are "
                    + "followed (3 levels, 1,000 sitemaps) and gzip-compressed sitemaps are read.");

    /** Crawl depth. */
    public static final OptionDef CRAWL_DEPTH = OptionDef.of("crawlDepth", OptionType.INT,
            "Crawl the site from the base page, following links at most this deep (0: the base page only; 1: "
                    + "it and what it links to; ...). Only links to the base's scheme, host and port, below its "
                    + "path, are followed; the HTML pages and everything they link to are objects.")
            .withValidator(v -> Integer.parseInt(v.trim()) >= 0 && Integer.parseInt(v.trim()) <= 50 ? null
                    : "must be between 0 and 50");

    /** What to do with query strings. */
    public static final OptionDef QUERIES = OptionDef.of("queries", OptionType.ENUM,
            "URLs with a query string: 'ignore' leaves them out; 'keep' lists them under the key "
                    + "'path?query' (query kept percent-encoded; the first '?' of a key starts its query).")
            .withAllowed("ignore", "keep").withDefault("ignore");

    /** Key of a directory URL. */
    public static final OptionDef INDEX_NAME = OptionDef.of("indexName", OptionType.STRING,
            "Key name given to a URL that ends with '/' (its page): 'docs/' becomes 'docs/index.html'. Reading "
                    + "such a key falls back to the directory URL when the server has no file of that name.")
            .withDefault("index.html")
            .withValidator(v -> v.isBlank() || v.contains("/") ? "a file name without '/'" : null);

    /** Most URLs a listing may hold. */
    public static final OptionDef MAX_OBJECTS = OptionDef.of("maxObjects", OptionType.LONG,
            "Most URLs one listing may hold; a crawl or list beyond it stops with an error (a guard against "
                    + "crawling into endless generated pages).")
            .withDefault("1000000");

    /** Keys held in memory while sorting. */
    public static final OptionDef KEYS_IN_MEMORY = OptionDef.of("keysInMemory", OptionType.INT,
            "Keys a listing sorts in memory before it writes sorted runs to the temp directory and merges them "
                    + "(about 100 bytes per key; the default bounds it to roughly 10 MB).")
            .withDefault("100000")
            .withValidator(v -> Integer.parseInt(v.trim()) >= 1 ? null : "must be at least 1");

    /** HEADs in flight while listing. */
    public static final OptionDef PARALLEL_HEADS = OptionDef.of("parallelHeads", OptionType.INT,
            "HEAD requests in flight while a listing is read (size, Last-Modified, ETag of each URL).")
            .withDefault("8")
            .withValidator(v -> {
                int n = Integer.parseInt(v.trim());
                return n >= 1 && n <= 256 ? null : "must be between 1 and 256";
            });

    /** Connect timeout. */
    public static final OptionDef CONNECT_TIMEOUT = OptionDef.of("connectTimeout", OptionType.DURATION,
            "How long to wait for a TCP (and TLS) connection.").withDefault("30s");

    /** Request timeout. */
    public static final OptionDef REQUEST_TIMEOUT = OptionDef.of("requestTimeout", OptionType.DURATION,
            "How long to wait for the response headers of a request, and for each read of a body (a server that"
                    + " stops sending in the middle of one fails the read, which is retried).").withDefault("60s");

    /** Authorization header. */
    public static final OptionDef AUTHORIZATION = OptionDef.of("authorization", OptionType.PASSWORD,
            "Value of the Authorization header sent with every request (e.g. 'Bearer eyJ...' or 'Basic "
                    + "dXNlcjpwYXNz'). Masked in logs and reports.");

    /** User agent. */
    public static final OptionDef USER_AGENT = OptionDef.of("userAgent", OptionType.STRING,
            "User-Agent header of every request.").withDefault("caravan/0.1 (+https://caravan.dev)");

    private static final Options OPTIONS = Options.of("connector http/https", URLS, URLS_FILE, SITEMAP,
            CRAWL_DEPTH, QUERIES, INDEX_NAME, MAX_OBJECTS, KEYS_IN_MEMORY, PARALLEL_HEADS, CONNECT_TIMEOUT,
            REQUEST_TIMEOUT, AUTHORIZATION, USER_AGENT);

    @Override
    public String scheme() {
        return "http";
    }

    @Override
    public String description() {
        return "Web site objects over " + scheme().toUpperCase(java.util.Locale.ROOT)
                + " (read-only: URL list, sitemap or bounded crawl)";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    /**
     * Opens the store of base URL {@code scheme():location}. Nothing is requested yet.
     *
     * @param config options resolved by {@link #options()}; {@code null} means all defaults (then it fails: a
     *               source option is required)
     */
    @Override
    public ObjectStore open(String location, Config config) {
        Config c = config == null ? OPTIONS.resolve(Map.of()) : config;
        URI base = base(location);
        int sources = (c.list(URLS.name()).isEmpty() ? 0 : 1) + (c.get(URLS_FILE.name()).isEmpty() ? 0 : 1)
                + (c.get(SITEMAP.name()).isEmpty() ? 0 : 1) + (c.get(CRAWL_DEPTH.name()).isEmpty() ? 0 : 1);
        if (sources != 1) {
            throw MigrationException.userConfig("the " + scheme() + " connector needs exactly one source of URLs "
                    + "for " + HttpLocations.masked(base.toString()) + " (got " + sources + "): set urls=..., urlsFile=..., sitemap=sitemap.xml or "
                    + "crawlDepth=N");
        }
        String urlsFile = c.string(URLS_FILE.name());
        HttpSettings settings = new HttpSettings(base, c.list(URLS.name()),
                urlsFile == null ? null : Path.of(urlsFile), c.string(SITEMAP.name()),
                c.intValue(CRAWL_DEPTH.name(), -1), "keep".equalsIgnoreCase(c.string(QUERIES.name())),
                c.string(INDEX_NAME.name()), c.longValue(MAX_OBJECTS.name(), 1_000_000),
                c.intValue(KEYS_IN_MEMORY.name(), 100_000), c.intValue(PARALLEL_HEADS.name(), 8),
                c.duration(CONNECT_TIMEOUT.name()).orElse(Duration.ofSeconds(30)),
                c.duration(REQUEST_TIMEOUT.name()).orElse(Duration.ofSeconds(60)),
                c.string(AUTHORIZATION.name()), c.string(USER_AGENT.name()));
        return new HttpObjectStore(settings);
    }

    private URI base(String location) {
        String text = location == null ? "" : location.trim();
        if (!text.startsWith("//")) {
            throw bad(location, "expected //host[:port]/path after '" + scheme() + ":'");
        }
        try {
            URI uri = new URI(scheme() + ":" + text);
            if (uri.getHost() == null) {
                throw bad(location, "no host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw bad(location, "the base URL cannot have a query or fragment");
            }
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (!path.endsWith("/")) {
                path = path + "/";
            }
            return new URI(scheme() + "://" + uri.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw bad(location, e.getReason());
        }
    }

    /** A refused location, named without its secrets ({@link HttpLocations}). */
    private MigrationException bad(String location, String problem) {
        return MigrationException.userConfig("not a base URL: '" + scheme() + ":" + HttpLocations.masked(location)
                + "' (" + problem + "); e.g. " + scheme() + "://www.example.com/docs/"
                + HttpLocations.otherConnector(location));
    }
}
