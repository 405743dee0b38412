package dev.caravan.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A refused connection: a wrong endpoint before any answer, an outage after one, and the stop it comes to. */
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
    void aRefusalAfterAnAnswerToTheStoreIsAnOutageThatGrowsUntilItsStop() {
        long opened = outage.mark();
        outage.answered();
        advance(Duration.ofMinutes(5)); // a long listing elsewhere; the endpoint answered this command before

        MigrationException first = outage.refused(wrong, "put of 'a'", opened);
        assertThat(first).isInstanceOf(OutageException.class);
        assertThat(first.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(first.retryAfter()).contains(EndpointOutage.RETRY_AFTER);
        assertThat(first.getCause()).isSameAs(wrong);
        assertThat(first.getMessage()).startsWith("put of 'a': http://127.0.0.1:18080 refused the connection (it last"
                + " answered at ").contains("restarting?");
        assertThat(((OutageException) first).refusingFor()).isZero();
        advance(Duration.ofSeconds(24));
        OutageException later = (OutageException) outage.refused(wrong, "put of 'b'", opened);
        assertThat(later.refusingFor()).as("counted from the first refusal").isEqualTo(Duration.ofSeconds(24));

        MigrationException stop = later.stop(Duration.ofSeconds(20));
        assertThat(stop.kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(stop.getMessage()).startsWith("http://127.0.0.1:18080 has refused connections for 24 s (it last"
                + " answered at ").contains("; put of 'b'; the outage wait is 20 s): the run stops here, unfinished,"
                        + " and nothing is lost");
        assertThat(OutageException.in(stop)).contains(later);
    }

    @Test
    void aRequestWithoutAnAnswerIsAnOutageOnlyWhenNothingAtAllWasAnsweredForTheReadTimeout() {
        MigrationException slow = MigrationException.transientError("put of 'a': read timed out", null);
        Duration readTimeout = Duration.ofSeconds(60);
        long opened = outage.mark();
        advance(Duration.ofSeconds(61));
        assertThat(outage.unanswered(slow, "put of 'a'", opened, readTimeout)).as("never answered this store")
                .isSameAs(slow);

        outage.answered();
        advance(Duration.ofSeconds(59));
        assertThat(outage.unanswered(slow, "put of 'a'", opened, readTimeout))
                .as("another request was answered within the read timeout: one slow request").isSameAs(slow);

        advance(Duration.ofSeconds(2));
        MigrationException first = outage.unanswered(slow, "put of 'a'", opened, readTimeout);
        assertThat(first).isInstanceOf(OutageException.class);
        assertThat(((OutageException) first).silent()).isTrue();
        assertThat(first.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(first.getMessage()).startsWith("put of 'a': http://127.0.0.1:18080 did not answer, nor any other"
                + " request, within the read timeout (it last answered at ").contains("hung, overloaded or cut off?");
        advance(Duration.ofSeconds(65));
        OutageException later = (OutageException) outage.unanswered(slow, "put of 'b'", opened, readTimeout);
        assertThat(later.refusingFor()).isEqualTo(Duration.ofSeconds(65));
        assertThat(later.stop(Duration.ofSeconds(25)).getMessage()).startsWith("http://127.0.0.1:18080 has left"
                + " requests without an answer for 65 s (it last answered at ");

        outage.answered(); // back
        advance(Duration.ofSeconds(1));
        assertThat(outage.unanswered(slow, "put of 'c'", opened, readTimeout)).isSameAs(slow);
        assertThat(outage.refused(wrong, "put of 'c'", opened)).as("then refusing: said so")
                .isInstanceOfSatisfying(OutageException.class, o -> assertThat(o.silent()).isFalse());
    }

    @Test
    void anAnswerEndsTheOutage() {
        long opened = outage.mark();
        outage.answered();
        advance(Duration.ofSeconds(20));
        assertThat(outage.refused(wrong, "x", opened)).isInstanceOf(OutageException.class);
        advance(Duration.ofSeconds(20));
        assertThat(((OutageException) outage.refused(wrong, "x", opened)).refusingFor()).hasSeconds(20);
        outage.answered(); // back
        advance(Duration.ofSeconds(20));
        assertThat(((OutageException) outage.refused(wrong, "x", opened)).refusingFor())
                .as("a new outage, counted from now").isZero();
    }

    @Test
    void aConnectorThatKnowsTheServerWorkedGetsAnOutage() {
        outage.answered();
        advance(Duration.ofMinutes(10)); // an SFTP session open for a long while, then a reconnect
        assertThat(outage.refusedAfterWorking(wrong, "a new connection")).isInstanceOf(OutageException.class);
        advance(Duration.ofSeconds(30));
        assertThat(((OutageException) outage.refusedAfterWorking(wrong, "a new connection")).refusingFor())
                .hasSeconds(30);
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
