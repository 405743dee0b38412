package dev.caravan.core.engine;

import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.PreflightCheck.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the keys that cannot live side by side in a file tree ({@link ObjectStore#isFileTree}): an object {@code a}
 * and an object {@code a/b}, which needs a directory {@code a}. Object stores hold both, so a copy from one to a file
 * system fails for one of each pair; a plan names them before anything is written.
 *
 * <p>Fed every key that will be on the target, in {@link ObjectKeys#ORDER}, in which the keys starting with {@code a}
 * follow {@code a} without a gap. It keeps only the chain of keys seen that are prefixes of the last key (at most one
 * per character of a key), so memory stays bounded whatever the number of objects.
 */
final class FileTreeClashes {
    static final int SHOWN = 5;

    /** A key that may still be the folder of keys to come, and the keys found under it. */
    private static final class Name {
        final String key;
        String firstUnder;
        long under;

        Name(String key) {
            this.key = key;
        }
    }

    private final ObjectStore target;
    private final Deque<Name> prefixes = new ArrayDeque<>();
    private final List<String> shown = new ArrayList<>();
    private String last;
    private long count;

    FileTreeClashes(ObjectStore target) {
        this.target = target;
    }

    /** Takes the next key, not before the last one in {@link ObjectKeys#ORDER}; repeats are ignored. */
    void accept(String key) {
        if (key.equals(last)) {
            return;
        }
        last = key;
        while (!prefixes.isEmpty() && !key.startsWith(prefixes.peekLast().key)) {
            done(prefixes.removeLast());
        }
        // every name left is a prefix of this key; a clash when the rest begins a folder: the nearest such name
        for (Iterator<Name> it = prefixes.descendingIterator(); it.hasNext(); ) {
            Name file = it.next();
            if (key.length() > file.key.length() && key.charAt(file.key.length()) == '/') {
                if (file.under++ == 0) {
                    file.firstUnder = key;
                }
                break;
            }
        }
        prefixes.addLast(new Name(key));
    }

    private void done(Name name) {
        if (name.under > 0) {
            count++;
            if (shown.size() < SHOWN) {
                shown.add("'" + name.key + "' (a file, and the folder of '" + name.firstUnder + "'"
                        + (name.under > 1 ? " and " + (name.under - 1) + " more" : "") + ")");
            }
        }
    }

    /** A {@code WARN} check naming the first names, or empty when there is none. Call once, after the last key. */
    Optional<PreflightCheck> result() {
        while (!prefixes.isEmpty()) {
            done(prefixes.removeLast());
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(new PreflightCheck("target-tree", Status.WARN, count + (count == 1 ? " name" : " names")
                + " would be both a file and a folder on " + target.uri() + ", which a file system cannot hold: "
                + String.join(", ", shown) + (count > shown.size() ? ", ..." : "") + "; the copies that meet "
                + (count == 1 ? "it" : "them") + " fail, everything else is copied. Rename on the source, or copy to"
                + " an object store (a sync replaces what only the target has)"));
    }
}
