package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Decides the {@link DiffEntry.Kind#PAIRED} entries of a diff, up to {@link #CHECKERS} at a time (a decision may ask
 * the journal and send a request per side, as rclone's {@code --checkers} do), and hands every entry on in key order.
 * Memory stays bounded: at most {@code 2 x CHECKERS} entries are ahead. Not thread-safe; one consumer.
 */
final class PairResolver implements Iterator<DiffEntry>, AutoCloseable {
    /** Pairs decided in parallel. */
    static final int CHECKERS = 16;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Iterator<DiffEntry> entries;
    private final Function<DiffEntry, DiffEntry> decide;
    private final ArrayDeque<Future<DiffEntry>> window = new ArrayDeque<>();
    private ExecutorService pool;
    private DiffEntry next;

    /**
     * @param entries the diff in key order
     * @param decide  turns a PAIRED entry into its decided entry, or {@code null} to drop it
     */
    PairResolver(Iterator<DiffEntry> entries, Function<DiffEntry, DiffEntry> decide) {
        this.entries = entries;
        this.decide = decide;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            while (window.size() < 2 * CHECKERS && entries.hasNext()) {
                DiffEntry e = entries.next();
                window.add(e.kind() == DiffEntry.Kind.PAIRED ? pool().submit(() -> decide.apply(e))
                        : CompletableFuture.completedFuture(e));
            }
            Future<DiffEntry> head = window.poll();
            if (head == null) {
                return false;
            }
            next = await(head);
        }
        return true;
    }

    @Override
    public DiffEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DiffEntry e = next;
        next = null;
        return e;
    }

    private ExecutorService pool() {
        if (pool == null) {
            int id = POOLS.incrementAndGet();
            AtomicInteger threads = new AtomicInteger();
            pool = Executors.newFixedThreadPool(CHECKERS, r -> {
                Thread t = new Thread(r, "caravan-check-" + id + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private DiffEntry await(Future<DiffEntry> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw MigrationException.transientError("interrupted while comparing source and target", e);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // as the comparison would have thrown it in the caller's thread
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MigrationException(ErrorKind.FATAL, "comparing source and target failed: " + e.getCause(),
                    e.getCause());
        }
    }

    @Override
    public void close() {
        Future<?> f;
        while ((f = window.poll()) != null) {
            f.cancel(true);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
