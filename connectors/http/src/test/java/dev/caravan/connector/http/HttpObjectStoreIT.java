package dev.caravan.connector.http;

import dev.caravan.testkit.http.StaticWebServer;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreReadContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the read-only {@link ObjectStoreReadContract} against a real web server on loopback
 * ({@link StaticWebServer}): each test gets a fresh directory served under {@code /tN/}, objects are seeded as
 * files there, and the store lists them through the generated {@code sitemap.xml}.
 */
class HttpObjectStoreIT extends ObjectStoreReadContract {
    private static final AtomicInteger DIRS = new AtomicInteger();

    @TempDir
    static Path served;

    private static StaticWebServer server;
    private Path dir;

    @BeforeAll
    static void startServer() throws IOException {
        server = new StaticWebServer(served);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected boolean readOnly() {
        return true;
    }

    @Override
    protected ObjectStore newStore() {
        String name = "t" + DIRS.incrementAndGet();
        dir = served.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpStoreProvider provider = new HttpStoreProvider();
        return provider.open("//127.0.0.1:" + server.port() + "/" + name + "/",
                provider.options().resolve(Map.of("sitemap", "sitemap.xml")));
    }

    @Override
    protected void seed(String key, byte[] data) {
        try {
            Path file = dir.resolve(key);
            Files.createDirectories(file.getParent());
            Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
