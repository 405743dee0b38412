package dev.caravan.connector.http;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testkit.http.StaticWebServer;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP-specific behaviour against a real local web server: conditional requests (304s on re-stat, If-Range on a
 * resumed read of a changed object), servers that ignore ranges, URL lists and query strings, authorization,
 * read-only refusals and connection errors.
 */
class HttpBehaviourIT {

    @TempDir
    static Path served;

    private static StaticWebServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new StaticWebServer(served);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ObjectStore open(String path, String... options) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < options.length; i += 2) {
            values.put(options[i], options[i + 1]);
        }
        HttpStoreProvider provider = new HttpStoreProvider();
        return provider.open("//127.0.0.1:" + server.port() + "/" + path, provider.options().resolve(values));
    }

    private static Path file(String path, byte[] data) throws IOException {
        Path file = served.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-06T07:08:09Z")));
        return file;
    }

    @Test
    void restatsAreConditionalAndAChangedObjectIsNotSpliced() throws IOException {
        byte[] v1 = randomBytes(100_000, 1);
        Path file = file("cond/data.bin", v1);
        try (ObjectStore store = open("cond/", "urls", "data.bin")) {
            ObjectInfo first = store.stat("data.bin").orElseThrow();
            assertThat(first.modTime()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
            assertThat(first.etag()).isNotNull();
            int notModified = server.count("304");
            assertThat(ContractSupport.keys(store, "")).containsExactly("data.bin");
            assertThat(store.stat("data.bin")).contains(first);
            assertThat(server.count("304") - notModified).as("304 answers to the listing and the re-stat").isEqualTo(2);

            assertSameBytes(ContractSupport.read(store, "data.bin", ByteRange.from(60_000)),
                    Arrays.copyOfRange(v1, 60_000, v1.length), "resumed read of an unchanged object");

            byte[] v2 = randomBytes(100_000, 2);
            Files.write(file, v2);
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
            MigrationException e = assertFailsWith(ErrorKind.TRANSIENT, "resumed read of a changed object",
                    () -> ContractSupport.read(store, "data.bin", ByteRange.from(60_000)));
            assertThat(e.getMessage()).contains("changed");
            ObjectInfo second = store.stat("data.bin").orElseThrow();
            assertThat(second.modTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
            assertThat(second.etag()).isNotEqualTo(first.etag());
            assertSameBytes(ContractSupport.read(store, "data.bin", ByteRange.from(60_000)),
                    Arrays.copyOfRange(v2, 60_000, v2.length), "resumed read after a new stat");
        }
    }

    @Test
    void serversThatIgnoreRangesAreSkippedLocally() throws IOException {
        byte[] data = randomBytes(70_000, 3);
        file("ranges/norange.bin", data);
        try (ObjectStore store = open("ranges/", "urls", "norange.bin")) {
            assertSameBytes(ContractSupport.read(store, "norange.bin", new ByteRange(1234, 5000)),
                    Arrays.copyOfRange(data, 1234, 6234), "range of a server without ranges");
            assertSameBytes(ContractSupport.read(store, "norange.bin", ByteRange.from(69_000)),
                    Arrays.copyOfRange(data, 69_000, data.length), "tail of a server without ranges");
        }
    }

    @Test
    void urlListsFilesAndQueryStrings() throws IOException {
        file("list/a.txt", new byte[] {1});
        file("list/b/c.txt", new byte[] {2, 3});
        file("list/page", new byte[] {4, 5, 6});
        Path urls = served.resolve("urls.txt");
        Files.writeString(urls, "# two files, a missing one, one elsewhere, one with a query\n"
                + server.url("list/b/c.txt") + "\n a.txt \nmissing.txt\nhttp://other.example.com/list/x\n"
                + "page?id=7&x=%20y\n");
        try (ObjectStore store = open("list/", "urlsFile", urls.toString())) {
            assertThat(ContractSupport.keys(store, "")).containsExactly("a.txt", "b/c.txt");
        }
        try (ObjectStore store = open("list/", "urlsFile", urls.toString(), "queries", "keep")) {
            assertThat(ContractSupport.keys(store, "")).containsExactly("a.txt", "b/c.txt", "page?id=7&x=%20y");
            assertSameBytes(ContractSupport.read(store, "page?id=7&x=%20y", ByteRange.ALL), new byte[] {4, 5, 6},
                    "page with a query");
        }
        try (ObjectStore store = open("list/", "urls", "a.txt,b/c.txt")) {
            assertThat(ContractSupport.keys(store, "b")).containsExactly("b/c.txt");
        }
    }

    @Test
    void authorizationIsSentAndRefusalsAreConfigurationErrors() throws IOException {
        file("private/secret.txt", new byte[] {9, 9});
        try (ObjectStore store = open("private/", "urls", "secret.txt")) {
            assertFailsWith(ErrorKind.USER_CONFIG, "stat without credentials", () -> store.stat("secret.txt"));
        }
        try (ObjectStore store = open("private/", "urls", "secret.txt", "authorization", "Bearer letmein")) {
            assertSameBytes(ContractSupport.read(store, "secret.txt", ByteRange.ALL), new byte[] {9, 9}, "secret");
            assertThat(store.toString()).doesNotContain("letmein");
        }
    }

    @Test
    void writesAreUnsupported() {
        try (ObjectStore store = open("ro/", "urls", "x")) {
            assertFailsWith(ErrorKind.UNSUPPORTED, "put", () -> store.put("x", new ByteArrayInputStream(
                    new byte[1]), PutRequest.ofSize(1)));
            assertFailsWith(ErrorKind.UNSUPPORTED, "delete", () -> store.delete("x"));
            assertFailsWith(ErrorKind.UNSUPPORTED, "probe", () -> store.probeWrite(".probe"));
        }
    }

    @Test
    void configurationMistakesAreReportedClearly() throws IOException {
        HttpStoreProvider provider = new HttpStoreProvider();
        MigrationException none = assertFailsWith(ErrorKind.USER_CONFIG, "no source", () -> provider.open(
                "//127.0.0.1:1/", provider.options().resolve(Map.of())));
        assertThat(none.getMessage()).contains("sitemap").contains("crawlDepth");
        assertFailsWith(ErrorKind.USER_CONFIG, "two sources", () -> provider.open("//127.0.0.1:1/",
                provider.options().resolve(Map.of("sitemap", "s.xml", "crawlDepth", "1"))));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (ObjectStore store = provider.open("//127.0.0.1:" + port + "/",
                provider.options().resolve(Map.of("sitemap", "sitemap.xml")))) {
            MigrationException e = assertFailsWith(ErrorKind.USER_CONFIG, "unreachable server",
                    () -> store.list("").close());
            assertThat(e.getMessage()).contains("127.0.0.1:" + port);
        }
        try (ObjectStore store = open("nowhere/", "sitemap", "sitemap.xml")) {
            assertFailsWith(ErrorKind.NOT_FOUND, "missing sitemap", () -> store.list("").close());
        }
        try (InputStream ignored = InputStream.nullInputStream()) {
            assertThat(new HttpsStoreProvider().scheme()).isEqualTo("https");
        }
    }
}
