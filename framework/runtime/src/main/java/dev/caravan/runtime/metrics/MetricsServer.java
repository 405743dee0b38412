package dev.caravan.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.api.error.MigrationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A tiny HTTP endpoint (the JDK's {@code com.sun.net.httpserver}) for {@code caravan serve}: {@code GET /metrics}
 * in Prometheus text format and {@code GET /health} ({@code 200 UP} while the service runs, {@code 503} while it
 * starts or stops, with a one-line JSON body). Binds 127.0.0.1 unless told otherwise.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param host    address to bind, e.g. 127.0.0.1 (0.0.0.0 inside a container)
     * @param port    port, 0 for any free one
     * @param metrics what {@code /metrics} shows
     * @param health  {@code null} when healthy, else why not
     */
    public static MetricsServer start(String host, int port, CaravanMetrics metrics, Supplier<String> health) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.scrape()));
            server.createContext("/health", ex -> {
                String problem = health.get();
                respond(ex, problem == null ? 200 : 503, "application/json",
                        problem == null ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"reason\":\""
                                + problem.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
            });
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "caravan-metrics-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return new MetricsServer(server);
        } catch (IOException e) {
            throw MigrationException.userConfig("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
