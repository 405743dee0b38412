package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ComputedDigest;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a target could add our SHA-256 to a finished object only by copying it on the server (S3), and the source
 * computes digests itself (a local file, an SSH server), the digest is computed first and sent with the object's own
 * metadata: for objects that go up in parts through the engine, and for objects larger than a part that the target
 * may split itself. A source that changes between its digest and its bytes is copied again.
 */
class DigestFirstTest {
    @TempDir
    Path home;

    private MultipartMemoryStore target;
    private DigestingSource source;

    @BeforeEach
    void stores() {
        MemoryStore.reset();
        target = new MultipartMemoryStore();
        target.rewritesObjectsAbove = CopyPipeline.PART_SIZE; // like S3 with parts of that size
        source = new DigestingSource(MemoryStore.named("df-src"));
    }

    @Test
    void aMultipartUploadBeginsWithTheSourcesDigest() {
        byte[] data = bytes((int) CopyPipeline.MULTIPART_THRESHOLD + 5, 1);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(0), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
            assertThat(target.begins).singleElement().satisfies(r -> assertThat(r.metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(data)));
            assertThat(source.digests.get()).isEqualTo(1);
            assertThat(target.memory().attributes.get("disk.img").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(data));
        }
    }

    @Test
    void aResumedUploadChecksTheDigestItBeganWithAndStartsOverWhenTheSourceChangedMeanwhile() {
        byte[] data = bytes((int) CopyPipeline.MULTIPART_THRESHOLD + 5, 5);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        String before = sha256(data);

        try (MigrationEngine engine = engine()) {
            target.failFromPart = 3; // the first run dies with parts 1-2 uploaded under the announced digest
            assertThat(engine.run(spec(1), ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(target.openUploads()).isEqualTo(1);
            long sentBefore = target.partBytes.get();
            source.delegate().objects().get("disk.img").data()[5] ^= 1; // changed in place: same size and time
            byte[] now = source.delegate().bytes("disk.img");

            target.failFromPart = 0;
            RunResult run = engine.run(spec(1), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(now);
            assertThat(target.begins).as("the resumed upload failed its digest check; a new one began")
                    .extracting(r -> r.metadata().get(CopyPipeline.SHA256_METADATA))
                    .containsExactly(before, sha256(now));
            assertThat(target.deleted).as("the resumed upload was never completed under a digest "
                    + "that was not its own (and deleted again)").doesNotContain("disk.img");
            assertThat(target.partBytes.get() - sentBefore).as("the resumed upload sent only its missing parts, "
                    + "then the new one everything").isEqualTo(data.length - sentBefore + data.length);
            assertThat(target.memory().attributes.get("disk.img").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(now));
            assertThat(target.openUploads()).isZero();
        }
    }

    /**
     * The same with a bandwidth limit (the parts are then not hashed before they are sent, so the change is found at
     * the end), on a target that goes on listing an aborted upload's parts (S3Proxy): the retry begins a new upload
     * instead of resuming the aborted one again with the old digest, which failed the object after every retry.
     */
    @Test
    void aResumedUploadWhoseSourceChangedStartsOverUnderABandwidthLimitToo() {
        byte[] data = bytes((int) CopyPipeline.MULTIPART_THRESHOLD + 5, 6);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        String before = sha256(data);
        target.listsAbortedUploads = true;
        MigrationSpec limited = spec(1).toBuilder().bandwidth(1L << 30).build();

        try (MigrationEngine engine = engine()) {
            target.failFromPart = 3;
            assertThat(engine.run(limited, ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.FAILED);
            source.delegate().objects().get("disk.img").data()[5] ^= 1; // changed in place: same size and time
            byte[] now = source.delegate().bytes("disk.img");

            target.failFromPart = 0;
            RunResult run = engine.run(limited, ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(now);
            assertThat(target.begins).as("the resumed upload failed its digest check once; a new one began")
                    .extracting(r -> r.metadata().get(CopyPipeline.SHA256_METADATA))
                    .containsExactly(before, sha256(now));
        }
    }

    @Test
    void partsGoWithTheirDigestsFromTheSourceToATargetThatChecksThem() {
        target.takesPartDigests = true;
        byte[] data = bytes((int) (CopyPipeline.MULTIPART_THRESHOLD + CopyPipeline.PART_SIZE / 2), 8);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(0), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
            assertThat(source.partDigests.get()).as("one reading of the source for both digests").isEqualTo(1);
            assertThat(source.digests.get()).isZero();
            assertThat(target.partsWithDigest.get()).isEqualTo(target.partsUploaded.get()).isGreaterThan(1);
            assertThat(target.memory().attributes.get("disk.img").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(data));
        }
    }

    @Test
    void aSourceThatChangesAfterItsPartDigestsIsRefusedByTheTargetAndSentAgain() {
        target.takesPartDigests = true;
        byte[] data = bytes((int) CopyPipeline.MULTIPART_THRESHOLD + 5, 9);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        String before = sha256(data);
        source.changeAfterFirstDigest = true; // same size and time: only the part's digest tells

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(1), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            byte[] now = source.delegate().bytes("disk.img");
            assertThat(target.memory().bytes("disk.img")).isEqualTo(now);
            assertThat(target.begins).extracting(r -> r.metadata().get(CopyPipeline.SHA256_METADATA))
                    .containsExactly(before, sha256(now));
            assertThat(target.memory().attributes.get("disk.img").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(now));
        }
    }

    @Test
    void anObjectLargerThanAPartIsPutWithTheSourcesDigest() {
        byte[] data = bytes((int) CopyPipeline.PART_SIZE + 7, 2); // below the multipart threshold: one put
        source.delegate().add("a.bin", data, Instant.parse("2026-01-01T00:00:00Z"));

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(0), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.begins).isEmpty();
            PutRequest put = target.memory().attributes.get("a.bin");
            assertThat(put.metadata()).containsEntry(CopyPipeline.SHA256_METADATA, sha256(data));
            assertThat(target.memory().bytes("a.bin")).isEqualTo(data);
        }
    }

    @Test
    void anObjectTheTargetWritesWithItsOwnDigestIsReadOnce() {
        byte[] data = bytes((int) CopyPipeline.PART_SIZE, 7); // the target's put computes the digest itself
        source.delegate().add("small.bin", data, Instant.parse("2026-01-01T00:00:00Z"));

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(0), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(source.digests.get()).isZero();
            assertThat(target.metadataWrites.get()).as("the digest is added after the put").isEqualTo(1);
        }
    }

    @Test
    void anObjectLargerThanAPartThatChangesAfterItsDigestEndsWithTheDigestOfItsBytes() {
        byte[] data = bytes((int) CopyPipeline.PART_SIZE + 7, 6);
        source.delegate().add("a.bin", data, Instant.parse("2026-01-01T00:00:00Z"));
        source.changeAfterFirstDigest = true;

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(1), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            byte[] now = source.delegate().bytes("a.bin");
            assertThat(target.memory().bytes("a.bin")).isEqualTo(now);
            assertThat(target.memory().attributes.get("a.bin").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(now));
        }
    }

    @Test
    void aSourceThatChangesAfterItsDigestIsSentAgainWithTheNewDigest() {
        byte[] data = bytes((int) CopyPipeline.MULTIPART_THRESHOLD + 5, 3);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        String before = sha256(data);
        source.changeAfterFirstDigest = true; // same size and time: only the digest tells

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(1), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            byte[] now = source.delegate().bytes("disk.img");
            assertThat(sha256(now)).isNotEqualTo(before);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(now);
            assertThat(target.begins).extracting(r -> r.metadata().get(CopyPipeline.SHA256_METADATA))
                    .containsExactly(before, sha256(now));
            assertThat(target.openUploads()).as("the first upload was aborted").isZero();
            assertThat(target.memory().attributes.get("disk.img").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(now));
        }
    }

    @Test
    void aTargetThatChangesMetadataInPlaceGetsTheDigestAfterwardsAndTheSourceIsReadOnce() {
        target.rewritesObjectsAbove = Long.MAX_VALUE; // e.g. Azure: Set Blob Metadata
        byte[] data = bytes((int) CopyPipeline.MULTIPART_THRESHOLD + 5, 4);
        source.delegate().add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));

        try (MigrationEngine engine = engine()) {
            RunResult run = engine.run(spec(0), ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(source.digests.get()).isZero();
            assertThat(target.begins).singleElement().satisfies(r -> assertThat(r.metadata())
                    .doesNotContainKey(CopyPipeline.SHA256_METADATA));
            assertThat(target.metadataWrites.get()).isEqualTo(1);
            assertThat(target.memory().attributes.get("disk.img").metadata())
                    .containsEntry(CopyPipeline.SHA256_METADATA, sha256(data));
        }
    }

    private MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MemoryStoreProvider.of("dfsrc", source),
                        MemoryStoreProvider.of("dfdst", target)));
    }

    private static MigrationSpec spec(int retries) {
        return MigrationSpec.builder("dfsrc:s", "dfdst:t").retries(retries).retryBaseDelay(Duration.ofMillis(1))
                .build();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HashingInputStream.sha256Of(new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** A memory source that computes SHA-256 itself, and can change one byte right after its first digest. */
    static final class DigestingSource extends ForwardingStore implements ComputedDigest {
        final AtomicInteger digests = new AtomicInteger();
        final AtomicInteger partDigests = new AtomicInteger();
        volatile boolean changeAfterFirstDigest;

        DigestingSource(MemoryStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<String> sha256(String key) {
            byte[] data = delegate().objects().get(key).data();
            String sha = DigestFirstTest.sha256(data);
            if (digests.incrementAndGet() == 1 && changeAfterFirstDigest) {
                data[11] ^= 1;
            }
            return Optional.of(sha);
        }

        @Override
        public Optional<PartDigests> sha256WithParts(String key, long partSize) {
            byte[] data = delegate().objects().get(key).data();
            List<byte[]> parts = new ArrayList<>();
            for (long at = 0; at < data.length || parts.isEmpty(); at += partSize) {
                int end = (int) Math.min(data.length, at + partSize);
                parts.add(HexFormat.of().parseHex(DigestFirstTest.sha256(Arrays.copyOfRange(data, (int) at, end))));
            }
            PartDigests digest = new PartDigests(DigestFirstTest.sha256(data), parts);
            if (partDigests.incrementAndGet() == 1 && changeAfterFirstDigest) {
                data[11] ^= 1;
            }
            return Optional.of(digest);
        }
    }
}
