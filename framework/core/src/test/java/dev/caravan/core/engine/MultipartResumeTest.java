package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large object goes as a multipart upload; a crash mid-object resumes from the parts the store holds. */
class MultipartResumeTest {
    private static final long PART = CopyPipeline.PART_SIZE;

    @TempDir
    Path home;

    @Test
    void resumedUploadSendsOnlyTheMissingParts() throws IOException {
        MemoryStore.reset();
        MemoryStore src = MemoryStore.named("big-src");
        byte[] data = new byte[(int) (4 * PART + PART / 2)]; // five parts, the last one half size
        new Random(7).nextBytes(data);
        src.add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        MultipartMemoryStore target = new MultipartMemoryStore();
        ConnectorRegistry registry = ConnectorRegistry.of(new MemoryStoreProvider(), provider(target));
        MigrationSpec spec = MigrationSpec.builder("mem:big-src", "mpu:test").retries(0)
                .retryBaseDelay(Duration.ofMillis(1)).build();

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), registry)) {
            // given a run that dies at part 4 (parts 1-3 held by the store, recorded in the journal)
            target.failFromPart = 4;
            RunResult first = engine.run(spec, ProgressListener.NONE);
            assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
            assertThat(target.memory().objects()).isEmpty();
            long sentBefore = target.partBytes.get();

            // when the migration runs again
            target.failFromPart = 0;
            RunResult second = engine.run(spec, ProgressListener.NONE);

            // then it completes, byte-identical, and sent less than the object minus one part
            assertThat(second.outcome()).as(second.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(second.copied()).as(second.toString()).isEqualTo(1);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
            long sentAfter = target.partBytes.get() - sentBefore;
            assertThat(sentAfter).isEqualTo(PART + PART / 2).isLessThan(data.length - PART);
            try (Stream<TaskRecord> done = engine.journal().completedBy(second.runId())) {
                TaskRecord t = done.findFirst().orElseThrow();
                assertThat(Long.parseLong(t.report().values().get("copy.bytesSent"))).isEqualTo(sentAfter);
                assertThat(t.attempts()).isEqualTo(2);
            }
            // the run's totals and its report tell what the interrupted run had sent
            assertThat(second.bytesCopied()).isEqualTo(data.length);
            assertThat(second.bytesResumed()).isEqualTo(data.length - sentAfter);
            JsonNode report = new ObjectMapper().readTree(second.reportJson().toFile());
            assertThat(report.get("done").get("bytesResumed").asLong()).isEqualTo(data.length - sentAfter);
            assertThat(report.get("items").get(0).get("bytesSent").asLong()).isEqualTo(sentAfter);
            assertThat(Files.readString(second.reportHtml())).contains("sent before an interruption, not again");
            assertThat(target.openUploads()).isZero();
        }
    }

    @Test
    void aRetryWithinTheRunContinuesTheUploadItBegan() {
        MemoryStore.reset();
        MemoryStore src = MemoryStore.named("big-src");
        byte[] data = new byte[(int) (4 * PART + PART / 2)];
        new Random(8).nextBytes(data);
        src.add("disk.img", data, Instant.parse("2026-01-01T00:00:00Z"));
        MultipartMemoryStore target = new MultipartMemoryStore();
        target.failingPart = 4;
        target.failuresLeft.set(2); // both tries of the part: the object's attempt fails and is retried
        MigrationSpec spec = MigrationSpec.builder("mem:big-src", "mpu:test").retries(1)
                .retryBaseDelay(Duration.ofMillis(1)).build();

        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), provider(target)))) {
            RunResult run = engine.run(spec, ProgressListener.NONE);

            assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
            assertThat(target.begins).as("one upload, continued by the retry").hasSize(1);
            assertThat(target.partBytes.get()).as("no part sent twice").isEqualTo(data.length);
            assertThat(target.openUploads()).isZero();
        }
    }

    /**
     * An object below the engine's threshold that the target's own put would send in parts (S3 with a lowered
     * multipartThreshold, or over plain HTTP above partSize) goes through the resumable upload, in the target's part
     * size: a run that dies mid-object leaves its parts recorded, and the rerun sends only the rest, leaving no
     * upload open. Before, the object went as one put that the store split into parts of its own: the rerun sent it
     * all again and the killed upload stayed on the server.
     */
    @Test
    void anObjectTheTargetsPutWouldSplitIsUploadedResumablyInTheTargetsPartSize() {
        long part = 1 << 20;
        MidObject mid = midObject("mid", part, 9); // four parts of the target's size, far below 64 MiB
        byte[] data = mid.data();
        MultipartMemoryStore target = mid.target();
        MigrationSpec spec = mid.spec();

        try (MigrationEngine engine = engineFor(target)) {
            target.failFromPart = 3; // parts 1 and 2 held and recorded, then the run dies
            RunResult first = engine.run(spec, ProgressListener.NONE);
            assertThat(first.outcome()).as(first.toString()).isEqualTo(RunOutcome.FAILED);
            long sentBefore = target.partBytes.get();

            target.failFromPart = 0;
            RunResult second = engine.run(spec, ProgressListener.NONE);

            assertThat(second.outcome()).as(second.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("mid.bin")).isEqualTo(data);
            assertThat(target.partBytes.get() - sentBefore).as("bytes the rerun sent").isEqualTo(part + part / 2);
            assertThat(target.begins).as("one upload, resumed").hasSize(1);
            assertThat(target.openUploads()).isZero();
        }
    }

    /**
     * The target's part size changed between the killed run and the rerun (partSize 5M, then 6M): the rerun goes on
     * with the recorded upload in the part size it began with, sending only the missing parts. Before, it began a new
     * upload in the new size, sent the whole object again and left the recorded upload unfinished on the server.
     */
    @Test
    void aRerunWithAnotherPartSizeContinuesTheRecordedUploadInItsPartSize() {
        long part = 1 << 20;
        MidObject mid = midObject("ps", part, 10);
        byte[] data = mid.data();
        MultipartMemoryStore target = mid.target();
        MigrationSpec spec = mid.spec();

        try (MigrationEngine engine = engineFor(target)) {
            target.failFromPart = 3;
            assertThat(engine.run(spec, ProgressListener.NONE).outcome()).isEqualTo(RunOutcome.FAILED);
            long sentBefore = target.partBytes.get();

            target.failFromPart = 0;
            target.preferredPartSize = 2 * part;
            RunResult second = engine.run(spec, ProgressListener.NONE);

            assertThat(second.outcome()).as(second.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(target.memory().bytes("ps.bin")).isEqualTo(data);
            assertThat(target.openUploads()).as("unfinished uploads").isZero();
            assertThat(target.begins).as("the recorded upload continued").hasSize(1);
            assertThat(target.partBytes.get() - sentBefore).as("bytes the rerun sent").isEqualTo(part + part / 2);
        }
    }

    /** A provider of the scheme {@code mpu:} that opens {@code store}. */
    static StoreProvider provider(MultipartMemoryStore store) {
        return provider("mpu", store);
    }

    /** A provider of {@code scheme} whose every location is {@code store}. */
    static StoreProvider provider(String scheme, MultipartMemoryStore store) {
        return new StoreProvider() {
            @Override
            public String scheme() {
                return scheme;
            }

            @Override
            public String description() {
                return "multipart memory store";
            }

            @Override
            public Options options() {
                return Options.of(scheme);
            }

            @Override
            public ObjectStore open(String location, Config config) {
                return store;
            }
        };
    }

    /** An object of three and a half parts of {@code part} bytes, {@code NAME.bin} in {@code mem:NAME-src}. */
    private record MidObject(byte[] data, MultipartMemoryStore target, MigrationSpec spec) {
    }

    /** The object, and a target whose put would split it into parts of {@code part} bytes (as S3 over HTTP does). */
    private static MidObject midObject(String name, long part, int seed) {
        MemoryStore.reset();
        byte[] data = new byte[(int) (3 * part + part / 2)];
        new Random(seed).nextBytes(data);
        MemoryStore.named(name + "-src").add(name + ".bin", data, Instant.parse("2026-01-01T00:00:00Z"));
        MultipartMemoryStore target = new MultipartMemoryStore();
        target.largestSingleRequest = part;
        target.preferredPartSize = part;
        MigrationSpec spec = MigrationSpec.builder("mem:" + name + "-src", "mpu:test").retries(0)
                .retryBaseDelay(Duration.ofMillis(1)).build();
        return new MidObject(data, target, spec);
    }

    private MigrationEngine engineFor(MultipartMemoryStore target) {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), provider(target)));
    }
}
