package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server goes away in the middle of a migration (connections refused, as while it restarts), seen through a
 * {@link FaultyProxy} in front of S3Proxy that stops listening for a while: a short outage is ridden out and the
 * migration completes, every object verified, whatever the retries per object; a longer one than the migration's outage
 * wait stops the run unfinished, and the same migration run again once the server is back completes it. Before, every
 * object left failed at once, "cannot reach the S3 endpoint".
 */
class S3OutageIT {
    private static final int N = 80;
    private static final Duration WAIT = Duration.ofSeconds(8);

    @TempDir
    Path home;
    @TempDir
    Path data;

    private final String bucket = S3It.newBucket("outage");
    private S3Client raw;

    @BeforeEach
    void setUp() throws IOException {
        raw = S3It.rawClient();
        for (int i = 0; i < N; i++) {
            Files.write(data.resolve("f" + i + ".bin"), randomBytes(20_000 + i * 100, i));
        }
    }

    @AfterEach
    void tearDown() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    @Test
    @Timeout(120)
    void aServerAwayForAFewSecondsMidRunIsWaitedForAndTheMigrationCompletes() throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        AtomicBoolean wentDown = new AtomicBoolean();
        FaultyProxy[] proxy = new FaultyProxy[1];
        try (FaultyProxy wire = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> {
            if (n == 30 && wentDown.compareAndSet(false, true)) {
                outage(proxy[0], Duration.ofSeconds(6));
            }
            return FaultyProxy.Fault.FORWARD;
        }); MigrationEngine engine = engine()) {
            proxy[0] = wire;
            long t0 = System.nanoTime();

            // one retry per object: an object refused early in the 6 s needs two more tries after 5 s each; the
            // outage's waits are not counted in the retries
            RunResult r = engine.run(spec(wire).toBuilder().retries(1).build(), ProgressListener.NONE);

            assertThat(wentDown).isTrue();
            assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(N);
            assertThat(r.verification().clean()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the outage was waited for")
                    .isGreaterThan(Duration.ofSeconds(5));
        }
        assertAllCopied();
    }

    @Test
    @Timeout(180)
    void aServerAwayForLongerStopsTheRunUnfinishedAndTheSameMigrationLaterCompletesIt() throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        AtomicBoolean wentDown = new AtomicBoolean();
        FaultyProxy[] proxy = new FaultyProxy[1];
        try (FaultyProxy wire = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> {
            if (n == 30 && wentDown.compareAndSet(false, true)) {
                outage(proxy[0], WAIT.plusSeconds(10));
            }
            return FaultyProxy.Fault.FORWARD;
        }); MigrationEngine engine = engine()) {
            proxy[0] = wire;

            assertThatThrownBy(() -> engine.run(spec(wire).toBuilder().outageWait(WAIT).build(), ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageMatching("(?s).*" + java.util.regex.Pattern.quote(wire.endpoint())
                            + " has refused connections for (8|9) s .*")
                    .hasMessageContaining("the outage wait is 8 s): the run stops here, unfinished, and nothing is"
                            + " lost")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(engine.journal().runs(1).get(0).outcome()).as("left unfinished").isNull();

            try {
                Thread.sleep(12_000); // the server is back (18 s after it went)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            RunResult r = engine.run(spec(wire), ProgressListener.NONE);

            assertThat(r.resumed()).isTrue();
            assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).as("the objects the first attempt had not copied").isBetween(1L, (long) N - 1);
        }
        assertAllCopied();
    }

    private static void outage(FaultyProxy proxy, Duration duration) {
        try {
            proxy.refuseConnectionsFor(duration);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
    }

    private MigrationSpec spec(FaultyProxy wire) {
        return MigrationSpec.builder("local:" + data, "s3:" + bucket)
                .targetOptions(S3It.options("endpoint", wire.endpoint())).build();
    }

    private void assertAllCopied() throws IOException {
        assertThat(S3It.allKeys(raw, bucket)).hasSize(N);
        for (int i = 0; i < N; i++) {
            String key = "f" + i + ".bin";
            assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).as(key)
                    .isEqualTo(Files.readAllBytes(data.resolve(key)));
        }
    }
}
