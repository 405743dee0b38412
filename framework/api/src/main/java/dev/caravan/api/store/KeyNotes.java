package dev.caravan.api.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Objects a store noted while listing, in bounded memory: how many, the first {@value #SHOWN} of them, each as
 * {@code 'key' (why)}, and what the user can do about them, each said once. Kept by the stores behind
 * {@link SkippedEntries} and {@link ArchivedObjects}. Thread-safe (a listing may read its next page on another
 * thread).
 */
public final class KeyNotes {
    /** How many entries are named. */
    public static final int SHOWN = 5;
    private final List<String> shown = new ArrayList<>();
    private final Set<String> hints = new LinkedHashSet<>();
    private long count;

    /** Notes the object at {@code key}, and why ("a symbolic link"). */
    public synchronized void add(String key, String why) {
        add(key, why, null);
    }

    /** As {@link #add(String, String)}, with what the user can do about it ({@code null}: nothing), said once. */
    public synchronized void add(String key, String why, String hint) {
        count++;
        if (shown.size() < SHOWN) {
            shown.add("'" + key + "' (" + why + ")");
        }
        if (hint != null) {
            hints.add(hint);
        }
    }

    /** What the user can do about the noted objects, each once ("followSymlinks=true follows links"). */
    public synchronized List<String> hints() {
        return List.copyOf(hints);
    }

    public synchronized long count() {
        return count;
    }

    /** The first objects noted, each as {@code 'key' (why)}. */
    public synchronized List<String> shown() {
        return List.copyOf(shown);
    }

    /** The first objects noted, joined with commas, and {@code ", ..."} when there were more. */
    public synchronized String shownText() {
        return String.join(", ", shown) + (count > shown.size() ? ", ..." : "");
    }

    /**
     * Leaves out, and notes, the entries of a sorted directory listing whose names read as the name of the entry
     * before them: names whose bytes are not UTF-8 and differ only there ({@code x\xFF} and {@code x\xFE} both read
     * as {@code x\uFFFD}), which no key can tell apart. The first stays, and fails as any such name does when read.
     *
     * @param keyPrefix the key of the directory, ending in '/' (empty at the root)
     * @param sorted    the directory's entries, sorted by {@code name}; changed in place
     * @param name      the name of an entry as it reads in a key
     */
    public <T> void dropNamesReadAlike(String keyPrefix, List<T> sorted, Function<T, String> name) {
        for (int i = sorted.size() - 1; i > 0; i--) {
            String n = name.apply(sorted.get(i));
            if (n.equals(name.apply(sorted.get(i - 1)))) {
                sorted.remove(i);
                add(keyPrefix + n, "a name whose bytes are not UTF-8 and read as the name of another entry",
                        "rename them (e.g. convmv -f latin1 -t utf-8 --notest)");
            }
        }
    }
}
