package dev.caravan.connector.azureblob;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeader;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.WaitNotice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK's HTTP transport on the JDK's blocking {@link HttpURLConnection} (keep-alive connections reused by
 * the JDK): a request runs start to end on the calling thread. The SDK's JDK {@code java.net.http} client hands
 * every request and response across its selector and executor threads; for small blobs that cost about twice the
 * CPU of the whole request here (2,000 Put Blob of 32 KiB against Azurite: 3.6 CPU seconds against 1.8, see
 * docs/connectors/azblob.md). The connector calls the SDK's synchronous API only, so nothing is lost by blocking;
 * {@link #send} (the SDK's asynchronous entry) runs the same exchange when subscribed.
 *
 * <p>The request body is streamed with its declared length; the response body is read lazily, once: streamed by
 * {@link Response#writeBodyTo} and {@link Response#getBodyAsInputStreamSync}, buffered by the other accessors.
 * Failures to connect or transfer surface as {@link UncheckedIOException} (the SDK's retry policy and
 * {@link AzureBlobErrors} treat them as transient). Thread-safe.
 */
final class BlockingHttpClient implements HttpClient {
    static {
        // the JDK keeps at most 5 idle connections per server unless told otherwise; with more transfers than that,
        // each request beyond the fifth would open a new connection (set only when the user has not chosen a value)
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "64");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BlockingHttpClient.class);

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    /** Whether the service has answered a request of this client (of the store that built it). */
    private volatile boolean heardFrom;

    BlockingHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = millis(connectTimeout);
        this.readTimeoutMillis = millis(readTimeout);
    }

    /**
     * A request to a service that has not answered this client yet and left it without an answer for the timeouts:
     * thrown so that the SDK's retry policy, which retries a failure with an I/O failure or a timeout anywhere in its
     * causes, does not wait a second time (the timeout is kept as a suppressed exception, outside the causes).
     * {@link AzureBlobErrors} makes it a configuration problem said before anything is written.
     */
    static final class FirstAnswerTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FirstAnswerTimeout(UncheckedIOException timeout) {
            super(timeout.getMessage());
            addSuppressed(timeout);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** The outage watch of the server that answered last, kept to spare a lookup per response. */
    private volatile ServerWatch watch;

    private record ServerWatch(String protocol, String authority, EndpointOutage outage) {
    }

    private EndpointOutage outageOf(java.net.URL url) {
        ServerWatch w = watch;
        if (w == null || !java.util.Objects.equals(w.authority(), url.getAuthority())
                || !w.protocol().equals(url.getProtocol())) {
            w = new ServerWatch(url.getProtocol(), url.getAuthority(), EndpointOutage.ofServer(url));
            watch = w;
        }
        return w.outage();
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return Mono.fromCallable(() -> sendSync(request, Context.NONE));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        if (heardFrom) {
            return exchange(request);
        }
        String method = request.getHttpMethod().name();
        java.net.URL url = request.getUrl();
        long giveUp = (connectTimeoutMillis + (long) readTimeoutMillis) / 1000;
        try (WaitNotice notice = WaitNotice.after(WaitNotice.AFTER, () -> LOG.warn("waiting for the Azure endpoint"
                + " {}://{} to answer ({} {}): no answer for {} s; giving up after {} s (connectTimeout +"
                + " requestTimeout)", url.getProtocol(), url.getAuthority(), method, url.getPath(),
                WaitNotice.AFTER.toSeconds(), giveUp))) {
            HttpResponse response = exchange(request);
            heardFrom = true;
            return response;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.net.SocketTimeoutException && !heardFrom) {
                throw new FirstAnswerTimeout(e);
            }
            throw e;
        }
    }

    private HttpResponse exchange(HttpRequest request) {
        String method = request.getHttpMethod().name();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) request.getUrl().openConnection();
            c.setRequestMethod(method);
            // not setUseCaches(false): the JDK would then add Cache-Control and Pragma no-cache to the request
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(readTimeoutMillis);
            for (HttpHeader h : request.getHeaders()) {
                c.setRequestProperty(h.getName(), h.getValue()); // the JDK sets Content-Length and Host itself
            }
            BinaryData body = request.getBodyAsBinaryData();
            if (body != null || "PUT".equals(method) || "POST".equals(method)) {
                long length = length(request, body);
                c.setDoOutput(true);
                if (length >= 0) {
                    c.setFixedLengthStreamingMode(length);
                } else {
                    c.setChunkedStreamingMode(64 * 1024);
                }
                try (OutputStream out = c.getOutputStream()) {
                    if (body != null) {
                        body.writeTo(out);
                    }
                }
            }
            int status = c.getResponseCode();
            outageOf(request.getUrl()).answered();
            HttpHeaders headers = new HttpHeaders();
            for (Map.Entry<String, List<String>> e : c.getHeaderFields().entrySet()) {
                if (e.getKey() != null) { // the status line
                    headers.set(HttpHeaderName.fromString(e.getKey()), String.join(",", e.getValue()));
                }
            }
            InputStream in = "HEAD".equals(method) ? null : status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Response(request, status, headers, in);
        } catch (IOException e) {
            if (c != null) {
                c.disconnect(); // a half-written request leaves the connection unusable
            }
            throw new UncheckedIOException(method + " " + request.getUrl().getPath() + ": " + e.getMessage(), e);
        }
    }

    /** The body's length: the one it knows, else the Content-Length the SDK set, else -1 (sent chunked). */
    private static long length(HttpRequest request, BinaryData body) {
        if (body == null) {
            return 0;
        }
        Long known = body.getLength();
        if (known != null) {
            return known;
        }
        String declared = request.getHeaders().getValue(HttpHeaderName.CONTENT_LENGTH);
        return declared == null ? -1 : Long.parseLong(declared.trim());
    }

    /** One response; its body is read once (streamed or buffered), then kept when buffered. */
    static final class Response extends HttpResponse {
        private final int status;
        private final HttpHeaders headers;
        private InputStream in;
        private byte[] bytes;

        Response(HttpRequest request, int status, HttpHeaders headers, InputStream in) {
            super(request);
            this.status = status;
            this.headers = headers;
            this.in = in;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        private synchronized byte[] bytes() {
            if (bytes == null) {
                try (InputStream s = in) {
                    bytes = s == null ? new byte[0] : s.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException("reading a response body: " + e.getMessage(), e);
                } finally {
                    in = null;
                }
            }
            return bytes;
        }

        /** The unread body stream, taken over by the caller; null when the body was buffered already. */
        private synchronized InputStream takeStream() {
            if (bytes != null) {
                return null;
            }
            InputStream s = in == null ? InputStream.nullInputStream() : in;
            in = null;
            bytes = new byte[0]; // consumed by the caller
            return s;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Mono.fromCallable(() -> ByteBuffer.wrap(bytes())).flux();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.fromCallable(this::bytes);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return getBodyAsString(StandardCharsets.UTF_8);
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.fromCallable(() -> new String(bytes(), charset));
        }

        @Override
        public BinaryData getBodyAsBinaryData() {
            return BinaryData.fromBytes(bytes());
        }

        @Override
        public InputStream getBodyAsInputStreamSync() {
            InputStream s = takeStream();
            return s != null ? s : new java.io.ByteArrayInputStream(bytes);
        }

        @Override
        public void writeBodyTo(WritableByteChannel channel) throws IOException {
            InputStream s = takeStream();
            if (s == null) {
                channel.write(ByteBuffer.wrap(bytes));
                return;
            }
            try (s) {
                s.transferTo(Channels.newOutputStream(channel));
            }
        }

        @Override
        public synchronized void close() {
            if (in != null) {
                try {
                    in.close(); // the JDK drains a short rest and keeps the connection alive
                } catch (IOException ignored) {
                    // the connection is dropped instead of reused
                }
                in = null;
            }
        }
    }
}
