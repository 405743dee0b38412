package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A {@code --files-from} list: a short one is looked up key by key and the stores are not listed; a long one is
 * walked beside the source's listing; either way the listed keys the source lacks are counted, and a sync deletes
 * nothing outside the list.
 */
class PlannerFilesFromTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    /** A store that counts its full listings, its listings of a prefix and its lookups. */
    private static final class CountingStore extends ForwardingStore {
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger prefixLists = new AtomicInteger();
        final AtomicInteger stats = new AtomicInteger();

        CountingStore(MemoryStore delegate) {
            super(delegate);
        }

        @Override
        public Stream<ObjectInfo> list(String prefix) {
            (prefix.isEmpty() ? lists : prefixLists).incrementAndGet();
            return super.list(prefix);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            stats.incrementAndGet();
            return super.stat(key);
        }
    }

    private static CountingStore numbered(String name, int count) {
        MemoryStore store = new MemoryStore(name);
        for (int i = 0; i < count; i++) {
            store.add(String.format("f%06d", i), new byte[] {(byte) i}, T);
        }
        return new CountingStore(store);
    }

    private static MigrationSpec spec(Mode mode, List<String> keys) {
        return MigrationSpec.builder("mem:src", "mem:dst").mode(mode)
                .filters(Filters.NONE.withFilesFrom(ListedKeys.of(keys, "list.txt"))).build();
    }

    private static List<String> plan(Planner planner) {
        List<String> out = new ArrayList<>();
        for (Iterator<PlannedTask> it = planner.tasks(); it.hasNext(); ) {
            PlannedTask t = it.next();
            out.add(t.spec().action() + " " + t.spec().item());
        }
        return out;
    }

    @Test
    void aShortListIsLookedUpKeyByKeyWithoutListingEitherStore() {
        CountingStore source = numbered("ff-src", 20_000);
        CountingStore target = numbered("ff-dst", 0);
        target.delegate().add("f000007", new byte[] {7}, T); // already there
        target.delegate().add("f000003", new byte[] {9, 9}, T); // differs
        MigrationSpec spec = spec(Mode.COPY, List.of("f000010", "f000003", "missing/one", "f000007", "gone"));

        try (Planner planner = new Planner(spec, source, target, null)) {
            assertThat(plan(planner)).containsExactly(PlannedTask.REPLACE + " f000003", PlannedTask.COPY + " f000010");
            PlanSummary s = planner.summary();
            assertThat(s.sameCount()).isEqualTo(1);
            assertThat(s.listedMissing()).isEqualTo(2);
            assertThat(s.listedMissingShown()).containsExactly("'gone'", "'missing/one'");
            assertThat(s.listedMissingText("mem:src")).startsWith("2 keys of the --files-from list are not on"
                    + " mem:src").endsWith(": 'gone', 'missing/one'");
        }
        assertThat(source.lists.get()).as("source listings").isZero();
        assertThat(target.lists.get()).as("target listings").isZero();
        assertThat(source.stats.get()).as("one lookup per listed key").isEqualTo(5);
        assertThat(target.stats.get()).isEqualTo(5);
        assertThat(source.prefixLists.get()).isZero();
        assertThat(target.prefixLists.get()).as("a target without atomic writes: a listing of each key's temporary"
                + " names").isEqualTo(5);
    }

    @Test
    void aLongListIsWalkedBesideTheSourceListingAndItsMissingKeysCounted() {
        CountingStore source = numbered("ff-src2", 3000);
        CountingStore target = numbered("ff-dst2", 0);
        List<String> keys = new ArrayList<>(IntStream.range(0, FilesFromListing.LOOKUP_MAX + 500)
                .filter(i -> i % 2 == 0).mapToObj(i -> String.format("f%06d", i)).toList()); // 0..1498, 750 keys
        keys.addAll(IntStream.range(0, 400).mapToObj(i -> "zz/missing-" + i).toList()); // 1150 keys in all
        keys.add("a-missing-first");
        try (Planner planner = new Planner(spec(Mode.COPY, keys), source, target, null)) {
            List<String> planned = plan(planner);
            assertThat(planned).hasSize(750).startsWith(PlannedTask.COPY + " f000000", PlannedTask.COPY + " f000002")
                    .endsWith(PlannedTask.COPY + " f001498");
            assertThat(planner.summary().listedMissing()).isEqualTo(401);
            assertThat(planner.summary().listedMissingShown()).containsExactly("'a-missing-first'",
                    "'zz/missing-0'", "'zz/missing-1'", "'zz/missing-10'", "'zz/missing-100'");
        }
        assertThat(source.lists.get()).isEqualTo(1);
        assertThat(source.stats.get()).as("a long list costs no lookup").isZero();
    }

    @Test
    void aSyncDeletesOnlyListedKeysTheSourceLacksWhetherTheListIsShortOrLong() {
        for (int extra : new int[] {0, FilesFromListing.LOOKUP_MAX}) {
            CountingStore source = numbered("ff-src3", 3);
            CountingStore target = numbered("ff-dst3", 3);
            target.delegate().add("listed-gone", new byte[] {1}, T);
            target.delegate().add("unlisted", new byte[] {1}, T);
            List<String> keys = new ArrayList<>(List.of("f000001", "listed-gone"));
            IntStream.range(0, extra).forEach(i -> keys.add("padding/" + i)); // on neither side
            try (Planner planner = new Planner(spec(Mode.SYNC, keys), source, target, null)) {
                assertThat(plan(planner)).as("list of %s keys", keys.size())
                        .containsExactly(PlannedTask.DELETE + " listed-gone");
                assertThat(planner.summary().sameCount()).isEqualTo(1);
                assertThat(planner.summary().deleteCount()).isEqualTo(1);
                assertThat(planner.summary().listedMissing()).isEqualTo(1 + extra);
            }
        }
    }

    @Test
    void aListOfKeysTheKeyMapRewritesFindsTheirTargetObjects() {
        CountingStore source = numbered("ff-src4", 0);
        source.delegate().add("a:b", new byte[] {1}, T);
        CountingStore target = numbered("ff-dst4", 0);
        target.delegate().add("a_b", new byte[] {1}, T);
        MigrationSpec spec = spec(Mode.COPY, List.of("a:b")).toBuilder().keyMap(List.of("replace::=_")).build();
        try (Planner planner = new Planner(spec, source, target, null)) {
            assertThat(plan(planner)).isEmpty();
            assertThat(planner.summary().sameCount()).isEqualTo(1);
        }
        assertThat(target.lists.get()).isZero();
    }

    @Test
    void aSyncWithAKeyMapDeletesTheMappedTargetObjectOfAListedKeyTheSourceLacksWhetherTheListIsShortOrLong() {
        for (int extra : new int[] {0, FilesFromListing.LOOKUP_MAX}) {
            CountingStore source = numbered("ff-src5", 0);
            source.delegate().add("a:1", new byte[] {1}, T);
            CountingStore target = numbered("ff-dst5", 0);
            target.delegate().add("a_1", new byte[] {1}, T);
            target.delegate().add("a_9", new byte[] {9}, T); // what the map wrote for a:9, gone from the source
            target.delegate().add("a:9", new byte[] {9}, T); // not a key the map writes: not the listed a:9
            List<String> keys = new ArrayList<>(List.of("a:1", "a:9"));
            IntStream.range(0, extra).forEach(i -> keys.add("padding/" + i));
            MigrationSpec spec = spec(Mode.SYNC, keys).toBuilder().keyMap(List.of("replace::=_")).build();
            try (Planner planner = new Planner(spec, source, target, null)) {
                assertThat(plan(planner)).as("list of %s keys", keys.size())
                        .containsExactly(PlannedTask.DELETE + " a_9");
                assertThat(planner.summary().sameCount()).isEqualTo(1);
            }
        }
    }

    /** A store whose lookups wait (up to 100 ms) until {@code wanted} of them are under way at once. */
    private static final class GatheringStore extends ForwardingStore {
        private final int wanted;
        private int inFlight;
        int mostInFlight;

        GatheringStore(MemoryStore delegate, int wanted) {
            super(delegate);
            this.wanted = wanted;
        }

        @Override
        public Optional<ObjectInfo> stat(String key) {
            synchronized (this) {
                inFlight++;
                mostInFlight = Math.max(mostInFlight, inFlight);
                notifyAll();
                long until = System.nanoTime() + 100_000_000L;
                try {
                    while (inFlight < wanted && System.nanoTime() < until) {
                        wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                return super.stat(key);
            } finally {
                synchronized (this) {
                    inFlight--;
                }
            }
        }
    }

    @Test
    void theLookupsOfAShortListRunInParallelAndThePlanAndTheMissingKeysStayInListOrder() {
        MemoryStore src = numbered("ff-src6", 40).delegate();
        GatheringStore source = new GatheringStore(src, 8);
        GatheringStore target = new GatheringStore(numbered("ff-dst6", 0).delegate(), 8);
        target.delegate().add("f000001", new byte[] {1}, T);
        List<String> keys = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> String.format("f%06d", i)).toList());
        IntStream.range(0, 12).forEach(i -> keys.add(String.format("gone/%02d", i)));
        List<String> expected = IntStream.range(0, 40).filter(i -> i != 1)
                .mapToObj(i -> PlannedTask.COPY + String.format(" f%06d", i)).toList();

        try (Planner planner = new Planner(spec(Mode.COPY, keys), source, target, null)) {
            assertThat(plan(planner)).containsExactlyElementsOf(expected);
            assertThat(planner.summary().listedMissing()).isEqualTo(12);
            assertThat(planner.summary().listedMissingShown()).containsExactly("'gone/00'", "'gone/01'", "'gone/02'",
                    "'gone/03'", "'gone/04'");
        }
        assertThat(source.mostInFlight).as("source lookups at once").isGreaterThanOrEqualTo(8);
        assertThat(target.mostInFlight).as("target lookups at once").isGreaterThanOrEqualTo(8);
    }
}
