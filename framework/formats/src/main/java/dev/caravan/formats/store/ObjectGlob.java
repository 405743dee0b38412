package dev.caravan.formats.store;

import dev.caravan.api.store.KeyGlob;

import java.util.regex.Pattern;

/**
 * Selects objects by key with a glob, with the rules the object pipeline uses (rclone's): {@code *} and
 * {@code ?} stay within one path segment, {@code **} crosses segments, {@code [abc]}, {@code [!abc]} and
 * {@code {a,b}} work; a glob without {@code /} matches the base name at any depth ({@code *.csv}), one with a
 * slash is anchored at the root ({@code in/2024/*.csv}). The literal part before the first wildcard is the listing
 * prefix, so only that part of the store is listed. Immutable.
 */
public final class ObjectGlob {
    private final String glob;
    private final Pattern pattern;
    private final String prefix;

    private ObjectGlob(String glob) {
        this.glob = glob;
        this.pattern = toRegex(glob);
        this.prefix = literalPrefix(glob);
    }

    /** Parses a glob; {@code USER_CONFIG} when malformed. Empty or {@code null} means every object. */
    public static ObjectGlob of(String glob) {
        return new ObjectGlob(glob == null || glob.isBlank() ? "**" : glob.trim());
    }

    /** The prefix to list: everything up to the last {@code /} before the first wildcard. */
    public String prefix() {
        return prefix;
    }

    public boolean matches(String key) {
        return pattern.matcher(key).matches();
    }

    @Override
    public String toString() {
        return glob;
    }

    private static String literalPrefix(String glob) {
        String g = glob.startsWith("/") ? glob.substring(1) : glob;
        if (!glob.contains("/")) {
            return "";
        }
        int meta = g.length();
        for (int i = 0; i < g.length(); i++) {
            if ("*?[{".indexOf(g.charAt(i)) >= 0) {
                meta = i;
                break;
            }
        }
        int slash = g.lastIndexOf('/', meta - 1);
        return slash < 0 ? "" : g.substring(0, slash + 1);
    }

    private static Pattern toRegex(String glob) {
        return KeyGlob.compile(glob);
    }
}
