package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.store.ObjectInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    private static boolean matches(Filters f, String key, long size, Instant mtime) {
        return f.matcher(NOW).matches(ObjectInfo.of(key, size, mtime));
    }

    private static Filters globs(List<String> inc, List<String> exc) {
        return new Filters(inc, exc, -1, -1, null, null);
    }

    @Test
    void globsFollowRcloneRules() {
        Filters csv = globs(List.of("*.csv"), List.of());
        assertThat(matches(csv, "a.csv", 1, NOW)).isTrue();
        assertThat(matches(csv, "deep/dir/a.csv", 1, NOW)).isTrue();
        assertThat(matches(csv, "a.csv.bak", 1, NOW)).isFalse();
        Filters anchored = globs(List.of("logs/**"), List.of());
        assertThat(matches(anchored, "logs/x/y.log", 1, NOW)).isTrue();
        assertThat(matches(anchored, "other/logs/y.log", 1, NOW)).isFalse();
        Filters alt = globs(List.of("{a,b}?.txt", "[xy]*.md"), List.of());
        assertThat(matches(alt, "a1.txt", 1, NOW)).isTrue();
        assertThat(matches(alt, "c1.txt", 1, NOW)).isFalse();
        assertThat(matches(alt, "yes.md", 1, NOW)).isTrue();
        Filters star = globs(List.of("/*"), List.of());
        assertThat(matches(star, "top", 1, NOW)).isTrue();
        assertThat(matches(star, "a/b", 1, NOW)).isFalse();
    }

    @Test
    void aBackslashMakesTheNextCharacterPlain() {
        Filters star = globs(List.of("/report\\*.pdf"), List.of());
        assertThat(matches(star, "report*.pdf", 1, NOW)).isTrue();
        assertThat(matches(star, "report-2024.pdf", 1, NOW)).isFalse();
        assertThat(matches(star, "deep/report*.pdf", 1, NOW)).as("a leading / anchors it").isFalse();
        assertThat(matches(globs(List.of("a\\\\b"), List.of()), "a\\b", 1, NOW)).as("\\\\ is a backslash").isTrue();
        assertThatThrownBy(() -> globs(List.of("end\\"), List.of()).matcher(NOW))
                .hasMessageContaining("ends with a lone");
    }

    @Test
    void excludeWinsOverInclude() {
        assertThat(matches(globs(List.of("**"), List.of("*.tmp")), "x/y.tmp", 1, NOW)).isFalse();
    }

    @Test
    void sizeAndAgeBounds() {
        Filters f = new Filters(List.of(), List.of(), 10, 100, Duration.ofDays(1), Duration.ofDays(30));
        Instant tenDaysAgo = NOW.minus(Duration.ofDays(10));
        assertThat(matches(f, "a", 50, tenDaysAgo)).isTrue();
        assertThat(matches(f, "a", 5, tenDaysAgo)).isFalse();
        assertThat(matches(f, "a", 500, tenDaysAgo)).isFalse();
        assertThat(matches(f, "a", 50, NOW.minusSeconds(60))).isFalse();
        assertThat(matches(f, "a", 50, NOW.minus(Duration.ofDays(60)))).isFalse();
    }

    @Test
    void badGlobIsAUserError() {
        assertThatThrownBy(() -> globs(List.of("{a,b"), List.of()).matcher(NOW)).hasMessageContaining("bad glob");
    }

    @Test
    void filtersAreDescribedInWordsForTheReport() {
        assertThat(Filters.NONE.describe()).isEqualTo("none");
        assertThat(new Filters(List.of("*.pdf", "docs/**"), List.of("tmp/**"), 1024, 1 << 20, java.time.Duration
                .ofHours(1), java.time.Duration.ofDays(2)).describe()).isEqualTo("include *.pdf, docs/**; exclude"
                + " tmp/**; min size 1024 B; max size 1048576 B; modified at least 1h ago; modified at most 48h ago");
    }

    @Test
    void aListOfKeysTakesOnlyThoseKeysOnBothSidesTogetherWithTheOtherFilters() {
        Filters f = globs(List.of(), List.of("*.tmp")).withFilesFrom(ListedKeys.of(List.of("a.csv", "dir/b.tmp",
                "big.bin"), "list.txt"));
        f = new Filters(f.include(), f.exclude(), -1, 10, null, null, f.filesFrom());
        assertThat(matches(f, "a.csv", 1, NOW)).isTrue();
        assertThat(matches(f, "c.csv", 1, NOW)).as("not listed").isFalse();
        assertThat(matches(f, "dir/b.tmp", 1, NOW)).as("listed, but excluded").isFalse();
        assertThat(matches(f, "big.bin", 11, NOW)).as("listed, but too big").isFalse();
        assertThat(f.matcher(NOW).matchesKey("a.csv")).isTrue();
        assertThat(f.matcher(NOW).matchesKey("other")).as("target objects outside the list").isFalse();
        assertThat(f.describe()).isEqualTo("files from list.txt (3 keys); exclude *.tmp; max size 10 B");
    }

    @Test
    void filtersWithoutAListKeepTheTextOfMigrationIdsOfEarlierVersions() {
        assertThat(Filters.NONE.toString())
                .isEqualTo("Filters[include=[], exclude=[], minSize=-1, maxSize=-1, minAge=null, maxAge=null]");
        ListedKeys keys = ListedKeys.of(List.of("a", "b"), "l");
        assertThat(Filters.NONE.withFilesFrom(keys).toString()).isEqualTo("Filters[include=[], exclude=[], "
                + "minSize=-1, maxSize=-1, minAge=null, maxAge=null, filesFrom=2 keys, sha256 " + keys.digest() + "]");
        MigrationSpec listed = MigrationSpec.builder("local:/a", "local:/b").filters(Filters.NONE.withFilesFrom(keys))
                .build();
        assertThat(listed.migrationId()).isNotEqualTo(MigrationSpec.builder("local:/a", "local:/b").build()
                .migrationId());
    }
}
