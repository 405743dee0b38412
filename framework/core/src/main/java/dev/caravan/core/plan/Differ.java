package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Merge-joins two listings sorted by {@link ObjectKeys#ORDER} into a diff, one key at a time: memory stays
 * bounded whatever the number of objects. A listing out of order is a fatal error (the diff would be wrong).
 * With a {@link KeyMap}, the keys it touches are taken aside, and paired by target key once both listings are read
 * (their entries come last); at most {@link KeyMap#MAX_ASIDE} of them.
 */
public final class Differ implements Iterator<DiffEntry> {
    private final PeekingIterator source;
    private final PeekingIterator target;
    private final Filters.Matcher filters;
    private final BiFunction<ObjectInfo, ObjectInfo, String> difference;
    private final BiFunction<ObjectInfo, ObjectInfo, String> attributes;
    private final KeyMap keyMap;
    private final List<ObjectInfo> asideSource = new ArrayList<>();
    private final List<ObjectInfo> asideTarget = new ArrayList<>();
    private PeekingIterator asideSourceSorted;
    private PeekingIterator asideTargetSorted;
    private DiffEntry next;

    /**
     * @param source     the source listing
     * @param target     the target listing
     * @param filters    which objects take part (target objects by key only: build it with the key map)
     * @param difference returns why two objects differ, or {@code null} when they are the same; {@code null} to
     *                   leave objects on both sides uncompared ({@link DiffEntry.Kind#PAIRED})
     */
    public Differ(Iterator<ObjectInfo> source, Iterator<ObjectInfo> target, Filters.Matcher filters,
            BiFunction<ObjectInfo, ObjectInfo, String> difference) {
        this(source, target, filters, difference, KeyMap.NONE);
    }

    /** As {@link #Differ(Iterator, Iterator, Filters.Matcher, BiFunction)}, pairing by the target keys of a map. */
    public Differ(Iterator<ObjectInfo> source, Iterator<ObjectInfo> target, Filters.Matcher filters,
            BiFunction<ObjectInfo, ObjectInfo, String> difference, KeyMap keyMap) {
        this(source, target, filters, difference, null, keyMap);
    }

    /**
     * As {@link #Differ(Iterator, Iterator, Filters.Matcher, BiFunction, KeyMap)}; objects the same by
     * {@code difference} are {@link DiffEntry.Kind#METADATA} when {@code attributes} (may be {@code null}: not
     * compared) gives a reason ({@link AttributeComparison}).
     */
    public Differ(Iterator<ObjectInfo> source, Iterator<ObjectInfo> target, Filters.Matcher filters,
            BiFunction<ObjectInfo, ObjectInfo, String> difference,
            BiFunction<ObjectInfo, ObjectInfo, String> attributes, KeyMap keyMap) {
        this.attributes = attributes;
        this.source = new PeekingIterator(source, "source", k -> k);
        this.target = new PeekingIterator(target, "target", k -> k);
        this.filters = filters;
        this.difference = difference;
        this.keyMap = keyMap;
    }

    @Override
    public boolean hasNext() {
        while (next == null && (source.peek() != null || target.peek() != null)) {
            next = step();
        }
        if (next == null && asideSourceSorted == null && (!asideSource.isEmpty() || !asideTarget.isEmpty())) {
            sortAside();
        }
        if (next == null && asideSourceSorted != null) {
            while (next == null && (asideSourceSorted.peek() != null || asideTargetSorted.peek() != null)) {
                next = join(asideSourceSorted, asideTargetSorted, true);
            }
        }
        return next != null;
    }

    /**
     * Sorts the source keys taken aside by target key (each mapped once); two source keys of one target key fail the
     * plan. The target's keys taken aside are in order already: a part of its sorted listing.
     */
    private void sortAside() {
        List<Map.Entry<String, ObjectInfo>> byTarget = new ArrayList<>(asideSource.size());
        for (ObjectInfo o : asideSource) {
            byTarget.add(Map.entry(keyMap.target(o.key()), o));
        }
        byTarget.sort(Map.Entry.comparingByKey(ObjectKeys.ORDER));
        for (int i = 1; i < byTarget.size(); i++) {
            if (byTarget.get(i).getKey().equals(byTarget.get(i - 1).getKey())) {
                throw MigrationException.userData("the key map (" + keyMap + ") writes both '"
                        + byTarget.get(i - 1).getValue().key() + "' and '" + byTarget.get(i).getValue().key()
                        + "' as '" + byTarget.get(i).getKey() + "': choose replacement characters no source key has;"
                        + " nothing was written");
            }
        }
        asideSourceSorted = new PeekingIterator(byTarget.stream().map(Map.Entry::getValue).iterator(), "source",
                keyMap::target);
        asideTargetSorted = new PeekingIterator(asideTarget.iterator(), "target", k -> k);
    }

    private void takeAside(List<ObjectInfo> aside, ObjectInfo o) {
        if (asideSource.size() + asideTarget.size() >= KeyMap.MAX_ASIDE) {
            throw MigrationException.userConfig("the key map (" + keyMap + ") touches more than "
                    + KeyMap.MAX_ASIDE + " keys, which the plan pairs in memory: narrow the migration with filters "
                    + "and run it in parts");
        }
        aside.add(o);
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
        if (s != null && keyMap.touchesSource(s.key())) {
            source.take();
            takeAside(asideSource, s);
            return null;
        }
        if (t != null && keyMap.touchesTarget(t.key())) {
            target.take();
            takeAside(asideTarget, t);
            return null;
        }
        return join(source, target, false);
    }

    /** One step of the merge-join of two sorted listings; {@code mapped}: the source's keys are compared as mapped. */
    private DiffEntry join(PeekingIterator source, PeekingIterator target, boolean mapped) {
        ObjectInfo s = source.peek();
        ObjectInfo t = target.peek();
        String sourceKey = s == null ? null : mapped ? keyMap.target(s.key()) : s.key();
        int cmp = s == null ? 1 : t == null ? -1 : ObjectKeys.ORDER.compare(sourceKey, t.key());
        if (cmp < 0) {
            source.take();
            return filters.matches(s) ? new DiffEntry(DiffEntry.Kind.NEW, s, null, "missing on target") : null;
        }
        if (cmp > 0) {
            target.take();
            return filters.matchesTargetKey(t.key()) ? new DiffEntry(DiffEntry.Kind.EXTRA, null, t, "not on source") : null;
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
        if (why != null) {
            return new DiffEntry(DiffEntry.Kind.CHANGED, s, t, why);
        }
        String other = attributes == null ? null : attributes.apply(s, t);
        return other == null ? new DiffEntry(DiffEntry.Kind.SAME, s, t, "same")
                : new DiffEntry(DiffEntry.Kind.METADATA, s, t, other);
    }

    /** An iterator with one element of look-ahead that checks the listing order (of the keys taken aside too). */
    private static final class PeekingIterator {
        private final Iterator<ObjectInfo> it;
        private final String side;
        private final UnaryOperator<String> orderKey;
        private ObjectInfo head;
        private String lastKey;

        /** {@code orderKey}: the key the listing is sorted by, of an object's key (the identity, or a target key). */
        PeekingIterator(Iterator<ObjectInfo> it, String side, UnaryOperator<String> orderKey) {
            this.it = it;
            this.side = side;
            this.orderKey = orderKey;
        }

        ObjectInfo peek() {
            if (head == null && it.hasNext()) {
                head = it.next();
                String key = orderKey.apply(head.key());
                if (lastKey != null && ObjectKeys.ORDER.compare(lastKey, key) >= 0) {
                    throw new MigrationException(ErrorKind.FATAL, "the " + side + " listed '" + head.key()
                            + "' after '" + lastKey + "': listings must be sorted; the connector is broken");
                }
                lastKey = key;
            }
            return head;
        }

        void take() {
            head = null;
        }
    }
}
