package dev.caravan.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testkit.http.StaticWebServer;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crawls a small site on a real local web server: the depth bound is respected, links to another host (a second
 * server, reached as {@code localhost} on another port) are never requested, links above the base path,
 * fragments and non-http links are ignored, and every listed object reads back as its file.
 */
class HttpCrawlIT {

    @TempDir
    static Path served;

    @TempDir
    static Path elsewhere;

    private static StaticWebServer server;
    private static StaticWebServer otherHost;

    @BeforeAll
    static void startServers() throws IOException {
        server = new StaticWebServer(served);
        otherHost = new StaticWebServer(elsewhere);
        Files.writeString(elsewhere.resolve("x.html"), "<a href='y.html'>y</a>");
        String other = "http://localhost:" + otherHost.port() + "/x.html";
        page("outside.html", "<a href='site/secret.html'>above the base</a>");
        page("site/index.html", "<a href='a.html'>a</a> <a href='sub/b.html#part'>b</a> <img src='img/logo.png'>"
                + " <a href='" + other + "'>other host</a> <a href='../outside.html'>up</a>"
                + " <a href='mailto:me@example.com'>mail</a> <a href='#top'>top</a> <a href='a.html'>again</a>"
                + " <a href='dir%20with%20space/p%C3%A9.html'>encoded</a> <a href='missing.html'>broken</a>");
        page("site/a.html", "<link href='style.css' rel='stylesheet'><a href='c.html'>c</a>");
        page("site/sub/b.html", "<a href='../a.html'>back</a> <script src='/site/js/app.js'></script>");
        page("site/c.html", "<a href='d.html'>d</a>");
        page("site/d.html", "deepest");
        page("site/secret.html", "linked only from above the base");
        page("site/dir with space/p\u00e9.html", "<a href='../d.html'>d</a>");
        page("site/style.css", "body {}");
        page("site/js/app.js", "var x;");
        Files.createDirectories(served.resolve("site/img"));
        Files.write(served.resolve("site/img/logo.png"), ContractSupport.randomBytes(5000, 9));
    }

    private static void page(String path, String html) throws IOException {
        Path file = served.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, html);
    }

    @AfterAll
    static void stopServers() {
        server.close();
        otherHost.close();
    }

    private static ObjectStore crawl(int depth) {
        HttpStoreProvider provider = new HttpStoreProvider();
        return provider.open("//127.0.0.1:" + server.port() + "/site",
                provider.options().resolve(Map.of("crawlDepth", String.valueOf(depth))));
    }

    @Test
    void crawlRespectsTheDepthAndStaysOnTheHost() throws IOException {
        try (ObjectStore store = crawl(0)) {
            assertThat(ContractSupport.keys(store, "")).containsExactly("index.html");
        }
        try (ObjectStore store = crawl(1)) {
            assertThat(ContractSupport.keys(store, "")).containsExactly("a.html", "dir with space/p\u00e9.html",
                    "img/logo.png", "index.html", "sub/b.html");
        }
        try (ObjectStore store = crawl(2)) {
            assertThat(ContractSupport.keys(store, "")).containsExactly("a.html", "c.html", "d.html",
                    "dir with space/p\u00e9.html", "img/logo.png", "index.html", "js/app.js", "style.css",
                    "sub/b.html");
            try (Stream<ObjectInfo> listing = store.list("")) {
                for (ObjectInfo info : listing.toList()) {
                    byte[] expected = Files.readAllBytes(served.resolve("site").resolve(info.key()));
                    assertThat(info.size()).as("size of %s", info.key()).isEqualTo(expected.length);
                    assertThat(info.etag()).as("etag of %s", info.key()).isNotNull();
                    assertThat(info.modTime()).as("time of %s", info.key()).isNotNull();
                    ContractSupport.assertSameBytes(ContractSupport.read(store, info.key(), ByteRange.ALL), expected,
                            info.key());
                }
            }
            assertThat(ContractSupport.keys(store, "sub/")).containsExactly("sub/b.html");
        }
        assertThat(otherHost.requests()).as("requests to the other host").isZero();
        assertThat(ContractSupport.keys(crawl(5), "")).doesNotContain("secret.html", "missing.html")
                .contains("d.html");
    }

    @Test
    void crawlOfAMissingBasePageIsNotFound() {
        HttpStoreProvider provider = new HttpStoreProvider();
        try (ObjectStore store = provider.open("//127.0.0.1:" + server.port() + "/nothing/",
                provider.options().resolve(Map.of("crawlDepth", "2")))) {
            ContractSupport.assertFailsWith(ErrorKind.NOT_FOUND, "crawl of a missing site",
                    () -> store.list("").close());
        }
    }

    @Test
    void indexKeysFallBackToTheDirectoryUrl() throws IOException {
        try (ObjectStore store = crawl(1)) {
            byte[] expected = Files.readAllBytes(served.resolve("site/index.html"));
            ContractSupport.assertSameBytes(ContractSupport.read(store, "index.html", ByteRange.ALL), expected,
                    "index.html");
            assertThat(new String(expected, StandardCharsets.UTF_8)).contains("a.html");
            assertThat(List.of(store.stat("index.html").orElseThrow().size())).containsExactly((long) expected.length);
        }
    }
}
