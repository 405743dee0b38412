package dev.caravan.core.journal;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's connection, opened on a thread of its own ({@link JournalDatabase}), and the wait for it. A database
 * that never answers is not waited for forever: an embedded journal hosted by another caravan process that is stopped
 * (Ctrl-Z, {@code kill -STOP}) accepts the connection and never replies (H2 asks the host whether it still runs, with
 * no timeout), and every command of that home would hang without a word. After {@link #NOTICE_AFTER} the wait says
 * so; after {@link #answerWithin} without an answer it fails, having done nothing. Once the database has answered,
 * the rest of the opening (creating or upgrading the schema, which can take seconds once) is waited for in full.
 */
final class JournalOpening {
    private static final Logger LOG = LoggerFactory.getLogger(JournalOpening.class);
    /**
     * When the wait says what it waits for: after the 3.3-4 s that H2 takes to clear the lock of a process killed a
     * moment ago (kill -9), which is no stopped process to continue (the hint once misled there).
     */
    static final Duration NOTICE_AFTER = Duration.ofSeconds(6);
    /** How long a database that does not answer is waited for (-Dcaravan.journal.answer.seconds; tests shorten it). */
    static volatile Duration answerWithin = Duration.ofSeconds(Long.getLong("caravan.journal.answer.seconds", 30));

    private final String shownUrl;
    private final CompletableFuture<Connection> future;
    /** Whether the database answered (the driver returned a connection). */
    private volatile boolean answered;
    /** The error of a wait that gave up: every later wait (another use, the close) fails with it at once. */
    private volatile String gaveUp;

    /** Starts {@code connect}, which calls the {@link Runnable} it is given as soon as the database has answered. */
    JournalOpening(String shownUrl, Function<Runnable, Connection> connect) {
        this.shownUrl = shownUrl;
        this.future = CompletableFuture.supplyAsync(() -> connect.apply(() -> answered = true), task -> {
            Thread t = new Thread(task, "caravan-journal-open");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Whether the opening has ended, with a connection or an error. */
    boolean isDone() {
        return future.isDone();
    }

    /** Whether the opening ended with an error. */
    boolean failed() {
        return future.isCompletedExceptionally();
    }

    /** The connection once open; the error that kept it from opening, or USER_CONFIG when the database never answered. */
    Connection await() {
        try {
            if (!answered && gaveUp != null && !future.isDone()) {
                throw MigrationException.userConfig(gaveUp);
            }
            if (!answered) {
                Duration notice = answerWithin.compareTo(NOTICE_AFTER) < 0 ? answerWithin : NOTICE_AFTER;
                Connection c = within(notice);
                if (c != null) {
                    return c;
                }
                if (!answered) {
                    LOG.warn("waiting for the journal at {}: it has not answered for {} s{}", shownUrl,
                            notice.toSeconds(), HOSTED_ELSEWHERE);
                }
                c = within(answerWithin.minus(notice));
                if (c != null) {
                    return c;
                }
                if (!answered) {
                    gaveUp = "the journal at " + shownUrl + " did not answer within " + answerWithin.toSeconds()
                            + " s: nothing was done" + HOSTED_ELSEWHERE;
                    throw MigrationException.userConfig(gaveUp);
                }
            }
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted while opening the journal at " + shownUrl, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MigrationException m) {
                throw new MigrationException(m.kind(), m.getMessage(), m);
            }
            throw new MigrationException(ErrorKind.FATAL, "cannot open the journal at " + shownUrl + ": "
                    + e.getCause(), e.getCause());
        }
    }

    private static final String HOSTED_ELSEWHERE = "; an embedded journal is hosted by the caravan process that opened"
            + " it first: if one is stopped (Ctrl-Z, kill -STOP), continue it (fg, kill -CONT PID) or end it";

    /** The connection if the opening ends within {@code wait}; null if it has not. */
    private Connection within(Duration wait) throws InterruptedException, ExecutionException {
        try {
            return future.get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }
}
