package dev.caravan.api.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
}
