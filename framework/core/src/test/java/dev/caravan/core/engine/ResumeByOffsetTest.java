package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ResumableWrite;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.TempNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large object into a {@link ResumableWrite} target (the sftp store): a copy cut off mid-object continues from
 * what its temporary object holds instead of sending everything again, and a kept prefix that turns out wrong is
 * caught by the verification of the whole object and written again.
 */
class ResumeByOffsetTest {
    private static final int SIZE = 24 << 20;

    @TempDir
    Path home;

    @Test
    void aCopyCutOffMidObjectContinuesFromItsTemporaryObject() {
        byte[] data = source("resume-src");
        ResumableTarget target = new ResumableTarget(MemoryStore.named("resume-dst"));
        target.failAfter = 15L << 20; // the connection drops after 15 MiB of the first attempt
        try (MigrationEngine engine = engine(target)) {
            RunResult first = engine.run(spec("resume-src"), ProgressListener.NONE);
            assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(target.delegate().objects().keySet()).as("the partial copy is kept").hasSize(1);
            long sentBefore = target.received.get();

            target.failAfter = -1;
            RunResult second = engine.run(spec("resume-src"), ProgressListener.NONE);

            assertThat(second.outcome()).as(second.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.delegate().bytes("disk.img")).isEqualTo(data);
            assertThat(target.delegate().objects()).hasSize(1);
            long sentAfter = target.received.get() - sentBefore;
            // resumed 4 MiB before the 15 MiB the store held: 13 MiB sent, not 24
            assertThat(sentAfter).isEqualTo(SIZE - (11L << 20));
            assertThat(target.resumedAt).isEqualTo(11L << 20);
            try (Stream<TaskRecord> done = engine.journal().completedBy(second.runId())) {
                TaskRecord t = done.filter(r -> r.spec().item().equals("disk.img")).findFirst().orElseThrow();
                assertThat(Long.parseLong(t.report().values().get("copy.bytesSent"))).isEqualTo(sentAfter);
            }
        }
    }

    @Test
    void aWrongKeptPrefixFailsVerificationAndIsWrittenAgainInFull() {
        byte[] data = source("bad-src");
        ResumableTarget target = new ResumableTarget(MemoryStore.named("bad-dst"));
        target.failAfter = 15L << 20;
        try (MigrationEngine engine = engine(target)) {
            assertThat(engine.run(spec("bad-src"), ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(target.fullPuts).as("the retry of the first run resumed").isEqualTo(1);
            String partial = target.delegate().objects().keySet().iterator().next();
            byte[] kept = target.delegate().bytes(partial);
            kept[1000] ^= 1; // damaged while the run was down

            target.failAfter = -1;
            RunResult second = engine.run(spec("bad-src"), ProgressListener.NONE);

            assertThat(second.outcome()).as(second.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.delegate().bytes("disk.img")).isEqualTo(data);
            assertThat(target.fullPuts).as("the resumed attempt failed verification; the retry wrote it all")
                    .isEqualTo(2);
        }
    }

    private static byte[] source(String name) {
        byte[] data = new byte[SIZE];
        new Random(11).nextBytes(data);
        MemoryStore.named(name).add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        return data;
    }

    private MigrationEngine engine(ResumableTarget target) {
        ConnectorRegistry registry = ConnectorRegistry.of(new MemoryStoreProvider(), provider(target));
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), registry);
    }

    private static MigrationSpec spec(String source) {
        return MigrationSpec.builder("mem:" + source, "resumable:t").retries(1).retryBaseDelay(Duration.ofMillis(1))
                .build();
    }

    private static StoreProvider provider(ResumableTarget store) {
        return new StoreProvider() {
            @Override
            public String scheme() {
                return "resumable";
            }

            @Override
            public String description() {
                return "memory store with resumable writes";
            }

            @Override
            public Options options() {
                return Options.of("resumable");
            }

            @Override
            public ObjectStore open(String location, Config config) {
                return store;
            }
        };
    }

    /** A memory store whose writes can be cut off after some bytes (keeping them) and continued by offset. */
    static final class ResumableTarget extends ForwardingStore implements ResumableWrite {
        volatile long failAfter = -1;
        final AtomicLong received = new AtomicLong();
        volatile long resumedAt = -1;
        volatile int fullPuts;

        ResumableTarget(MemoryStore delegate) {
            super(delegate);
        }

        @Override
        public ObjectInfo put(String key, InputStream data, PutRequest request) {
            if (TempNames.isPartial(key)) { // not the engine's write probe
                fullPuts++;
            }
            return write(key, new byte[0], data, request);
        }

        @Override
        public ObjectInfo writeFrom(String key, long offset, InputStream data, PutRequest request) {
            byte[] existing = delegate().bytes(key);
            if (existing == null || existing.length < offset) {
                throw new MigrationException(ErrorKind.USER_DATA, "offset " + offset + " beyond " + key);
            }
            resumedAt = offset;
            return write(key, Arrays.copyOf(existing, (int) offset), data, request);
        }

        private ObjectInfo write(String key, byte[] prefix, InputStream data, PutRequest request) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(prefix);
            byte[] buf = new byte[64 * 1024];
            try {
                int n;
                while ((n = data.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    received.addAndGet(n);
                    if (failAfter >= 0 && out.size() >= failAfter) {
                        delegate().add(key, out.toByteArray(), Instant.now());
                        throw MigrationException.transientError("connection reset (injected)", null);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            delegate().add(key, out.toByteArray(), request.modTime());
            return delegate().stat(key).orElseThrow();
        }
    }
}
