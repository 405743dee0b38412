package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that can copy server-side only from some sources is asked first, from the source's listing and then with
 * the source's facts; an UNSUPPORTED answer holds for the pair, so later objects of the run stream at once instead of
 * each costing a refused attempt.
 */
class ServerSideRefusalTest {
    @TempDir
    Path home;

    @Test
    void anUnsupportedPairIsAskedOnceAndEveryObjectIsStreamed() {
        MemoryStore.reset();
        MemoryStore source = MemoryStore.named("ssr-src");
        for (int i = 0; i < 20; i++) {
            source.add("f" + i, ("object " + i).getBytes(StandardCharsets.UTF_8), Instant.parse("2026-01-01T00:00:00Z"));
        }
        RefusingTarget target = new RefusingTarget(MemoryStore.named("ssr-dst"));
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MemoryStoreProvider.of("ssrdst", target)))) {
            RunResult run = engine.run(MigrationSpec.builder("mem:ssr-src", "ssrdst:t").transfers(1).build(),
                    ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(run.copied()).isEqualTo(20);
        }
        assertThat(target.refusals.get()).as("server-side copies refused").isEqualTo(1);
        assertThat(target.listedAsks.get()).as("asked from the listing before the refusal only").isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            assertThat(new String(target.delegate().bytes("f" + i), StandardCharsets.UTF_8)).isEqualTo("object " + i);
        }
    }

    /** A memory target whose server-side copy refuses every source. */
    static final class RefusingTarget extends ForwardingStore implements ServerSideCopy {
        final AtomicInteger refusals = new AtomicInteger();
        final AtomicInteger listedAsks = new AtomicInteger();

        RefusingTarget(MemoryStore delegate) {
            super(delegate);
        }

        @Override
        public ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey) {
            refusals.incrementAndGet();
            throw MigrationException.unsupported("no server-side copy from " + from.uri());
        }

        @Override
        public Optional<Copied> copyListed(ObjectStore from, String sourceKey, String targetKey) {
            listedAsks.incrementAndGet();
            return Optional.empty();
        }
    }
}
