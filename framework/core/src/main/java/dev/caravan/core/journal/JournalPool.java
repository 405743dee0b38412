package dev.caravan.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shared embedded journals ({@code AUTO_SERVER=TRUE}, the default of a home) kept open between the journals a
 * resident process opens, when {@link #keepOpen} asked for it (the command line's daemon does): opening one costs a
 * command about 35 ms (H2 makes its lock file and waits 25 ms to be sure of it), a no-change rerun of a few objects
 * through the daemon 70-80 ms instead of 35-45. A journal given back is flushed (every write is on disk, as with a
 * close) and closed after {@code keepOpen} without use. Other processes reach it meanwhile through this one, as
 * {@code AUTO_SERVER} provides. A journal whose file was deleted or replaced meanwhile (a home removed to start
 * afresh) is never handed out again: it is closed and opened anew. Journals of other URLs (an exclusive embedded
 * file, an in-memory database, PostgreSQL) are opened and closed as before. Thread-safe.
 */
final class JournalPool {
    private static final Map<String, Idle> IDLE = new HashMap<>(); // guarded by itself
    private static volatile Duration keepOpen = Duration.ZERO;
    private static ScheduledExecutorService reaper; // guarded by IDLE

    /** An open journal nobody uses, since when, and the file it was opened on. */
    private record Idle(JournalDatabase db, long since, Object fileKey) {
    }

    private JournalPool() {
    }

    /** Keeps shared embedded journals open for {@code idle} after their last use; zero (the default) for never. */
    static void keepOpen(Duration idle) {
        keepOpen = Objects.requireNonNull(idle);
    }

    /** Whether journals of {@code url} are kept: a shared embedded H2 file, while {@link #keepOpen} is on. */
    static boolean keeps(String url) {
        return !keepOpen.isZero() && H2Compaction.isEmbeddedH2File(url)
                && url.toUpperCase(java.util.Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    /** An idle open journal of {@code url} on the same file, or a new one. */
    static JournalDatabase take(String url) {
        Object fileKey = fileKey(url);
        synchronized (IDLE) {
            Idle idle = IDLE.remove(url);
            if (idle != null && fileKey != null && fileKey.equals(idle.fileKey())) {
                return idle.db();
            }
            if (idle != null) {
                idle.db().close();
            }
        }
        return new JournalDatabase(url);
    }

    /** Gives a journal back: flushed now, kept open for the next {@link #take}, closed when unused for long. */
    static void giveBack(String url, JournalDatabase db) {
        try {
            db.call(c -> null); // every deferred write on disk, as a close would leave it
        } catch (RuntimeException e) {
            db.close(); // broken: not kept
            return;
        }
        Object fileKey = fileKey(url);
        synchronized (IDLE) {
            Idle earlier = IDLE.put(url, new Idle(db, System.nanoTime(), fileKey));
            if (earlier != null && earlier.db() != db) {
                earlier.db().close(); // two journals of one URL were open at once: keep the last given back
            }
            if (reaper == null) {
                reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "caravan-journal-pool");
                    t.setDaemon(true);
                    return t;
                });
                reaper.scheduleWithFixedDelay(JournalPool::closeIdle, 1, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Closes the journals unused for longer than {@link #keepOpen}. */
    static void closeIdle() {
        long limit = keepOpen.toNanos();
        synchronized (IDLE) {
            for (Iterator<Idle> it = IDLE.values().iterator(); it.hasNext(); ) {
                Idle idle = it.next();
                if (System.nanoTime() - idle.since() >= limit) {
                    it.remove();
                    idle.db().close();
                }
            }
        }
    }

    /** How many journals are kept open unused (for tests). */
    static int idleCount() {
        synchronized (IDLE) {
            return IDLE.size();
        }
    }

    /** The identity of the journal's database file ({@code NAME.mv.db}), or {@code null} when it cannot be read. */
    private static Object fileKey(String url) {
        String path = url.substring(url.indexOf(':', "jdbc:h2:".length() - 1) + 1);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        int semicolon = path.indexOf(';');
        path = (semicolon < 0 ? path : path.substring(0, semicolon)) + ".mv.db";
        try {
            Object key = Files.readAttributes(Path.of(path), BasicFileAttributes.class).fileKey();
            return key != null ? key : Files.getLastModifiedTime(Path.of(path)).toMillis() + ":" + path;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
