package dev.caravan.testkit.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A small real web server for the tests (JDK's com.sun.net.httpserver on 127.0.0.1, a free port) that serves the
 * files of a directory the way static web servers do: GET and HEAD, Content-Length, Last-Modified, a strong ETag,
 * Content-Type by extension, single byte ranges (206, 416 with {@code bytes * /size}), conditional requests (304
 * for If-None-Match / If-Modified-Since, If-Range), index.html for URLs ending in '/', 404 for directories, and a
 * generated {@code sitemap.xml} in every directory listing the files below it. Paths under {@code /private/}
 * need {@code Authorization: Bearer letmein}; files whose name starts with {@code norange} ignore Range headers.
 * It counts requests by method and status.
 */
public final class StaticWebServer implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Serves the files under {@code root} on a free loopback port. */
    public StaticWebServer(Path root) throws IOException {
        this.root = root;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:port/} + path. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + "/" + path;
    }

    /** Requests answered with {@code status} (e.g. "304") or made with a method (e.g. "HEAD"), so far. */
    public int count(String what) {
        return counts.getOrDefault(what, new AtomicInteger()).get();
    }

    /** Requests of any kind so far. */
    public int requests() {
        return count("GET") + count("HEAD");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            counts.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            String rawPath = exchange.getRequestURI().getRawPath();
            if (rawPath.startsWith("/private/") && !"Bearer letmein".equals(
                    exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, null);
                return;
            }
            Path file = resolve(rawPath);
            if (file == null) {
                send(exchange, 400, null);
                return;
            }
            if (file.getFileName() != null && file.getFileName().toString().equals("sitemap.xml")
                    && !Files.exists(file)) {
                sitemap(exchange, file.getParent());
                return;
            }
            if (rawPath.endsWith("/")) {
                file = file.resolve("index.html");
            }
            if (!Files.isRegularFile(file)) {
                send(exchange, 404, null);
                return;
            }
            serve(exchange, file, method.equals("HEAD"));
        }
    }

    private Path resolve(String rawPath) {
        Path file = root;
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            String segment = decode(raw);
            if (segment == null || segment.equals("..") || segment.equals(".") || segment.contains("/")) {
                return null;
            }
            file = file.resolve(segment);
        }
        return file;
    }

    private void serve(HttpExchange exchange, Path file, boolean head) throws IOException {
        long size = Files.size(file);
        Instant modified = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS);
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(Files.getLastModifiedTime(file)
                .toMillis()) + "\"";
        Headers request = exchange.getRequestHeaders();
        Headers response = exchange.getResponseHeaders();
        response.set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC)));
        response.set("ETag", etag);
        response.set("Content-Type", contentType(file.getFileName().toString()));
        response.set("Accept-Ranges", "bytes");
        String ifNoneMatch = request.getFirst("If-None-Match");
        String ifModifiedSince = request.getFirst("If-Modified-Since");
        if ((ifNoneMatch != null && ifNoneMatch.equals(etag)) || (ifNoneMatch == null && ifModifiedSince != null
                && !modified.isAfter(ZonedDateTime.parse(ifModifiedSince, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()))) {
            send(exchange, 304, null);
            return;
        }
        String range = request.getFirst("Range");
        String ifRange = request.getFirst("If-Range");
        boolean rangeValid = ifRange == null || ifRange.equals(etag) || ifRange.equals(response.getFirst(
                "Last-Modified"));
        long from = 0;
        long to = size - 1;
        int status = 200;
        if (range != null && rangeValid && range.startsWith("bytes=") && !file.getFileName().toString()
                .startsWith("norange")) {
            String spec = range.substring(6);
            int dash = spec.indexOf('-');
            if (dash == 0) {
                from = Math.max(0, size - Long.parseLong(spec.substring(1)));
            } else {
                from = Long.parseLong(spec.substring(0, dash));
                if (dash < spec.length() - 1) {
                    to = Math.min(size - 1, Long.parseLong(spec.substring(dash + 1)));
                }
            }
            if (from >= size) {
                response.set("Content-Range", "bytes */" + size);
                send(exchange, 416, null);
                return;
            }
            response.set("Content-Range", "bytes " + from + "-" + to + "/" + size);
            status = 206;
        }
        long length = to - from + 1;
        tally(String.valueOf(status));
        if (head) {
            response.set("Content-Length", String.valueOf(length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(from);
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private void sitemap(HttpExchange exchange, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            send(exchange, 404, null);
            return;
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            StringBuilder path = new StringBuilder();
            for (Path part : root.relativize(f)) {
                path.append('/').append(encode(part.toString()));
            }
            xml.append("  <url><loc>").append(escape("http://127.0.0.1:" + port() + path)).append("</loc></url>\n");
        }
        xml.append("</urlset>\n");
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        send(exchange, 200, xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A percent-encoded path segment decoded (UTF-8), or {@code null} when it is malformed. */
    private static String decode(String raw) {
        try {
            return URI.create("/" + raw).getPath().substring(1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A file name as a percent-encoded path segment (everything a path cannot hold, and non-ASCII, encoded). */
    private static String encode(String segment) {
        try {
            return new URI(null, null, "/" + segment, null).toASCIIString().substring(1);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(segment, e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        tally(String.valueOf(status));
        if (body == null || exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private void tally(String what) {
        counts.computeIfAbsent(what, m -> new AtomicInteger()).incrementAndGet();
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        return name.endsWith(".png") ? "image/png" : "application/octet-stream";
    }
}
