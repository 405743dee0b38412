package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An S3 server that takes connections and never answers (hung, overloaded, cut off behind a proxy), seen through a
 * {@link FaultyProxy} in front of S3Proxy that stalls requests. At the start, the bucket's opening says so after one
 * read timeout, as a configuration problem (before: three read timeouts of silence, then "worth a retry", exit 1);
 * in the middle of a run, once nothing at all has been answered for the read timeout, it is an outage: the run stops
 * unfinished after the outage wait instead of retrying every object left for minutes each, and the same migration
 * completes once the server answers again.
 */
class S3StallIT extends LocalToS3Fixture {
    S3StallIT() {
        super("stall", 60, 10_000);
    }

    @Test
    @Timeout(60)
    void aServerThatNeverAnswersIsSaidAtTheOpeningAfterOneReadTimeout() throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        try (FaultyProxy wire = new FaultyProxy(upstream.getHost(), upstream.getPort(),
                n -> FaultyProxy.Fault.STALL); MigrationEngine engine = engine()) {
            long t0 = System.nanoTime();

            // readTimeout 5 s and the default two SDK retries: 15 s and more before, one wait of 6 s now
            assertThatThrownBy(() -> engine.run(spec(wire, "readTimeout", "5s", "connectTimeout", "1s"),
                    ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("the S3 endpoint " + wire.endpoint() + " did not answer within 6 s while"
                            + " opening bucket " + bucket + " (is the server hung or overloaded")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);

            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).as("one wait, not one per SDK retry").isLessThan(Duration.ofSeconds(11))
                    .isGreaterThan(Duration.ofSeconds(5));
            assertThat(wire.stalls()).isBetween(1, 2);
        }
        assertThat(raw.listBuckets().buckets()).as("nothing created").noneMatch(b -> b.name().equals(bucket));
    }

    @Test
    @Timeout(120)
    void aServerThatStopsAnsweringMidRunStopsTheRunUnfinishedAndTheSameMigrationLaterCompletesIt()
            throws IOException {
        URI upstream = URI.create(S3It.endpoint());
        AtomicBoolean hung = new AtomicBoolean();
        try (FaultyProxy wire = new FaultyProxy(upstream.getHost(), upstream.getPort(), n -> {
            if (n == 25) {
                hung.set(true);
            }
            return hung.get() ? FaultyProxy.Fault.STALL : FaultyProxy.Fault.FORWARD;
        }); MigrationEngine engine = engine()) {
            long t0 = System.nanoTime();
            MigrationSpec stalling = spec(wire, "readTimeout", "2s", "sdkRetries", "0").toBuilder()
                    .outageWait(Duration.ofSeconds(4)).build();

            assertThatThrownBy(() -> engine.run(stalling, ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class)
                    .hasMessageMatching("(?s).*" + Pattern.quote(wire.endpoint()) + " has left requests without an"
                            + " answer for \\d+ s .*")
                    .hasMessageContaining("the run stops here, unfinished, and nothing is lost")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("stopped after the outage wait, not after"
                    + " every object's retries").isLessThan(Duration.ofSeconds(40));
            assertThat(engine.journal().runs(1).get(0).outcome()).as("left unfinished").isNull();
            assertThat(wire.stalls()).isPositive();

            hung.set(false); // answering again
            RunResult r = engine.run(spec(wire, "readTimeout", "2s"), ProgressListener.NONE);

            assertThat(r.resumed()).isTrue();
            assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.verification().clean()).isTrue();
        }
        assertAllCopied();
    }
}
