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

    /** A provider of the scheme {@code mpu:} that opens {@code store}. */
    static StoreProvider provider(MultipartMemoryStore store) {
        return new StoreProvider() {
            @Override
            public String scheme() {
                return "mpu";
            }

            @Override
            public String description() {
                return "multipart memory store";
            }

            @Override
            public Options options() {
                return Options.of("mpu");
            }

            @Override
            public ObjectStore open(String location, Config config) {
                return store;
            }
        };
    }

}
