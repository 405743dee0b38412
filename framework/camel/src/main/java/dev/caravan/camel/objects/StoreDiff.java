package dev.caravan.camel.objects;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Merge-join of two listings sorted by {@link ObjectKeys#ORDER}: yields COPY for source-only keys, REPLACE for
 * keys that differ, and (when asked) DELETE for target-only keys; SAME keys are skipped. Memory stays constant
 * whatever the size of the listings. Not thread-safe.
 */
final class StoreDiff implements Iterator<DiffEntry> {
    private final Iterator<ObjectInfo> source;
    private final Iterator<ObjectInfo> target;
    private final ObjectComparison comparison;
    private final boolean deletes;
    private ObjectInfo s;
    private ObjectInfo t;
    private DiffEntry next;

    StoreDiff(Iterator<ObjectInfo> source, Iterator<ObjectInfo> target, ObjectComparison comparison,
            boolean deletes) {
        this.source = source;
        this.target = target;
        this.comparison = comparison;
        this.deletes = deletes;
        this.s = advance(source, null);
        this.t = advance(target, null);
    }

    @Override
    public boolean hasNext() {
        while (next == null && (s != null || t != null)) {
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

    /** Consumes one key (or one pair) and returns its entry, or {@code null} for SAME or skipped deletes. */
    private DiffEntry step() {
        int c = s == null ? 1 : t == null ? -1 : ObjectKeys.ORDER.compare(s.key(), t.key());
        if (c < 0) {
            DiffEntry e = new DiffEntry(DiffAction.COPY, s, "missing on target");
            s = advance(source, s);
            return e;
        }
        if (c > 0) {
            DiffEntry e = deletes ? new DiffEntry(DiffAction.DELETE, t, "missing on source") : null;
            t = advance(target, t);
            return e;
        }
        String why = comparison.difference(s, t);
        DiffEntry e = why == null ? null : new DiffEntry(DiffAction.REPLACE, s, why);
        s = advance(source, s);
        t = advance(target, t);
        return e;
    }

    private static ObjectInfo advance(Iterator<ObjectInfo> it, ObjectInfo previous) {
        if (!it.hasNext()) {
            return null;
        }
        ObjectInfo n = it.next();
        if (previous != null && ObjectKeys.ORDER.compare(previous.key(), n.key()) >= 0) {
            throw new IllegalStateException("listing out of order: '" + previous.key() + "' before '" + n.key()
                    + "'; stores must list in ObjectKeys.ORDER");
        }
        return n;
    }
}
