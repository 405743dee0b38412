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
    private static final int MAX_BASE = 180;

    private TempNames() {
    }

    public static String partialKey(String key, TaskId task) {
        String parent = ObjectKeys.parent(key);
        String base = ObjectKeys.baseName(key);
        if (base.length() > MAX_BASE) {
            base = base.substring(0, MAX_BASE);
        }
        String name = "." + base + MARK + task.value().substring(0, 12) + SUFFIX;
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    /** Whether a key is one of our temporary names. */
    public static boolean isPartial(String key) {
        String base = ObjectKeys.baseName(key);
        return base.startsWith(".") && base.endsWith(SUFFIX) && base.contains(MARK);
    }
}
