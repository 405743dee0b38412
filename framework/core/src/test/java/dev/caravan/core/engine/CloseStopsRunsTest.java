package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import dev.caravan.core.testing.MultipartMemoryStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MigrationEngine#close()} in an embedding JVM stops the runs still running: the object in flight is
 * interrupted (its multipart upload left to resume), the run is left unfinished (not failed), close returns within
 * its bound, and a new engine on the same journal resumes the run with nothing copied twice.
 */
class CloseStopsRunsTest {
    @TempDir
    Path home;

    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThread() {
        thread.shutdownNow();
    }

    @Test
    void closeStopsTheObjectInFlightWithinItsBoundAndANewEngineResumesTheRunCopyingNothingTwice() throws Exception {
        long part = CopyPipeline.PART_SIZE;
        MemoryStore.reset();
        MemoryStore src = MemoryStore.named("close-src");
        byte[] data = new byte[(int) (4 * part + part / 2)];
        new Random(17).nextBytes(data);
        src.add("a", new byte[] {1, 2, 3}, EngineTestBase.T0);
        src.add("disk.img", data, EngineTestBase.T0);
        src.add("z", new byte[] {4, 5}, EngineTestBase.T0);
        MultipartMemoryStore target = new MultipartMemoryStore();
        MigrationSpec spec = MigrationSpec.builder("mem:close-src", "mpu:test").transfers(1)
                .retryBaseDelay(Duration.ofMillis(1)).build();
        MigrationEngine engine = engine(target);
        CountDownLatch inFlight = new CountDownLatch(1);
        // a slow target: from the third part on, a part's bytes come only once the engine is told to stop
        target.partReads = in -> target.partsUploaded.get() < 2 ? in : stalled(in, inFlight, engine::stopRequested);

        Future<RunResult> run = thread.submit(() -> engine.run(spec, ProgressListener.NONE));
        assertThat(inFlight.await(60, TimeUnit.SECONDS)).as("the big object is in flight").isTrue();
        long t0 = System.nanoTime();
        engine.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).as("close returns within its bound").isLessThan(MigrationEngine.STOP_WAIT);
        Throwable stopped = catchThrowable(() -> run.get(2, TimeUnit.MINUTES));
        assertThat(stopped).isInstanceOf(ExecutionException.class);
        assertThat(stopped.getCause()).as("stopped, not failed").isInstanceOf(RunEndedException.class);
        RunEndedException ended = (RunEndedException) stopped.getCause();
        assertThat(ended.resumable()).as("left unfinished for the next run").isTrue();
        assertThat(ended.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(target.memory().objects()).as("nothing half-written in place").containsOnlyKeys("a");
        assertThat(target.openUploads()).as("the upload stays open, to resume").isEqualTo(1);
        long sentBefore = target.partBytes.get();
        assertThat(sentBefore).as("stopped mid-object").isGreaterThanOrEqualTo(2 * part).isLessThan(data.length);

        target.partReads = UnaryOperator.identity();
        try (MigrationEngine next = engine(target)) {
            assertThat(next.journal().run(ended.runId()).orElseThrow().finishedAt()).as("unfinished").isNull();

            RunResult rest = next.run(spec, ProgressListener.NONE);

            assertThat(rest.outcome()).as(rest.toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(rest.runId()).isEqualTo(ended.runId());
            assertThat(rest.resumed()).isTrue();
            assertThat(rest.copied()).isEqualTo(2);
        }
        assertThat(target.memory().bytes("disk.img")).isEqualTo(data);
        assertThat(target.partBytes.get() - sentBefore).as("only the parts the stopped run had not sent")
                .isEqualTo(data.length - sentBefore);
        assertThat(target.begins).as("the upload the stopped run began, continued").hasSize(1);
        assertThat(target.memory().copiedKeys()).as("each object written once").doesNotHaveDuplicates()
                .contains("a", "z");
    }

    private MigrationEngine engine(MultipartMemoryStore target) {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")),
                ConnectorRegistry.of(new MemoryStoreProvider(), MultipartResumeTest.provider(target)));
    }

    /** {@code in}, whose first read says so on {@code reading} and waits (at most a minute) until {@code until}. */
    private static InputStream stalled(InputStream in, CountDownLatch reading, BooleanSupplier until) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                reading.countDown();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (!until.getAsBoolean() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                return super.read(b, off, len);
            }
        };
    }
}
