package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/**
 * Merge-joins two listings sorted by {@link ObjectKeys#ORDER} into a diff, one key at a time: memory stays
 * bounded whatever the number of objects. A listing out of order is a fatal error (the diff would be wrong).
 */
public final class Differ implements Iterator<DiffEntry> {
    private final PeekingIterator source;
    private final PeekingIterator target;
    private final Filters.Matcher filters;
    private final BiFunction<ObjectInfo, ObjectInfo, String> difference;
    private DiffEntry next;

    /**
     * @param source     the source listing
     * @param target     the target listing
     * @param filters    which objects take part (target objects by key only)
     * @param difference returns why two objects differ, or {@code null} when they are the same; {@code null} to
     *                   leave objects on both sides uncompared ({@link DiffEntry.Kind#PAIRED})
     */
    public Differ(Iterator<ObjectInfo> source, Iterator<ObjectInfo> target, Filters.Matcher filters,
            BiFunction<ObjectInfo, ObjectInfo, String> difference) {
        this.source = new PeekingIterator(source, "source");
        this.target = new PeekingIterator(target, "target");
        this.filters = filters;
        this.difference = difference;
    }

    @Override
    public boolean hasNext() {
        while (next == null && (source.peek() != null || target.peek() != null)) {
            next = step();
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

    private DiffEntry step() {
        ObjectInfo s = source.peek();
        ObjectInfo t = target.peek();
        if (t != null && TempNames.isPartial(t.key())) {
            target.take();
            return new DiffEntry(DiffEntry.Kind.PARTIAL, null, t, "temporary object left by an interrupted run");
        }
        if (s != null && TempNames.isPartial(s.key())) {
            source.take();
            return null;
        }
        int cmp = s == null ? 1 : t == null ? -1 : ObjectKeys.ORDER.compare(s.key(), t.key());
        if (cmp < 0) {
            source.take();
            return filters.matches(s) ? new DiffEntry(DiffEntry.Kind.NEW, s, null, "missing on target") : null;
        }
        if (cmp > 0) {
            target.take();
            return filters.matchesKey(t.key()) ? new DiffEntry(DiffEntry.Kind.EXTRA, null, t, "not on source") : null;
        }
        source.take();
        target.take();
        if (!filters.matches(s)) {
            return null;
        }
        if (difference == null) {
            return new DiffEntry(DiffEntry.Kind.PAIRED, s, t, "not compared yet");
        }
        String why = difference.apply(s, t);
        return why == null ? new DiffEntry(DiffEntry.Kind.SAME, s, t, "same")
                : new DiffEntry(DiffEntry.Kind.CHANGED, s, t, why);
    }

    /** An iterator with one element of look-ahead that checks the listing order. */
    private static final class PeekingIterator {
        private final Iterator<ObjectInfo> it;
        private final String side;
        private ObjectInfo head;
        private String lastKey;

        PeekingIterator(Iterator<ObjectInfo> it, String side) {
            this.it = it;
            this.side = side;
        }

        ObjectInfo peek() {
            if (head == null && it.hasNext()) {
                head = it.next();
                if (lastKey != null && ObjectKeys.ORDER.compare(lastKey, head.key()) >= 0) {
                    throw new MigrationException(ErrorKind.FATAL, "the " + side + " listed '" + head.key()
                            + "' after '" + lastKey + "': listings must be sorted; the connector is broken");
                }
                lastKey = head.key();
            }
            return head;
        }

        void take() {
            head = null;
        }
    }
}
