package dev.caravan.core.plan;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.store.ObjectKeys;

/**
 * Deterministic temporary names: a copy is written next to its final key as
 * {@code .<name>.caravan-<task>.partial} and renamed into place when verified. The same task always uses the
 * same name, so a retried or resumed copy overwrites its own leftover instead of leaking a new one.
 */
public final class TempNames {
    private static final String MARK = ".caravan-";
    private static final String SUFFIX = ".partial";
    /** The most UTF-8 bytes of the final name kept in the temporary one, which so stays under 255 bytes. */
    private static final int MAX_BASE_BYTES = 180;

    private TempNames() {
    }

    public static String partialKey(String key, TaskId task) {
        return partialPrefix(key) + task.value().substring(0, 12) + SUFFIX;
    }

    /**
     * The start of every temporary name of {@code key}, whichever task wrote it: a listing of this prefix finds them.
     * A final name longer than the part kept ({@value #MAX_BASE_BYTES} bytes) shares it with the keys that start alike.
     */
    static String partialPrefix(String key) {
        String parent = ObjectKeys.parent(key);
        String name = "." + truncateUtf8(ObjectKeys.baseName(key), MAX_BASE_BYTES) + MARK;
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    /** The longest start of {@code name} of at most {@code maxBytes} UTF-8 bytes, whole code points only. */
    static String truncateUtf8(String name, int maxBytes) {
        if (name.length() * 3 <= maxBytes) {
            return name;
        }
        int bytes = 0;
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return name.substring(0, i);
    }

    /** Whether a key is one of our temporary names. */
    public static boolean isPartial(String key) {
        String base = ObjectKeys.baseName(key);
        return base.startsWith(".") && base.endsWith(SUFFIX) && base.contains(MARK);
    }
}
