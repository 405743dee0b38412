package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DifferTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static ObjectInfo o(String key, long size) {
        return ObjectInfo.of(key, size, T);
    }

    private static List<String> diff(List<ObjectInfo> s, List<ObjectInfo> t, Filters f) {
        Differ d = new Differ(s.iterator(), t.iterator(), f.matcher(Instant.now()),
                (a, b) -> a.size() == b.size() ? null : "size");
        List<String> out = new ArrayList<>();
        d.forEachRemaining(e -> out.add(e.kind() + " " + e.key()));
        return out;
    }

    @Test
    void mergeJoinsBothListings() {
        assertThat(diff(List.of(o("a", 1), o("b", 1), o("d", 1)), List.of(o("b", 2), o("c", 1), o("d", 1)),
                Filters.NONE)).containsExactly("NEW a", "CHANGED b", "EXTRA c", "SAME d");
    }

    @Test
    void withoutAComparisonObjectsOnBothSidesComeOutPairedForTheCallerToDecide() {
        Differ d = new Differ(List.of(o("a", 1), o("b", 1)).iterator(), List.of(o("b", 2), o("c", 1)).iterator(),
                Filters.NONE.matcher(Instant.now()), null);
        List<String> out = new ArrayList<>();
        d.forEachRemaining(e -> out.add(e.kind() + " " + e.key()));
        assertThat(out).containsExactly("NEW a", "PAIRED b", "EXTRA c");
    }

    @Test
    void pairsAreDecidedInParallelAndHandedOnInKeyOrder() {
        List<ObjectInfo> both = LongStream.range(0, 500).mapToObj(i -> o(String.format("k%04d", i), i % 7))
                .toList();
        Differ d = new Differ(both.iterator(), both.iterator(), Filters.NONE.matcher(Instant.now()), null);
        List<String> out = new ArrayList<>();
        try (PairResolver r = new PairResolver(d, pairs -> e -> e.source().size() == 3 ? null
                : new DiffEntry(DiffEntry.Kind.SAME, e.source(), e.target(), "same"), PairResolver.CHECKERS)) {
            r.forEachRemaining(e -> out.add(e.key()));
        }
        assertThat(out).hasSize(500 - 71).isSorted().doesNotContain("k0003");
    }

    @Test
    void temporaryObjectsOnTheTargetArePartials() {
        String partial = "dir/.x.caravan-0123456789ab.partial";
        assertThat(TempNames.isPartial(partial)).isTrue();
        assertThat(diff(List.of(o("dir/x", 1)), List.of(o(partial, 1)), Filters.NONE))
                .containsExactly("PARTIAL " + partial, "NEW dir/x");
    }

    @Test
    void excludedTargetObjectsAreNeitherSameNorExtra() {
        Filters f = new Filters(List.of(), List.of("*.tmp"), -1, -1, null, null);
        assertThat(diff(List.of(o("a.tmp", 1)), List.of(o("b.tmp", 1)), f)).isEmpty();
    }

    @Test
    void unsortedListingIsFatal() {
        assertThatThrownBy(() -> diff(List.of(o("b", 1), o("a", 1)), List.of(), Filters.NONE))
                .isInstanceOf(MigrationException.class).hasMessageContaining("sorted");
    }

    @Test
    void streamsAMillionKeysWithoutHoldingThem() {
        Iterator<ObjectInfo> source = LongStream.range(0, 1_000_000).mapToObj(i -> o(String.format("k%07d", i), 1))
                .iterator();
        Iterator<ObjectInfo> target = LongStream.range(0, 1_000_000).filter(i -> i % 2 == 0)
                .mapToObj(i -> o(String.format("k%07d", i), 1)).iterator();
        Differ d = new Differ(source, target, Filters.NONE.matcher(Instant.now()), (a, b) -> null);
        long news = 0;
        while (d.hasNext()) {
            if (d.next().kind() == DiffEntry.Kind.NEW) {
                news++;
            }
        }
        assertThat(news).isEqualTo(500_000);
    }

    private static List<String> mapped(List<ObjectInfo> s, List<ObjectInfo> t, KeyMap map) {
        Differ d = new Differ(s.iterator(), t.iterator(), Filters.NONE.matcher(Instant.now()),
                (a, b) -> a.size() == b.size() ? null : "size", map);
        List<String> out = new ArrayList<>();
        d.forEachRemaining(e -> out.add(e.kind() + " " + e.key() + (e.target() == null ? "" : " -> "
                + e.target().key())));
        return out;
    }

    @Test
    void keysAKeyMapTouchesArePairedByTheirTargetKeysAfterTheOthers() {
        KeyMap map = KeyMap.parse(List.of("replace:\\=\uff3c"));
        // the source lists "a\\b" before "a]" ('\\' is 0x5C), the target lists "a\uff3cb" after "a~"
        List<ObjectInfo> source = List.of(o("a\\b", 1), o("a\\c", 1), o("a\\d", 4), o("a]", 1), o("z", 1));
        List<ObjectInfo> target = List.of(o("a]", 1), o("a~", 1), o("a\uff3cb", 1), o("a\uff3cd", 5),
                o("a\uff3cgone", 1));

        assertThat(mapped(source, target, map)).containsExactly("SAME a] -> a]", "EXTRA a~ -> a~", "NEW z",
                "SAME a\\b -> a\uff3cb", "NEW a\\c", "CHANGED a\\d -> a\uff3cd", "EXTRA a\uff3cgone -> a\uff3cgone");
        assertThat(mapped(source, target, KeyMap.NONE)).as("without the map nothing pairs")
                .contains("NEW a\\b", "EXTRA a\uff3cb -> a\uff3cb");
    }

    @Test
    void twoSourceKeysOfOneTargetKeyFailThePlan() {
        KeyMap map = KeyMap.parse(List.of("replace:\\=\uff3c"));
        assertThatThrownBy(() -> mapped(List.of(o("a\\b", 1), o("a\uff3cb", 1)), List.of(), map))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("writes both 'a\\b' and 'a\uff3cb' as 'a\uff3cb'")
                .hasMessageContaining("nothing was written");
    }
}
