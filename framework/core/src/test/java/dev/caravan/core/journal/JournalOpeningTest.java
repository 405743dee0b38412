package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wait for the journal's connection: bounded while the database has not answered (a stopped process hosting an
 * embedded journal never does), in full once it has (a schema upgrade may take seconds).
 */
class JournalOpeningTest {
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void restore() {
        JournalOpening.answerWithin = Duration.ofSeconds(30);
        never.countDown();
    }

    @Test
    void aDatabaseThatNeverAnswersFailsTheWaitWithAClearErrorInsteadOfHanging() {
        JournalOpening.answerWithin = Duration.ofMillis(1_500);
        JournalOpening opening = new JournalOpening("jdbc:h2:file:/home/j", answered -> {
            await(never); // the driver waits for a reply that never comes
            return null;
        });
        long t0 = System.nanoTime();

        assertThatThrownBy(opening::await).isInstanceOf(MigrationException.class)
                .hasMessageContaining("the journal at jdbc:h2:file:/home/j did not answer within 1 s: nothing was done")
                .hasMessageContaining("if one is stopped (Ctrl-Z, kill -STOP), continue it")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1_400),
                Duration.ofSeconds(4));
        assertThat(opening.isDone()).isFalse();
        long t1 = System.nanoTime();
        assertThatThrownBy(opening::await).as("a later use (the journal's close) does not wait again")
                .hasMessageContaining("did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void onceTheDatabaseAnsweredTheRestOfTheOpeningIsWaitedForInFull() throws Exception {
        JournalOpening.answerWithin = Duration.ofMillis(300);
        JournalOpening opening = new JournalOpening("jdbc:h2:mem:j", answered -> {
            try {
                Connection c = DriverManager.getConnection("jdbc:h2:mem:opening");
                answered.run();
                Thread.sleep(1_000); // creating or upgrading the schema
                return c;
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        try (Connection c = opening.await()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void anErrorOpeningTheJournalIsThrownByTheWait() {
        JournalOpening opening = new JournalOpening("jdbc:x", answered -> {
            throw MigrationException.userConfig("cannot open the journal at jdbc:x: bad URL");
        });

        assertThatThrownBy(opening::await).hasMessage("cannot open the journal at jdbc:x: bad URL");
        assertThat(opening.failed()).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
