package dev.caravan.core.plan;

import dev.caravan.core.OrderedParallel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Decides the {@link DiffEntry.Kind#PAIRED} entries of a diff, {@code checkers} at a time (a decision may ask the
 * journal and send a request per side, as rclone's {@code --checkers} do; {@link OrderedParallel}), and hands every
 * entry on in key order. It reads the diff {@link #BATCH} entries ahead and gives the pairs among them to
 * {@code prepare} at once, before deciding any of them, so that what their decisions share (the journal's records,
 * looked up in one call) is done once per batch, not once per pair. Memory stays bounded: at most
 * {@code BATCH + 2 x checkers} entries are ahead. Not thread-safe; one consumer.
 */
final class PairResolver implements Iterator<DiffEntry>, AutoCloseable {
    /** Pairs decided in parallel, at the least ({@link Planner#checkers}). */
    static final int CHECKERS = 16;
    /** Entries read ahead of the decisions: the pairs among them are prepared together. */
    static final int BATCH = 500;

    private final OrderedParallel<DiffEntry> decided;
    private DiffEntry next;

    /**
     * @param entries  the diff in key order
     * @param prepare  given the PAIRED entries of the next batch (key order, at most {@link #BATCH}), returns what
     *                 turns one of them into its decided entry, or {@code null} to drop it; that function is called
     *                 from several threads at once
     * @param checkers how many pairs are decided at once
     */
    PairResolver(Iterator<DiffEntry> entries, Function<List<DiffEntry>, Function<DiffEntry, DiffEntry>> prepare,
            int checkers) {
        this.decided = new OrderedParallel<>(new Decisions(entries, prepare), checkers, "check",
                "comparing source and target");
    }

    @Override
    public boolean hasNext() {
        while (next == null && decided.hasNext()) {
            next = decided.next();
        }
        return next != null;
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

    @Override
    public void close() {
        decided.close();
    }

    /** The diff's entries as jobs: a pair is decided on a checker's thread, any other entry is handed on as it is. */
    private static final class Decisions implements Iterator<Callable<DiffEntry>> {
        private final Iterator<DiffEntry> entries;
        private final Function<List<DiffEntry>, Function<DiffEntry, DiffEntry>> prepare;
        private final ArrayDeque<DiffEntry> ahead = new ArrayDeque<>();
        /** Decides the pairs in {@link #ahead}. */
        private Function<DiffEntry, DiffEntry> decide;

        Decisions(Iterator<DiffEntry> entries, Function<List<DiffEntry>, Function<DiffEntry, DiffEntry>> prepare) {
            this.entries = entries;
            this.prepare = prepare;
        }

        @Override
        public boolean hasNext() {
            return !ahead.isEmpty() || readAhead();
        }

        @Override
        public Callable<DiffEntry> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            DiffEntry e = ahead.poll();
            Function<DiffEntry, DiffEntry> d = decide;
            return e.kind() == DiffEntry.Kind.PAIRED ? () -> d.apply(e) : OrderedParallel.ready(e);
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
    }
}
