package dev.caravan.core.engine;

import dev.caravan.api.journal.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The source deletions of a move, each made only once the journal holds its copy as done, so that a process killed
 * right after a deletion (when the source can no longer be looked at) leaves no moved object that no run records.
 * Killed before it, the next run finds the copy in place and deletes the source.
 *
 * <p>Sources wait in batches (up to {@value #BATCH}, or {@value #LINGER_MILLIS} ms) so that one journal write covers
 * many (a group commit, which a move of many small files would otherwise pay once per object), and a batch is written
 * and deleted by deletion threads, as many as the transfers, while the transfers go on. When the deletions fall
 * behind, a transfer thread that finishes a batch deletes it itself, so waiting sources stay bounded.
 */
final class MovedSources {
    static final int BATCH = 64;
    static final long LINGER_MILLIS = 200;

    /** A source whose copy is recorded: its task and key. */
    record Moved(TaskId task, String key) {
    }

    private final Runnable awaitWritten;
    private final Consumer<Moved> delete;
    private final int threads;
    /** Started with the first batch, stopped by {@link #drain} (under this object's lock). */
    private ThreadPoolExecutor deleters;
    private final List<Moved> waiting = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private long oldestNanos;
    private int batchesInFlight;

    /**
     * @param awaitWritten returns once every journal write made before it is on disk
     * @param delete       deletes one source and records its failure (never throws for a failed deletion)
     * @param threads      deletion threads (the run's transfers)
     */
    MovedSources(Runnable awaitWritten, Consumer<Moved> delete, int threads) {
        this.awaitWritten = awaitWritten;
        this.delete = delete;
        this.threads = threads;
    }

    /** Queues the source of a copy whose completion was just recorded; hands the waiting ones on when a batch is due. */
    void add(TaskId task, String key) {
        List<Moved> due;
        synchronized (this) {
            if (waiting.isEmpty()) {
                oldestNanos = System.nanoTime();
            }
            waiting.add(new Moved(task, key));
            if (waiting.size() < BATCH && System.nanoTime() - oldestNanos < LINGER_MILLIS * 1_000_000) {
                return;
            }
            due = take();
        }
        deleteLater(due);
    }

    /**
     * Deletes every waiting source and returns once every deletion handed on is made; at the end of the transfers,
     * however they ended. Throws the error of a journal write that failed (its batch's sources were not deleted).
     */
    void drain() {
        List<Moved> due;
        synchronized (this) {
            due = take();
        }
        deleteLater(due);
        synchronized (this) {
            if (deleters != null) {
                deleters.shutdown();
                deleters = null;
            }
            while (batchesInFlight > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the sources of a move were being deleted", e);
                }
            }
        }
        RuntimeException e = failure.getAndSet(null);
        if (e != null) {
            throw e;
        }
    }

    private List<Moved> take() {
        List<Moved> due = new ArrayList<>(waiting);
        waiting.clear();
        return due;
    }

    private void deleteLater(List<Moved> due) {
        if (due.isEmpty()) {
            return;
        }
        ThreadPoolExecutor pool;
        synchronized (this) {
            batchesInFlight++;
            if (deleters == null) {
                deleters = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(2 * threads), r -> {
                            Thread t = new Thread(r, "caravan-move-delete");
                            t.setDaemon(true);
                            return t;
                        }, (batch, full) -> batch.run()); // deletions behind: the caller deletes its batch
                deleters.allowCoreThreadTimeOut(true);
            }
            pool = deleters;
        }
        pool.execute(() -> {
            try {
                deleteAll(due);
            } finally {
                synchronized (this) {
                    batchesInFlight--;
                    notifyAll();
                }
            }
        });
    }

    private void deleteAll(List<Moved> due) {
        try {
            awaitWritten.run();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e); // nothing of this batch is deleted; the next run finds the copies
            return;
        }
        due.forEach(delete);
    }
}
