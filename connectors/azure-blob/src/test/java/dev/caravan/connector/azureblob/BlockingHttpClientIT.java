package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobProperties;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The connector's HTTP transport ({@link BlockingHttpClient}): on the wire against a JDK HTTP server on loopback
 * (headers passed as given and none added, bodies of known and zero length, error bodies, HEAD, streamed response
 * bodies), and against Azurite a blob written through it has the properties a blob written through the SDK's JDK
 * client has.
 */
class BlockingHttpClientIT {

    @Test
    void sendsTheRequestAsGivenAndReadsTheAnswer() throws IOException {
        Map<String, Map<String, List<String>>> seen = new ConcurrentHashMap<>();
        Map<String, byte[]> bodies = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String what = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            seen.put(what, Map.copyOf(exchange.getRequestHeaders()));
            bodies.put(what, exchange.getRequestBody().readAllBytes());
            byte[] answer = exchange.getRequestURI().getPath().endsWith("/missing")
                    ? "<Error><Code>BlobNotFound</Code></Error>".getBytes(StandardCharsets.UTF_8)
                    : "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
            exchange.getResponseHeaders().add("x-ms-meta-a", "1");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/c/";
        BlockingHttpClient http = new BlockingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5));
        try {
            byte[] data = "hello blob".getBytes(StandardCharsets.UTF_8);
            HttpHeaders headers = new HttpHeaders().set(HttpHeaderName.fromString("x-ms-blob-type"), "BlockBlob")
                    .set(HttpHeaderName.CONTENT_LENGTH, Integer.toString(data.length));
            try (HttpResponse put = http.sendSync(new HttpRequest(HttpMethod.PUT, base + "blob").setHeaders(headers)
                    .setBody(BinaryData.fromBytes(data)), Context.NONE)) {
                assertThat(put.getStatusCode()).isEqualTo(200);
                assertThat(put.getHeaders().getValue(HttpHeaderName.fromString("x-ms-meta-a"))).isEqualTo("1");
                assertThat(put.getBodyAsByteArray().block()).hasSize(200_000);
            }
            assertThat(bodies.get("PUT /c/blob")).isEqualTo(data);
            Map<String, List<String>> sent = seen.get("PUT /c/blob");
            assertThat(sent.get("X-ms-blob-type")).containsExactly("BlockBlob");
            assertThat(sent.get("Content-length")).containsExactly(Integer.toString(data.length));
            assertThat(sent).as("no header the SDK did not set").doesNotContainKeys("Cache-control", "Pragma");

            try (HttpResponse empty = http.sendSync(new HttpRequest(HttpMethod.PUT, base + "container?restype=c"),
                    Context.NONE)) {
                assertThat(empty.getStatusCode()).isEqualTo(200);
            }
            assertThat(seen.get("PUT /c/container?restype=c").get("Content-length")).containsExactly("0");

            try (HttpResponse get = http.sendSync(new HttpRequest(HttpMethod.GET, base + "blob"), Context.NONE)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                get.writeBodyTo(Channels.newChannel(out));
                assertThat(out.size()).as("streamed body").isEqualTo(200_000);
            }
            try (HttpResponse head = http.sendSync(new HttpRequest(HttpMethod.HEAD, base + "blob"), Context.NONE)) {
                assertThat(head.getStatusCode()).isEqualTo(200);
                assertThat(head.getBodyAsByteArray().block()).isEmpty();
            }
            try (HttpResponse missing = http.sendSync(new HttpRequest(HttpMethod.GET, base + "missing"),
                    Context.NONE)) {
                assertThat(missing.getStatusCode()).isEqualTo(404);
                assertThat(missing.getBodyAsString().block()).contains("BlobNotFound");
            }
        } finally {
            server.stop(0);
        }
        assertThatThrownBy(() -> http.sendSync(new HttpRequest(HttpMethod.GET, base + "blob"), Context.NONE))
                .as("server gone").isInstanceOf(UncheckedIOException.class).hasMessageContaining("GET /c/blob");
    }

    @Test
    void aBlobWrittenThroughItHasThePropertiesOfOneWrittenThroughTheSdksClient() {
        BlobContainerClient container = Azurite.newContainer("transport");
        try (AzureBlobObjectStore store = Azurite.open(container.getBlobContainerName(),
                Azurite.options())) {
            byte[] bytes = "some bytes for the transport".getBytes(StandardCharsets.UTF_8);
            PutRequest request = new PutRequest(bytes.length, Instant.parse("2026-01-02T03:04:05Z"), "image/png",
                    Map.of("owner", "ana"), -1, new ContentHeaders("max-age=60", "inline", "gzip", "de-CH"), Map.of());
            store.put("ours", new ByteArrayInputStream(bytes), request);
            store.put("plain", new ByteArrayInputStream(bytes), PutRequest.ofSize(bytes.length));
            // the reference: the same bytes and attributes written with the test's SDK client (JDK transport)
            BlobProperties ours = container.getBlobClient("ours").getProperties();
            assertThat(ours.getContentType()).isEqualTo("image/png");
            assertThat(ours.getCacheControl()).isEqualTo("max-age=60");
            assertThat(ours.getContentDisposition()).isEqualTo("inline");
            assertThat(ours.getContentEncoding()).isEqualTo("gzip");
            assertThat(ours.getContentLanguage()).isEqualTo("de-CH");
            assertThat(ours.getMetadata()).containsEntry("owner", "ana");
            assertThat(ours.getContentMd5()).isNotNull();
            assertThat(container.getBlobClient("plain").getProperties().getCacheControl())
                    .as("no header the request did not ask for").isNull();
            assertThat(container.getBlobClient("ours").downloadContent().toBytes()).isEqualTo(bytes);
            assertThat(store.stat("ours").orElseThrow().metadata()).containsEntry("owner", "ana");
        } finally {
            Azurite.deleteQuietly(container);
        }
    }
}
