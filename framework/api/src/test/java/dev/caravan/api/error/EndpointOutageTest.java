package dev.caravan.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A refused connection: a wrong endpoint before any answer, an outage ridden out after one, then a stop. */
class EndpointOutageTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final EndpointOutage outage = new EndpointOutage("http://127.0.0.1:18080", now::get);
    private final MigrationException wrong = MigrationException.userConfig("cannot reach the endpoint");

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void anEndpointThatHasNotAnsweredSinceTheStoreWasOpenedIsAWrongOne() {
        assertThat(outage.refused(wrong, "put of 'a'", outage.mark())).as("never answered").isSameAs(wrong);
        outage.answered(); // for an earlier command of the same process (a daemon)
        advance(Duration.ofSeconds(1));
        long opened = outage.mark();
        advance(Duration.ofSeconds(1));
        assertThat(outage.refused(wrong, "put of 'a'", opened)).as("the server stopped before this command")
                .isSameAs(wrong);
    }

    @Test
    void aRefusalAfterAnAnswerToTheStoreIsRetriedThenStopsTheRunOnceItLasted() {
        long opened = outage.mark();
        outage.answered();
        advance(Duration.ofMinutes(5)); // a long listing elsewhere; the endpoint answered this command before

        MigrationException first = outage.refused(wrong, "put of 'a'", opened);
        assertThat(first.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(first.retryAfter()).contains(EndpointOutage.RETRY_AFTER);
        assertThat(first.getMessage()).startsWith("put of 'a': http://127.0.0.1:18080 refused the connection (it last"
                + " answered at ").contains("restarting?");
        advance(EndpointOutage.LIMIT.minusSeconds(1));
        assertThat(outage.refused(wrong, "put of 'b'", opened).kind()).as("still within the limit")
                .isEqualTo(ErrorKind.TRANSIENT);
        advance(Duration.ofSeconds(1));

        MigrationException stop = outage.refused(wrong, "put of 'c'", opened);
        assertThat(stop.kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(stop.getMessage()).startsWith("http://127.0.0.1:18080 has refused connections for 25 s")
                .contains("the run stops here, unfinished, and nothing is lost");
    }

    @Test
    void anAnswerEndsTheOutage() {
        long opened = outage.mark();
        outage.answered();
        advance(Duration.ofSeconds(20));
        assertThat(outage.refused(wrong, "x", opened).kind()).isEqualTo(ErrorKind.TRANSIENT);
        outage.answered(); // back
        advance(Duration.ofSeconds(20));
        assertThat(outage.refused(wrong, "x", opened).kind()).as("a new outage, counted from now")
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void aConnectorThatKnowsTheServerWorkedGetsAnOutage() {
        outage.answered();
        advance(Duration.ofMinutes(10)); // an SFTP session open for a long while, then a reconnect
        assertThat(outage.refusedAfterWorking(wrong, "a new connection").kind()).isEqualTo(ErrorKind.TRANSIENT);
        advance(EndpointOutage.LIMIT);
        assertThat(outage.refusedAfterWorking(wrong, "a new connection").kind()).isEqualTo(ErrorKind.FATAL);
    }

    @Test
    void aRefusalIsAConnectExceptionInTheCausesButNotATimeout() {
        assertThat(EndpointOutage.isRefusal(new UncheckedIOException(new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(EndpointOutage.isRefusal(new RuntimeException(new SocketTimeoutException("connect timed out"))))
                .isFalse();
        assertThat(EndpointOutage.isRefusal(new RuntimeException("other"))).isFalse();
    }
}
