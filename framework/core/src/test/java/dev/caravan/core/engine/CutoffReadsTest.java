package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hard {@code --max-duration} stops, within one read, the reads a copy makes besides the streamed copy itself: the
 * whole-file SHA-256 a source computes before a multipart upload, and a part the engine sends from memory. The
 * deadline passes (on the test's clock) once a slow reader has read {@link #DUE_AFTER} bytes.
 */
class CutoffReadsTest {
    private static final Duration WINDOW = Duration.ofHours(1);
    /** The bytes read (of the digest, or of the parts) after which the deadline has passed. */
    private static final long DUE_AFTER = 1 << 20;
    /** At most this much is read in one call by the slow readers. */
    private static final int READ = 64 * 1024;

    @TempDir
    Path home;

    private final AtomicLong now = new AtomicLong();
    private MultipartMemoryStore target;
    private SlowDigestSource source;
    private byte[] data;

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        target = new MultipartMemoryStore();
        target.rewritesObjectsAbove = CopyPipeline.PART_SIZE; // like S3: the digest is worth taking first
        source = new SlowDigestSource(MemoryStore.named("cr-src"));
        data = new byte[(int) (CopyPipeline.MULTIPART_THRESHOLD + CopyPipeline.PART_SIZE / 2)];
        new Random(3).nextBytes(data);
        source.delegate().add("disk.img", data, EngineTestBase.T0);
    }

    @Test
    void theDigestTakenBeforeAMultipartUploadStopsWithinOneReadAtTheDeadline() {
        source.digestReads = counting(source.digestRead);

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.LIMIT_REACHED);
            assertThat(run.failed()).isZero();
            assertThat(run.warnings().get(0)).contains("cut off: disk.img");
            assertThat(source.digestRead.get()).as("bytes the digest read: one read past the deadline, not the file")
                    .isLessThanOrEqualTo(DUE_AFTER + READ);
            assertThat(target.begins).as("no upload began after the deadline").isEmpty();
        }

        try (MigrationEngine engine = engine()) {
            source.digestReads = UnaryOperator.identity();
            RunResult rest = engine.run(spec().toBuilder().maxDuration(null).build(), ProgressListener.NONE);

            assertThat(rest.outcome()).as(rest.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
        }
    }

    @Test
    void aPartSentFromMemoryStopsWithinOneReadAtTheDeadline() {
        AtomicLong partRead = new AtomicLong();
        target.partReads = counting(partRead);

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.LIMIT_REACHED);
            assertThat(run.failed()).isZero();
            assertThat(run.warnings().get(0)).contains("cut off: disk.img");
            assertThat(target.partBytes.get()).as("no part finished after the deadline").isZero();
            assertThat(partRead.get()).as("bytes of the parts sent: a read past the deadline for each part in flight")
                    .isLessThan(DUE_AFTER + 8L * READ);
            assertThat(target.openUploads()).as("the upload is left open, as after a kill").isEqualTo(1);
        }

        try (MigrationEngine engine = engine()) {
            target.partReads = UnaryOperator.identity();
            RunResult rest = engine.run(spec().toBuilder().maxDuration(null).build(), ProgressListener.NONE);

            assertThat(rest.outcome()).as(rest.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
        }
    }

    /** A stream that reads at most {@link #READ} bytes a call, counts them, and moves the clock past the deadline. */
    private UnaryOperator<InputStream> counting(AtomicLong read) {
        return in -> new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, Math.min(len, READ));
                if (n > 0 && read.addAndGet(n) >= DUE_AFTER) {
                    now.set(WINDOW.toNanos());
                }
                return n;
            }
        };
    }

    private MigrationEngine engine() {
        MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MemoryStoreProvider.of("crsrc", source),
                        MemoryStoreProvider.of("crdst", target)));
        engine.withClock(now::get);
        return engine;
    }

    private static MigrationSpec spec() {
        return MigrationSpec.builder("crsrc:s", "crdst:t").retryBaseDelay(Duration.ofMillis(1)).maxDuration(WINDOW)
                .build();
    }

    /** A memory source that computes SHA-256 itself, reading its bytes through the caller's filter and its own. */
    static final class SlowDigestSource extends ForwardingStore implements ComputedDigest {
        final AtomicLong digestRead = new AtomicLong();
        volatile UnaryOperator<InputStream> digestReads = UnaryOperator.identity();

        SlowDigestSource(MemoryStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<String> sha256(String key) {
            return sha256(key, UnaryOperator.identity());
        }

        @Override
        public Optional<String> sha256(String key, UnaryOperator<InputStream> through) {
            byte[] bytes = delegate().objects().get(key).data();
            try (InputStream in = through.apply(digestReads.apply(new ByteArrayInputStream(bytes)))) {
                return Optional.of(HashingInputStream.sha256Of(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
