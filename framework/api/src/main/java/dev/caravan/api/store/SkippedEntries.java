package dev.caravan.api.store;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A store whose listings leave out entries that are not objects (a file system's symbolic links, pipes, sockets and
 * devices) and say which, so that a plan names them instead of leaving them out in silence. Fallback: nothing is
 * said about what a listing left out.
 */
public interface SkippedEntries extends StoreCapability {

    /** What this store's listings have left out so far. */
    Log skipped();

    /**
     * The count of entries left out and the first {@value #SHOWN} of them, each as {@code 'key' (why)}. Thread-safe.
     */
    final class Log {
        /** How many entries are named. */
        public static final int SHOWN = 5;
        private final List<String> shown = new ArrayList<>();
        private final Set<String> hints = new LinkedHashSet<>();
        private long count;

        /** Notes that the entry at {@code key} was left out, and why ("a symbolic link"). */
        public synchronized void add(String key, String why) {
            add(key, why, null);
        }

        /** As {@link #add(String, String)}, with what would copy it ({@code null}: nothing), said once. */
        public synchronized void add(String key, String why, String hint) {
            count++;
            if (shown.size() < SHOWN) {
                shown.add("'" + key + "' (" + why + ")");
            }
            if (hint != null) {
                hints.add(hint);
            }
        }

        /** What would copy the entries left out, each once ("followSymlinks=true follows links"). */
        public synchronized List<String> hints() {
            return List.copyOf(hints);
        }

        public synchronized long count() {
            return count;
        }

        /** The first entries left out, each as {@code 'key' (why)}. */
        public synchronized List<String> shown() {
            return List.copyOf(shown);
        }
    }
}
