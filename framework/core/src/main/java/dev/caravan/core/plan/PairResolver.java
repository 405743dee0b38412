package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * It reads the diff {@link #BATCH} entries ahead and gives the pairs among them to {@code prepare} at once, before
 * deciding any of them, so that what their decisions share (the journal's records, looked up in one call) is done
 * once per batch, not once per pair. Memory stays bounded: at most {@code BATCH + 2 x CHECKERS} entries are ahead.
 * Not thread-safe; one consumer.
 */
final class PairResolver implements Iterator<DiffEntry>, AutoCloseable {
    /** Pairs decided in parallel. */
    static final int CHECKERS = 16;
    /** Entries read ahead of the decisions: the pairs among them are prepared together. */
    static final int BATCH = 500;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Iterator<DiffEntry> entries;
    private final Function<List<DiffEntry>, Function<DiffEntry, DiffEntry>> prepare;
    private final ArrayDeque<DiffEntry> ahead = new ArrayDeque<>();
    private final ArrayDeque<Future<DiffEntry>> window = new ArrayDeque<>();
    /** Decides the pairs in {@link #ahead}. */
    private Function<DiffEntry, DiffEntry> decide;
    private ExecutorService pool;
    private DiffEntry next;

    /**
     * @param entries the diff in key order
     * @param prepare given the PAIRED entries of the next batch (key order, at most {@link #BATCH}), returns what
     *                turns one of them into its decided entry, or {@code null} to drop it; that function is called
     *                from several threads at once
     */
    PairResolver(Iterator<DiffEntry> entries, Function<List<DiffEntry>, Function<DiffEntry, DiffEntry>> prepare) {
        this.entries = entries;
        this.prepare = prepare;
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            while (window.size() < 2 * CHECKERS && (!ahead.isEmpty() || readAhead())) {
                DiffEntry e = ahead.poll();
                Function<DiffEntry, DiffEntry> d = decide;
                window.add(e.kind() == DiffEntry.Kind.PAIRED ? pool().submit(() -> d.apply(e))
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

    /** Reads the next batch of the diff into {@link #ahead} and prepares its pairs; false at the end of the diff. */
    private boolean readAhead() {
        List<DiffEntry> pairs = new ArrayList<>();
        while (ahead.size() < BATCH && entries.hasNext()) {
            DiffEntry e = entries.next();
            ahead.add(e);
            if (e.kind() == DiffEntry.Kind.PAIRED) {
                pairs.add(e);
            }
        }
        if (!pairs.isEmpty()) {
            decide = prepare.apply(pairs);
        }
        return !ahead.isEmpty();
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
