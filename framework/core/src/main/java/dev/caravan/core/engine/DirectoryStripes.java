package dev.caravan.core.engine;

import dev.caravan.api.journal.TaskRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a plan's tasks in an order that spreads the transfers running at the same time over directories: one task
 * of each directory in turn, each directory's tasks in their own order. A plan comes sorted by key, so the
 * transfers would otherwise all create and rename files in one directory at once, and a file system locks a
 * directory for each of those (measured on ext4, 2,000 files in 20 directories: a share of the copy's CPU went to
 * threads spinning on the lock of the directory another thread was creating a file in). Keys without a "/" form
 * one directory. Stateless.
 */
final class DirectoryStripes {
    private DirectoryStripes() {
    }

    /** The same tasks, taking one of each directory in turn, in the order directories first appear. */
    static List<TaskRecord> interleave(List<TaskRecord> tasks) {
        Map<String, ArrayDeque<TaskRecord>> byDirectory = new LinkedHashMap<>();
        for (TaskRecord task : tasks) {
            String key = task.spec().item();
            String directory = key.substring(0, Math.max(0, key.lastIndexOf('/')));
            byDirectory.computeIfAbsent(directory, d -> new ArrayDeque<>()).add(task);
        }
        if (byDirectory.size() < 2) {
            return tasks;
        }
        List<TaskRecord> out = new ArrayList<>(tasks.size());
        List<ArrayDeque<TaskRecord>> open = new ArrayList<>(byDirectory.values());
        while (!open.isEmpty()) {
            for (java.util.Iterator<ArrayDeque<TaskRecord>> it = open.iterator(); it.hasNext(); ) {
                ArrayDeque<TaskRecord> queue = it.next();
                out.add(queue.poll());
                if (queue.isEmpty()) {
                    it.remove();
                }
            }
        }
        return out;
    }
}
