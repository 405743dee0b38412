package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-size} on objects whose size is not known before they are read (an HTTP response without
 * Content-Length): the plan cannot leave them out, so the copy stops reading one once it passes the limit, and the
 * object fails with USER_DATA, named, instead of being copied whole (an endless response filled the disk).
 */
class MaxSizeOfUnlistedSizesTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    private MemoryStore target;
    private SizeHidingSource source;

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        target = MemoryStore.named("ms-dst");
        source = new SizeHidingSource(MemoryStore.named("ms-src"));
    }

    @Test
    void anObjectListedWithoutASizeIsStoppedOnceItPassesTheLimitAndFailsNamed() {
        byte[] small = bytes(3_000, 1);
        byte[] big = bytes(5_000_000, 2);
        source.delegate().add("small.bin", small, T);
        source.delegate().add("big.bin", big, T);

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(10_000), ProgressListener.NONE);

            assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(run.copied()).isEqualTo(1);
            assertThat(run.errors()).singleElement().satisfies(e -> assertThat(e).contains("big.bin: more than"
                    + " 10000 B, larger than --max-size 10000 B (its size was not known when the run was planned):"
                    + " not copied"));
        }
        assertThat(target.bytes("small.bin")).isEqualTo(small);
        assertThat(target.objects().keySet()).as("nothing of big.bin, no temporary object")
                .containsExactly("small.bin");
        assertThat(source.read.get()).as("big.bin read only a little past the limit, once (not retried)")
                .isLessThan(small.length + 10_000 + 256 * 1024);
    }

    @Test
    void withoutALimitSuchAnObjectIsCopiedWhole() {
        byte[] big = bytes(500_000, 3);
        source.delegate().add("big.bin", big, T);

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(-1), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
        }
        assertThat(target.bytes("big.bin")).isEqualTo(big);
    }

    private MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MemoryStoreProvider.of("mssrc", source)));
    }

    private static MigrationSpec spec(long maxSize) {
        return MigrationSpec.builder("mssrc:s", "mem:ms-dst").retries(3).retryBaseDelay(Duration.ofMillis(1))
                .filters(new Filters(List.of(), List.of(), -1, maxSize, null, null)).build();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A memory source that lists and states every object without its size, and counts the bytes read from it. */
    static final class SizeHidingSource extends ForwardingStore {
        final AtomicLong read = new AtomicLong();

        SizeHidingSource(MemoryStore delegate) {
            super(delegate);
        }

        private static ObjectInfo unsized(ObjectInfo o) {
            return new ObjectInfo(o.key(), -1, o.modTime(), java.util.Map.of(), null, o.contentType(), o.metadata(),
                    o.posixMode());
        }

        @Override
        public Stream<ObjectInfo> list(String prefix) {
            return super.list(prefix).map(SizeHidingSource::unsized);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            return super.stat(key).map(SizeHidingSource::unsized);
        }

        @Override
        public InputStream open(String key, ByteRange range) {
            return new FilterInputStream(super.open(key, range)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        read.addAndGet(n);
                    }
                    return n;
                }
            };
        }
    }
}
