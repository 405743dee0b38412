package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The S3 server goes away in the middle of a migration (connections refused, as while it restarts), seen through a
 * {@link FaultyProxy} in front of S3Proxy that stops listening for a while: a short outage is ridden out and the
 * migration completes, every object verified, whatever the retries per object; a longer one than the migration's outage
 * wait stops the run unfinished, and the same migration run again once the server is back completes it. Before, every
 * object left failed at once, "cannot reach the S3 endpoint".
 */
class S3OutageIT extends LocalToS3Fixture {
    private static final Duration WAIT = Duration.ofSeconds(8);

    S3OutageIT() {
        super("outage", 80, 20_000);
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
            assertThat(r.copied()).isEqualTo(files);
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
            assertThat(r.copied()).as("the objects the first attempt had not copied").isBetween(1L, (long) files - 1);
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
}
