package dev.caravan.core.plan;

import dev.caravan.api.journal.TaskSpec;

/**
 * A task and the diff entry it came from.
 *
 * @param spec  what goes into the journal
 * @param entry the comparison behind it
 */
public record PlannedTask(TaskSpec spec, DiffEntry entry) {
    public static final String COPY = "COPY";
    public static final String REPLACE = "REPLACE";
    public static final String DELETE = "DELETE";
    public static final String DELETE_SOURCE = "DELETE_SOURCE";
    public static final String CLEANUP = "CLEANUP";
    /** The target's object has the source's bytes; only its descriptive attributes are brought up to date. */
    public static final String METADATA = "METADATA";

    /** Whether a task with this action moves an object's bytes to the target: a copy or a replacement. */
    public static boolean transfers(String action) {
        return COPY.equals(action) || REPLACE.equals(action);
    }
}
