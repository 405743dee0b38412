package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that computes SHA-256 where its objects live ({@link ComputedDigest}, the sftp store's server-side
 * hash) is verified without reading anything back: after a copy, and by {@code verify}.
 */
class ComputedDigestTest {
    @TempDir
    Path home;

    @Test
    void copiesAndVerificationUseTheTargetsDigestAndReadNothingBack() {
        MemoryStore.reset();
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        MemoryStore.named("cd-src").add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        DigestingTarget target = new DigestingTarget(MemoryStore.named("cd-dst"));
        MigrationSpec spec = MigrationSpec.builder("mem:cd-src", "digesting:t").build();
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), registry(target))) {
            RunResult run = engine.run(spec, ProgressListener.NONE);
            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(run.verification().count(VerificationOutcome.MATCH)).isEqualTo(1);
            assertThat(target.digests.get()).as("verified by the target's digest (reading back fails)").isEqualTo(1);

            assertThat(engine.verify(spec).clean()).isTrue();
            assertThat(target.digests.get()).isEqualTo(2);

            target.delegate().objects().get("disk.img").data()[7] ^= 1; // changed on the target afterwards
            assertThat(engine.verify(spec).problems()).singleElement()
                    .satisfies(i -> assertThat(i.outcome()).isEqualTo(VerificationOutcome.DIFFER));
        }
    }

    private static ConnectorRegistry registry(DigestingTarget target) {
        return ConnectorRegistry.of(new MemoryStoreProvider(), new StoreProvider() {
            @Override
            public String scheme() {
                return "digesting";
            }

            @Override
            public String description() {
                return "memory store that computes digests and cannot be read";
            }

            @Override
            public Options options() {
                return Options.of("digesting");
            }

            @Override
            public ObjectStore open(String location, Config config) {
                return target;
            }
        });
    }

    /** Computes SHA-256 itself; reading an object back fails the test. */
    static final class DigestingTarget extends ForwardingStore implements ComputedDigest {
        final AtomicInteger digests = new AtomicInteger();

        DigestingTarget(MemoryStore delegate) {
            super(delegate);
        }

        @Override
        public InputStream open(String key, ByteRange range) {
            throw new AssertionError("read back " + key + " although the store computes digests");
        }

        @Override
        public Optional<String> sha256(String key) {
            digests.incrementAndGet();
            try {
                return Optional.of(HashingInputStream.sha256Of(new ByteArrayInputStream(delegate().bytes(key))));
            } catch (IOException e) {
                throw new MigrationException(dev.caravan.api.error.ErrorKind.FATAL, e.getMessage(), e);
            }
        }
    }
}
