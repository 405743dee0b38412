package dev.caravan.api.store;

import dev.caravan.api.error.MigrationException;
import java.util.Comparator;

/**
 * Rules every store shares for object keys: the canonical sort order of listings and the check that a key
 * stays inside its root.
 */
public final class ObjectKeys {
    /**
     * The order of every {@link ObjectStore#list} stream: by Unicode code point, which is the byte order of
     * UTF-8 (the order S3 lists in). Merge-joins of two listings rely on it.
     */
    public static final Comparator<String> ORDER = ObjectKeys::compare;

    private ObjectKeys() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * Returns the key unchanged when it is a safe relative key; otherwise fails with
     * {@link dev.caravan.api.error.ErrorKind#USER_DATA}. Refused: empty keys, absolute keys, keys ending in
     * {@code /}, {@code .} or {@code ..} segments, empty segments and NUL characters. A backslash is an ordinary
     * character of a key (S3 and POSIX file names hold it); a store that cannot hold it refuses it itself.
     */
    public static String requireSafe(String key) {
        return require(key, problem(key));
    }

    /**
     * Returns the key when {@code problem} (a store's reason not to hold it, see {@link ObjectStore#keyProblem}) is
     * {@code null}; otherwise fails with {@link dev.caravan.api.error.ErrorKind#USER_DATA} "refusing key ...".
     */
    public static String require(String key, String problem) {
        if (problem != null) {
            throw MigrationException.userData("refusing key '" + key + "': " + problem);
        }
        return key;
    }

    /** Why the key is unsafe, or {@code null} when it is fine. */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "the key is empty";
        }
        if (key.startsWith("/")) {
            return "absolute keys are not allowed; keys are relative to the store root";
        }
        if (key.indexOf('\0') >= 0) {
            return "the key contains a NUL character";
        }
        if (key.endsWith("/")) {
            return "the key ends with '/' (a folder marker that holds data)";
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) {
                return "the key escapes the store root ('..' segment)";
            }
            if (segment.equals(".")) {
                return "the key has a '.' segment";
            }
            if (segment.isEmpty()) {
                return "the key has an empty segment";
            }
        }
        return null;
    }

    /** The last segment of a key. */
    public static String baseName(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** Everything before the last slash, or an empty string for a top-level key. */
    public static String parent(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }
}
