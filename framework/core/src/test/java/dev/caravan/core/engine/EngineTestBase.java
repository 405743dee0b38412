package dev.caravan.core.engine;

import dev.caravan.core.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine on a journal in a temporary home, and the empty in-memory stores {@code mem:src} and {@code mem:dst}
 * ({@link #src}, {@link #dst}), made before each test and closed after it.
 */
abstract class EngineTestBase {
    /** A modification time for the objects a test adds. */
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    MigrationEngine engine;
    MemoryStore src;
    MemoryStore dst;

    @BeforeEach
    void openEngine() {
        MemoryStore.reset();
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
        src = MemoryStore.named("src");
        dst = MemoryStore.named("dst");
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
