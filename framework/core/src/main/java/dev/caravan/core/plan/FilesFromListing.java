package dev.caravan.core.plan;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.core.OrderedParallel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The listings of a plan with a {@code --files-from} list ({@link Filters#filesFrom()}). A list of at most
 * {@link #LOOKUP_MAX} keys is looked up key by key ({@code stat}: a HEAD request, a file's attributes) on both sides
 * instead of listing them, as rclone's {@code --no-traverse}: ten keys against millions of objects cost ten requests,
 * sent by the plan's checkers ({@link Planner#checkers}) at once on each side, their results taken in key order
 * ({@link OrderedParallel}), so the plan and the missing keys named are the same whatever request ends first.
 * A longer list is walked beside the full listing of the source. Either way, the listed keys the source lacks are
 * counted ({@link #missingCount()}).
 */
final class FilesFromListing {
    /** The longest list that is looked up key by key rather than listed. */
    static final int LOOKUP_MAX = 1000;
    /** How many of the missing keys are named. */
    static final int SHOWN = 5;
    private final ListedKeys listed;
    private final List<String> missingShown = new ArrayList<>();
    private long missingCount;

    FilesFromListing(ListedKeys listed) {
        this.listed = listed;
    }

    /** Whether the list is short enough to look its keys up instead of listing the stores. */
    static boolean looksUp(ListedKeys listed) {
        return listed != null && listed.size() <= LOOKUP_MAX;
    }

    /** How many listed keys the source lacks, so far (all of them once the source's listing was read to the end). */
    synchronized long missingCount() {
        return missingCount;
    }

    /** The first {@value #SHOWN} listed keys the source lacks, each quoted. */
    synchronized List<String> missingShown() {
        return List.copyOf(missingShown);
    }

    private synchronized void noteMissing(String key) {
        missingCount++;
        if (missingShown.size() < SHOWN) {
            missingShown.add("'" + key + "'");
        }
    }

    /**
     * The listed objects the source holds, in {@link ObjectKeys#ORDER}, looked up {@code checkers} at a time a little
     * ahead of the plan; the keys it lacks are noted in list order. Closing the stream stops the lookups.
     */
    Stream<ObjectInfo> lookUpSource(ObjectStore source, int checkers) {
        return lookUp(source, listed.keys(), checkers, "source").map(found -> {
            if (found.info().isEmpty()) {
                noteMissing(found.key());
            }
            return found.info();
        }).flatMap(Optional::stream);
    }

    /**
     * The target objects of the listed keys (as the key map writes them), in {@link ObjectKeys#ORDER}, looked up
     * {@code checkers} at a time. On a target without atomic writes, where copies are written under temporary names
     * ({@link TempNames}), each key's temporary objects that an interrupted run left are found too (a listing of
     * their prefix per key), so that the plan removes them as a plan that lists the whole target does; the target
     * objects are then all looked up before the first is handed on (at most {@link #LOOKUP_MAX} keys).
     */
    Stream<ObjectInfo> lookUpTarget(ObjectStore target, KeyMap keyMap, int checkers) {
        List<String> keys = listed.keys().stream().map(keyMap::target).sorted(ObjectKeys.ORDER).distinct().toList();
        boolean temporaries = !target.features().atomicPut();
        Stream<Lookup> found = lookUp(target, keys, checkers, "target", temporaries);
        if (!temporaries) {
            return found.map(Lookup::info).flatMap(Optional::stream);
        }
        try (found) {
            List<ObjectInfo> all = new ArrayList<>();
            found.forEach(l -> {
                l.info().ifPresent(all::add);
                all.addAll(l.temporaries());
            });
            all.sort(java.util.Comparator.comparing(ObjectInfo::key, ObjectKeys.ORDER));
            return all.stream();
        }
    }

    /** One looked-up key, what the store holds there and, if asked for, the temporary objects of the key. */
    private record Lookup(String key, Optional<ObjectInfo> info, List<ObjectInfo> temporaries) {
    }

    private static Stream<Lookup> lookUp(ObjectStore store, List<String> keys, int checkers, String side) {
        return lookUp(store, keys, checkers, side, false);
    }

    /** {@code keys} looked up on {@code store}, {@code checkers} at a time, in the keys' order. */
    private static Stream<Lookup> lookUp(ObjectStore store, List<String> keys, int checkers, String side,
            boolean temporaries) {
        Iterator<Callable<Lookup>> jobs = keys.stream().<Callable<Lookup>>map(key -> () -> new Lookup(key,
                stat(store, key), temporaries ? temporariesOf(store, key) : List.of())).iterator();
        OrderedParallel<Lookup> found = new OrderedParallel<>(jobs, checkers, "lookup-" + side,
                "looking up the listed keys on the " + side);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(found, Spliterator.ORDERED
                | Spliterator.NONNULL), false).onClose(found::close);
    }

    /** The source's full listing, noting the listed keys it passes over without holding them. */
    Iterator<ObjectInfo> walkBeside(Iterator<ObjectInfo> sourceListing) {
        Iterator<String> keys = listed.keys().iterator();
        return new Iterator<>() {
            private String nextListed = keys.hasNext() ? keys.next() : null;

            @Override
            public boolean hasNext() {
                if (sourceListing.hasNext()) {
                    return true;
                }
                passUntil(null);
                return false;
            }

            @Override
            public ObjectInfo next() {
                ObjectInfo o = sourceListing.next();
                passUntil(o.key());
                if (o.key().equals(nextListed)) {
                    nextListed = keys.hasNext() ? keys.next() : null;
                }
                return o;
            }

            /** Notes the listed keys before {@code key} ({@code null}: all that are left) as missing. */
            private void passUntil(String key) {
                while (nextListed != null && (key == null || ObjectKeys.ORDER.compare(nextListed, key) < 0)) {
                    noteMissing(nextListed);
                    nextListed = keys.hasNext() ? keys.next() : null;
                }
            }
        };
    }

    /** The temporary objects of {@code key} on {@code store} (one listing of their common prefix). */
    private static List<ObjectInfo> temporariesOf(ObjectStore store, String key) {
        try (Stream<ObjectInfo> listing = store.list(TempNames.partialPrefix(key))) {
            return listing.filter(o -> TempNames.isPartial(o.key())).toList();
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return List.of(); // a root that does not exist holds nothing
            }
            throw e;
        }
    }

    private static Optional<ObjectInfo> stat(ObjectStore store, String key) {
        try {
            return store.stat(key);
        } catch (MigrationException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty(); // a root that does not exist holds nothing
            }
            throw e;
        }
    }
}
