package dev.caravan.connector.http;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.GZIPInputStream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the keys of a listing, from one of three sources: the {@code urls} option and {@code urlsFile} (each line
 * a URL, absolute or relative to the base; {@code #} starts a comment), a sitemap ({@code urlset} of
 * {@code loc}s; a {@code sitemapindex} is followed up to 3 levels and 1,000 sitemaps; gzip-compressed sitemaps
 * are read too), or a crawl ({@link HttpCrawler}). URLs outside the base, or that make no safe key, are left out
 * (logged at debug). XML is parsed with StAX with DTDs and external entities off. Thread-safe.
 */
final class HttpDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDiscovery.class);
    private static final int MAX_SITEMAPS = 1000;
    private static final int MAX_SITEMAP_DEPTH = 3;
    private static final int MAX_SITEMAP_BYTES = 64 << 20;
    /** Bytes of a body that is not a sitemap shown in the error. */
    private static final int SHOWN_BYTES = 60;

    private final HttpSettings settings;
    private final HttpKeys keys;
    private final HttpRequests http;

    HttpDiscovery(HttpSettings settings, HttpKeys keys, HttpRequests http) {
        this.settings = settings;
        this.keys = keys;
        this.http = http;
    }

    /** The keys starting with {@code prefix}, in a sorter the caller closes. */
    KeySorter discover(String prefix) {
        KeySorter sorter = new KeySorter(settings.keysInMemory(), settings.maxObjects());
        try {
            for (String url : settings.urls()) {
                offer(sorter, url, prefix);
            }
            if (settings.urlsFile() != null) {
                readUrlsFile(sorter, prefix);
            }
            if (settings.sitemap() != null) {
                readSitemaps(sorter, prefix);
            }
            if (settings.crawlDepth() >= 0) {
                new HttpCrawler(settings, keys, http).crawl(key -> {
                    if (key.startsWith(prefix)) {
                        sorter.add(key);
                    }
                });
            }
            return sorter;
        } catch (RuntimeException e) {
            sorter.close();
            throw e;
        }
    }

    private void offer(KeySorter sorter, String url, String prefix) {
        String key;
        try {
            key = keys.keyOf(keys.base().resolve(url.trim()).normalize());
        } catch (IllegalArgumentException e) {
            LOG.debug("not a URL, left out: {}", url);
            return;
        }
        if (key == null) {
            LOG.debug("outside {} or not mappable to a key, left out: {}", keys.base(), url);
        } else if (key.startsWith(prefix)) {
            sorter.add(key);
        }
    }

    private void readUrlsFile(KeySorter sorter, String prefix) {
        try (var lines = Files.lines(settings.urlsFile(), StandardCharsets.UTF_8)) {
            lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(l -> offer(sorter, l, prefix));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw MigrationException.userConfig("cannot read the URL list " + settings.urlsFile() + " (option "
                    + "urlsFile): " + e.getMessage());
        }
    }

    private void readSitemaps(KeySorter sorter, String prefix) {
        Deque<URI> pending = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        pending.add(keys.base().resolve(settings.sitemap()));
        depths.add(0);
        int read = 0;
        while (!pending.isEmpty()) {
            URI sitemap = pending.poll();
            int depth = depths.poll();
            if (++read > MAX_SITEMAPS) {
                throw MigrationException.userConfig("more than " + MAX_SITEMAPS + " sitemaps under "
                        + settings.sitemap());
            }
            HttpResponse<byte[]> response = fetch(sitemap, read == 1);
            parse(sitemap, response, depth, pending, depths, sorter, prefix);
        }
    }

    private HttpResponse<byte[]> fetch(URI url, boolean first) {
        HttpResponse<byte[]> response;
        try {
            response = http.getBytes(url);
        } catch (IOException e) {
            throw HttpErrors.io(e, url, http.answeredBefore());
        } catch (InterruptedException e) {
            throw HttpErrors.interrupted(url, e);
        }
        if (response.statusCode() != 200) {
            MigrationException failure = HttpErrors.status(response, url);
            if (first && failure.kind() == ErrorKind.NOT_FOUND) {
                throw MigrationException.notFound("no sitemap at " + url + " (option sitemap)");
            }
            throw failure;
        }
        if (response.body().length > MAX_SITEMAP_BYTES) {
            throw MigrationException.userData("sitemap " + url + " is larger than " + MAX_SITEMAP_BYTES + " bytes");
        }
        return response;
    }

    /**
     * Reads the {@code loc}s of a sitemap into {@code sorter}, or those of a sitemap index into {@code pending}. A
     * document whose root is neither {@code urlset} nor {@code sitemapindex}, or that is not XML at all (a "soft 404"
     * page answering 200), is an error naming what came back: it would list nothing, and the run would end "complete".
     */
    private void parse(URI sitemap, HttpResponse<byte[]> response, int depth, Deque<URI> pending,
            Deque<Integer> depths, KeySorter sorter, String prefix) {
        byte[] body = response.body();
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try (InputStream in = unzipped(body)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            boolean index = false;
            boolean rooted = false;
            String element = null;
            StringBuilder text = new StringBuilder();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    element = xml.getLocalName();
                    if (!rooted) {
                        if (!element.equals("urlset") && !element.equals("sitemapindex")) {
                            throw notASitemap(sitemap, response, "its root element is <" + element + ">");
                        }
                        rooted = true;
                    }
                    index |= element.equals("sitemapindex");
                    text.setLength(0);
                } else if (event == XMLStreamReader.CHARACTERS || event == XMLStreamReader.CDATA) {
                    text.append(xml.getText());
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    if (xml.getLocalName().equals("loc")) {
                        String loc = text.toString().trim();
                        if (index) {
                            if (depth + 1 < MAX_SITEMAP_DEPTH) {
                                pending.add(sitemap.resolve(loc));
                                depths.add(depth + 1);
                            }
                        } else {
                            offer(sorter, loc, prefix);
                        }
                    }
                    element = null;
                }
            }
            xml.close();
        } catch (XMLStreamException | IOException e) {
            String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
            throw notASitemap(sitemap, response, "it is not XML (" + reason + ")");
        }
    }

    /** The error for a sitemap URL that answered with something else: the URL, why, the content type, the start. */
    static MigrationException notASitemap(URI sitemap, HttpResponse<byte[]> response, String why) {
        String type = response.headers().firstValue("Content-Type").orElse("none");
        return MigrationException.userData("sitemap " + sitemap + " is not a sitemap: " + why + "; the server "
                + "answered " + response.statusCode() + " with Content-Type " + type + " and " + start(response.body())
                + " (a page for a missing file? expected XML with <urlset> or <sitemapindex>; check the option "
                + "sitemap)");
    }

    /** The first bytes of a body (unzipped), on one line, for messages. */
    static String start(byte[] body) {
        byte[] head;
        try (InputStream in = unzipped(body)) {
            head = in.readNBytes(SHOWN_BYTES + 1);
        } catch (IOException e) {
            head = java.util.Arrays.copyOf(body, Math.min(body.length, SHOWN_BYTES + 1));
        }
        if (head.length == 0) {
            return "an empty body";
        }
        String text = new String(head, 0, Math.min(head.length, SHOWN_BYTES), StandardCharsets.UTF_8)
                .replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return "a body that starts '" + text + (head.length > SHOWN_BYTES ? "...'" : "'");
    }

    private static InputStream unzipped(byte[] body) throws IOException {
        InputStream in = new ByteArrayInputStream(body);
        return body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b ? new GZIPInputStream(in) : in;
    }
}
