package dev.caravan.core.plan;

import dev.caravan.api.store.KeyGlob;
import dev.caravan.api.store.ObjectInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which source objects take part: include/exclude globs on the key ({@code *} within a segment, {@code **}
 * across segments, {@code ?}, {@code [abc]}, {@code {a,b}}), a list of keys ({@code --files-from}), size bounds and
 * age bounds. An object is taken when it is listed (or there is no list), matches at least one include (or there are
 * none), no exclude, and the bounds. Target objects are taken by key alone (listed, included, not excluded), so a
 * sync deletes nothing outside them.
 *
 * @param include globs an object must match one of (empty: all)
 * @param exclude globs that exclude an object
 * @param minSize smallest size in bytes, or {@code -1}
 * @param maxSize largest size in bytes, or {@code -1}
 * @param minAge  only objects modified at least this long ago, or {@code null}
 * @param maxAge  only objects modified at most this long ago, or {@code null}
 * @param filesFrom the only keys that take part, or {@code null} for no list
 */
public record Filters(List<String> include, List<String> exclude, long minSize, long maxSize, Duration minAge,
        Duration maxAge, ListedKeys filesFrom) {

    public static final Filters NONE = new Filters(List.of(), List.of(), -1, -1, null, null);

    public Filters {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** Filters without a list of keys. */
    public Filters(List<String> include, List<String> exclude, long minSize, long maxSize, Duration minAge,
            Duration maxAge) {
        this(include, exclude, minSize, maxSize, minAge, maxAge, null);
    }

    /** These filters with the list of keys {@code keys} ({@code null}: none). */
    public Filters withFilesFrom(ListedKeys keys) {
        return new Filters(include, exclude, minSize, maxSize, minAge, maxAge, keys);
    }

    /**
     * The text that enters the migration's id ({@link MigrationSpec#migrationId()}): as a record's, and without a
     * list exactly as before lists existed, so the migrations of earlier versions keep their ids; a list enters by
     * count and digest, not key by key.
     */
    @Override
    public String toString() {
        return "Filters[include=" + include + ", exclude=" + exclude + ", minSize=" + minSize + ", maxSize="
                + maxSize + ", minAge=" + minAge + ", maxAge=" + maxAge
                + (filesFrom == null ? "" : ", filesFrom=" + filesFrom) + "]";
    }

    /** The filters in words, for reports: {@code none}, or e.g. {@code include *.pdf; min size 1024 B}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (filesFrom != null) {
            parts.add("files from " + filesFrom.origin() + " (" + filesFrom.size() + " keys)");
        }
        if (!include.isEmpty()) {
            parts.add("include " + String.join(", ", include));
        }
        if (!exclude.isEmpty()) {
            parts.add("exclude " + String.join(", ", exclude));
        }
        if (minSize >= 0) {
            parts.add("min size " + minSize + " B");
        }
        if (maxSize >= 0) {
            parts.add("max size " + maxSize + " B");
        }
        if (minAge != null) {
            parts.add("modified at least " + words(minAge) + " ago");
        }
        if (maxAge != null) {
            parts.add("modified at most " + words(maxAge) + " ago");
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /** Compiles the filters once against a fixed "now". */
    public Matcher matcher(Instant now) {
        return matcher(now, KeyMap.NONE);
    }

    /**
     * Compiles the filters once against a fixed "now", for a migration that writes source keys as {@code keyMap}
     * says: a target object takes part in the list of keys when it is the target object of a listed key, its key
     * as the map writes it ({@link Matcher#matchesTargetKey}).
     */
    public Matcher matcher(Instant now, KeyMap keyMap) {
        return new Matcher(this, now, keyMap);
    }

    /** Compiled form of {@link Filters}; thread-safe. */
    public static final class Matcher {
        private final List<Pattern> include;
        private final List<Pattern> exclude;
        private final Filters filters;
        private final Instant now;
        /** The listed keys as the key map writes them on the target, or {@code null} without a list. */
        private final ListedKeys listedOnTarget;

        Matcher(Filters filters, Instant now, KeyMap keyMap) {
            this.filters = filters;
            this.now = now;
            ListedKeys listed = filters.filesFrom();
            this.listedOnTarget = listed == null || keyMap.isEmpty() ? listed
                    : ListedKeys.of(listed.keys().stream().map(keyMap::target).toList(), listed.origin());
            this.include = filters.include().stream().map(KeyGlob::compile).toList();
            this.exclude = filters.exclude().stream().map(KeyGlob::compile).toList();
        }

        public boolean matches(ObjectInfo info) {
            if (!matchesKey(info.key())) {
                return false;
            }
            if (filters.minSize() >= 0 && info.size() >= 0 && info.size() < filters.minSize()) {
                return false;
            }
            if (filters.maxSize() >= 0 && info.size() > filters.maxSize()) {
                return false;
            }
            if (info.modTime() != null) {
                Duration age = Duration.between(info.modTime(), now);
                if (filters.minAge() != null && age.compareTo(filters.minAge()) < 0) {
                    return false;
                }
                if (filters.maxAge() != null && age.compareTo(filters.maxAge()) > 0) {
                    return false;
                }
            }
            return true;
        }

        /** Whether a source key is listed and matches the include/exclude globs. */
        public boolean matchesKey(String key) {
            return (filters.filesFrom() == null || filters.filesFrom().contains(key)) && matchesGlobs(key);
        }

        /**
         * Whether a target object's key takes part: it is the key the key map writes for a listed key, and it
         * matches the include/exclude globs (as written on the target).
         */
        public boolean matchesTargetKey(String targetKey) {
            return (listedOnTarget == null || listedOnTarget.contains(targetKey)) && matchesGlobs(targetKey);
        }

        private boolean matchesGlobs(String key) {
            if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(key).matches())) {
                return false;
            }
            return exclude.stream().noneMatch(p -> p.matcher(key).matches());
        }
    }
}
